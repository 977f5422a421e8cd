/**
 * Parallel compilation: a worker's slice of the binary (compiler/slice.ts)
 * decodes to exactly the functions it must emit, at the module's own code
 * offsets, so its output equals the main thread's for the same range; and
 * compileParallel (this thread plus a real worker) yields the same module
 * text as the inline compile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, validate, type Module } from '../../interpreter/index.js';
import { compile, compileParallel, emitFunction, mayGrow } from '../../compiler/index.js';
import { closePool } from '../../compiler/parallel.js';
import { slices } from '../../compiler/slice.js';
import emitRange from '../../compiler/worker.js';
import { pack, unpack } from '../../compiler/transfer.js';

const root = join(import.meta.dirname, '..', '..');
const FILES = ['bench/kernels/vm.wasm', 'bench/kernels/i64arith.wasm', 'test/fixtures/dwarf/shapes-O0-dwarf5.wasm'];

function load(file: string): { bytes: Uint8Array; m: Module } {
  const bytes = new Uint8Array(readFileSync(join(root, file)));
  const m = decode(bytes);
  validate(m);
  return { bytes, m };
}

afterAll(async () => {
  await closePool();
});

describe('parallel compilation', () => {
  it.each(FILES)('a slice of %s emits what the whole module emits for the same functions', (file) => {
    const { bytes, m } = load(file);
    const grows = mayGrow(m);
    const first = m.importedFuncCount, total = m.funcTypes.length;
    expect(total - first).toBeGreaterThan(1);
    const mid = first + Math.floor((total - first) / 2);
    const ranges: [number, number][] = [[first, mid], [mid, total], [mid, mid + 1]];
    const parts = slices(bytes, m, ranges);
    for (const s of parts) {
      expect(s.bytes.length).toBeLessThan(bytes.length);
      const got = unpack(emitRange({ ...s, grows }));
      const want = [];
      for (let i = s.from; i < s.to; i++) want.push(emitFunction(m, i, grows));
      expect(got).toEqual(want);
    }
  });

  it('packed function code (what a worker sends back) unpacks to the same functions', () => {
    const { m } = load('bench/kernels/vm.wasm');
    const grows = mayGrow(m);
    const funcs = [];
    for (let i = m.importedFuncCount; i < m.funcTypes.length; i++) funcs.push(emitFunction(m, i, grows));
    const packed = pack(funcs);
    expect(packed.offsets.length).toBe(funcs.reduce((n, f) => n + f.lines.length, 0));
    expect(unpack(packed)).toEqual(funcs);
    expect(unpack(pack([]))).toEqual([]);
  });

  it('compileParallel on a worker gives the same module text as the inline compile', async () => {
    const { bytes, m } = load('bench/kernels/vm.wasm');
    const inline = compile(m, { sourceMap: false });
    const parallel = await compileParallel(bytes, m, { sourceMap: false, parallelThreshold: 0 }, 1);
    expect(parallel.stats.workers).toBe(1);
    expect(parallel.js).toBe(inline.js);
  });
});
