/**
 * `wasmflip compile FILE.wasm -o OUT.mjs --source-map` writes a standalone
 * ES module that runs the program, and a source map whose statements map to
 * the module's disassembly (no DWARF) or to the C source (with DWARF).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { describe, expect, it } from 'vitest';
import { command } from '../../runtime/cli/commands/compile.js';

const root = join(import.meta.dirname, '..', '..');
const runtimeSpec = pathToFileURL(join(root, 'runtime', 'index.ts')).href;

function runCompile(args: string[]): { code: number; err: string } {
  let err = '';
  const io = { out: () => {}, err: (t: string) => { err += t; }, readFile: (p: string) => new Uint8Array(readFileSync(p)), env: {} };
  return { code: command.run(args, io) as number, err };
}

describe('wasmflip compile', () => {
  it('writes a module that runs the kernel and a map into the disassembly', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wasmflip-compile-')), 'crc32.mjs');
    const r = runCompile([join(root, 'bench/kernels/crc32.wasm'), '-o', out, '--source-map', '--runtime', runtimeSpec]);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(out, 'utf8');
    parse(text, { ecmaVersion: 2022, sourceType: 'module' });
    const mod = (await import(pathToFileURL(out).href)) as { instantiate: (i: object) => { instance: { exports: Record<string, (n: number) => number> } } };
    expect(mod.instantiate({}).instance.exports['run']!(20)).toBe(352705411);
    const map = JSON.parse(readFileSync(out + '.map', 'utf8')) as RawSourceMap;
    expect(map.sources).toEqual(['wasm://module.wat']);
    await SourceMapConsumer.with(map, null, (c) => {
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('dv.getInt32')) + 1;
      const pos = c.originalPositionFor({ line, column: lines[line - 1]!.search(/\S/) });
      const wat = c.sourceContentFor('wasm://module.wat')!.split('\n')[pos.line! - 1]!;
      expect(wat).toMatch(/i32\.load/);
    });
  });

  it('maps to the C source when the module carries DWARF', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wasmflip-compile-')), 'shapes.mjs');
    const r = runCompile([join(root, 'test/fixtures/dwarf/shapes-O0-dwarf5.wasm'), '-o', out, '--source-map']);
    expect(r.code, r.err).toBe(0);
    const map = JSON.parse(readFileSync(out + '.map', 'utf8')) as RawSourceMap;
    expect(map.sources.some((s) => s.endsWith('shapes.c'))).toBe(true);
  });

  it('reports a malformed module in one line and exits 1', () => {
    const r = runCompile([join(root, 'package.json'), '-o', join(tmpdir(), 'x.mjs')]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
