/**
 * The bench harness around the figures: the import-graph walker behind
 * "loaded code" (on a small fixture written here), package entry points read
 * from package.json, the progress display on a TTY and on a pipe, and the
 * configuration adapters' contracts (a level the build ignores fails with a
 * clear message; the attached debugger gives the right checksum and releases
 * the interpreter's hooks).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configurationCode, importSpecifiers, packageEntries, walkImports } from '../../bench/import-graph.js';
import { Progress, formatElapsed, progressLine } from '../../bench/progress.js';
import { defaultEngines, engineByName, selectEngines } from '../../bench/engines/index.js';
import { levelEngine } from '../../bench/engines/level.js';
import { attachedEngine } from '../../bench/engines/interp.js';
import { v8Engine } from '../../bench/engines/v8.js';
import { checksumOf, kernelBytes, loadKernels } from '../../bench/kernels.js';
import { hooks } from '../../interpreter/index.js';

const root = mkdtempSync(join(tmpdir(), 'wasmflip-graph-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', exports: { '.': './dist/a.js', './lite': { types: './dist/b.d.ts', import: './dist/b.js' }, './data/*': './dist/data/*.js' } }),
  'dist/a.js': "import { b } from './b.js';\nexport * from './sub/c.js';\nimport fs from 'node:fs';\nimport 'acorn';\nimport x from '@scope/pkg/deep';\nexport const a = () => import('./d.js');\nimport './missing.js';\n",
  'dist/b.js': "import { a } from './a.js';\nexport const b = 1;\n",
  'dist/sub/c.js': "export { b as c } from '../b.js';\n",
  'dist/d.js': 'export const d = 4;\n',
  'dist/unused.js': 'export const never = 0;\n',
};
for (const [path, text] of Object.entries(files)) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}
const size = (...paths: string[]): number => paths.reduce((s, p) => s + Buffer.byteLength(files[p]!), 0);

describe('import graph', () => {
  it('finds static imports, re-exports and import() of a literal', () => {
    expect(importSpecifiers(files['dist/a.js']!).sort()).toEqual(['./b.js', './d.js', './missing.js', './sub/c.js', '@scope/pkg/deep', 'acorn', 'node:fs'].sort());
    expect(() => importSpecifiers('import {', 'bad.js')).toThrow(/cannot parse bad\.js/);
  });

  it('walks the graph once per file through cycles, listing packages and unresolved imports', () => {
    const g = walkImports([join(root, 'dist/a.js')], root);
    expect(g.files).toEqual(['dist/a.js', 'dist/b.js', 'dist/d.js', 'dist/sub/c.js']);
    expect(g.bytes).toBe(size('dist/a.js', 'dist/b.js', 'dist/d.js', 'dist/sub/c.js'));
    expect(g.packages).toEqual(['@scope/pkg', 'acorn']);
    expect(g.missing).toEqual(['dist/a.js → ./missing.js']);
  });

  it('reads entry points from package.json exports, conditions included, patterns skipped', () => {
    expect([...packageEntries(root)]).toEqual([['.', './dist/a.js'], ['./lite', './dist/b.js']]);
  });

  it('a configuration uses the first exported alternative and says when none is exported', () => {
    const lite = configurationCode([['./static', './lite']], root);
    expect(lite.entries).toEqual(['./lite']);
    expect(lite.graph.files).toEqual(['dist/a.js', 'dist/b.js', 'dist/d.js', 'dist/sub/c.js']);
    const none = configurationCode([['./nothing']], root);
    expect(none.entries).toEqual([]);
    expect(none.graph.missing).toEqual(['package.json exports none of ./nothing']);
  });
});

describe('progress display', () => {
  const sink = (isTTY: boolean, columns = 80): { out: string[]; isTTY: boolean; columns: number; write(t: string): void } =>
    ({ out: [], isTTY, columns, write(t: string) { this.out.push(t); } });

  it('formats the step line with k of N and elapsed time', () => {
    expect(progressLine(3, 20, 'sieve × native', 65_400)).toBe('[3/20 1m05s] sieve × native');
    expect(formatElapsed(4200)).toBe('4.2s');
  });

  it('writes plain lines when stderr is not a terminal', () => {
    let now = 0;
    const s = sink(false);
    const p = new Progress(s, () => now);
    now = 1500;
    p.step(1, 2, 'hash × v8');
    p.log('hash v8: 1 ms');
    p.done();
    expect(s.out).toEqual(['[1/2 1.5s] hash × v8 …\n', 'hash v8: 1 ms\n']);
  });

  it('redraws one line on a terminal, keeps results above it and cuts it to the width', () => {
    const s = sink(true, 30);
    const p = new Progress(s, () => 0);
    p.step(1, 2, 'a very long kernel name × native-debug@inspection');
    expect(s.out[0]!.startsWith('\r\x1b[K[1/2 0.0s] ')).toBe(true);
    expect(s.out[0]!.length - '\r\x1b[K'.length).toBeLessThanOrEqual(29);
    p.log('done');
    expect(s.out[1]!.startsWith('\r\x1b[Kdone\n')).toBe(true);
    p.done();
    expect(s.out[2]).toBe('\r\x1b[K');
  });
});

describe('configurations', () => {
  const kernel = loadKernels().find((k) => k.name === 'crc32')!;

  it('lists every configuration by default and keeps the old engine names', () => {
    expect(defaultEngines).toEqual(['v8', 'wasm2js', 'native', 'native-debug@static', 'native-debug@inspection', 'native-debug@control', 'native-debug@eval', 'native-debug@modify', 'debug', 'debug+debugger']);
    expect(selectEngines(['aot', 'interp']).map((e) => e.name)).toEqual(['v8', 'native', 'debug']);
    expect(selectEngines(['native-debug@control']).map((e) => e.name)).toEqual(['v8', 'native', 'native-debug@control']);
    expect(engineByName('preset:development')?.name).toBe('preset:development');
    expect(() => selectEngines(['nope'])).toThrow(/unknown engine\(s\) nope/);
  });

  it('a level configuration runs at the requested level or fails saying the build does not support it', async () => {
    const outcome = await levelEngine('control').load(kernelBytes(kernel), kernel).then(
      (loaded) => ({ level: loaded.info?.['level'], checksum: checksumOf(loaded.run(kernel.quickN), kernel.result) }),
      (error: Error) => ({ error: error.message }),
    );
    if ('error' in outcome) expect(outcome.error).toMatch(/^level option not supported by this build/);
    else expect(outcome).toEqual({ level: 'control', checksum: kernel.expectedQuick });
  });

  // The interpreter runs slowly under vitest's transform, so a small n checked against V8 keeps this fast.
  it("the attached debugger gives V8's checksum and releases the hooks on dispose", async () => {
    const expected = checksumOf((await v8Engine.load(kernelBytes(kernel), kernel)).run(1), kernel.result);
    const loaded = await attachedEngine.load(kernelBytes(kernel), kernel);
    try {
      expect(hooks.onStop).not.toBeNull();
      expect(checksumOf(loaded.run(1), kernel.result)).toBe(expected);
    } finally {
      loaded.dispose!();
    }
    expect(hooks.onStop).toBeNull();
    expect(hooks.mayStop).toBeNull();
  });
});
