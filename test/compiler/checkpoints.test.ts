/**
 * The checkpoint pass (compiler/passes/checkpoints.ts): its frame maps equal
 * deopt's validator-built `buildFrameMaps` row for row on the bench kernels
 * and on spec-suite modules, every checkpoint appears in the emitted text,
 * and with the option off the output is byte-identical to the default build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decode, validate, type Module } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { buildFrameMaps } from '../../deopt/index.js';
import { specDir } from '../helpers/spectest-files.js';

const kernelDir = join(import.meta.dirname, '..', '..', 'bench', 'kernels');
const kernels = readdirSync(kernelDir).filter((f) => f.endsWith('.wasm'));

function load(bytes: Uint8Array): Module {
  const m = decode(bytes);
  validate(m);
  return m;
}

/** Checkpoint lines in the emitted text, by their `DE.e(` / `DE.a(` calls. */
function checkpointCalls(js: string): number {
  return (js.match(/DE\.[ea]\(/g) ?? []).length;
}

describe('checkpoint pass on the bench kernels', () => {
  for (const file of kernels) {
    test(`${file}: frame maps equal buildFrameMaps and every row has its check`, () => {
      const module = load(new Uint8Array(readFileSync(join(kernelDir, file))));
      const c = compile(module, { sourceMap: false, checkpoints: true });
      expect(c.frameMaps).toEqual(buildFrameMaps(module));
      expect(checkpointCalls(c.js)).toBe(c.frameMaps!.count);
      expect(c.frameMaps!.count).toBeGreaterThan(0);
    });

    test(`${file}: with checkpoints off the output is byte-identical to the default`, () => {
      const module = load(new Uint8Array(readFileSync(join(kernelDir, file))));
      const plain = compile(module, { sourceMap: false });
      const off = compile(module, { sourceMap: false, checkpoints: false });
      expect(off.js).toBe(plain.js);
      expect(off.frameMaps).toBeUndefined();
      expect(plain.js).not.toMatch(/\bDE\b|P\[0\]/);
    });
  }
});

const dir = specDir();
const SPEC_FILES = ['fac', 'call', 'call_indirect', 'loop', 'block', 'br', 'br_table', 'if', 'func', 'return', 'stack', 'labels', 'switch', 'i64', 'left-to-right', 'unwind', 'local_tee', 'select'];

describe.skipIf(dir === null)('checkpoint pass on spec-suite modules', () => {
  for (const name of SPEC_FILES) {
    test(`${name}: every module's frame maps equal buildFrameMaps`, () => {
      const script = JSON.parse(readFileSync(join(dir!, name, `${name}.json`), 'utf8')) as { commands: { type: string; filename?: string; module_type?: string }[] };
      let checked = 0;
      for (const cmd of script.commands) {
        if (cmd.type !== 'module' || cmd.filename === undefined || cmd.module_type === 'text') continue;
        const module = load(new Uint8Array(readFileSync(join(dir!, name, cmd.filename))));
        const c = compile(module, { sourceMap: false, checkpoints: true });
        expect(c.frameMaps, `${cmd.filename}`).toEqual(buildFrameMaps(module));
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
