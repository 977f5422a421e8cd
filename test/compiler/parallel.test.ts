/**
 * Parallel compilation: the chunks a worker takes, emitted from the module
 * it decoded from the shared bytes (bodies read lazily, chunk by chunk),
 * equal the calling thread's output for the same functions; compileParallel (this thread plus real workers) yields the same
 * module text as the inline compile, whether or not the pool was warmed, and
 * when two compiles share the pool at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, validate, type Module } from '../../interpreter/index.js';
import { compile, compileParallel, emitFunction, mayGrow, warmPool, type FuncCode } from '../../compiler/index.js';
import { closePool } from '../../compiler/parallel.js';
import emitChunks from '../../compiler/worker.js';
import { compile as compileApi } from '../../runtime/api/module.js';
import { chunkRanges } from '../../compiler/chunks.js';
import { pack, unpack } from '../../compiler/transfer.js';

const root = join(import.meta.dirname, '..', '..');
const FILES = ['bench/kernels/vm.wasm', 'bench/kernels/i64arith.wasm', 'test/fixtures/dwarf/shapes-O0-dwarf5.wasm'];

function load(file: string): { bytes: Uint8Array; m: Module } {
  const bytes = new Uint8Array(readFileSync(join(root, file)));
  const m = decode(bytes);
  validate(m);
  return { bytes, m };
}

/** A job's may-grow table, written and marked ready as the calling thread does (parallel.ts release). */
function released(grows: Uint8Array): { grows: SharedArrayBuffer; ready: SharedArrayBuffer } {
  const shared = new SharedArrayBuffer(Math.max(1, grows.length));
  new Uint8Array(shared).set(grows);
  const ready = new SharedArrayBuffer(4);
  new Int32Array(ready)[0] = 1;
  return { grows: shared, ready };
}

/** FuncCode with its offsets as a plain array (unpacked ones are Int32Array views). */
const plain = (fs: readonly FuncCode[]): FuncCode[] => fs.map((f) => ({ ...f, offsets: Array.from(f.offsets) }));

afterAll(async () => {
  await closePool();
});

describe('parallel compilation', () => {
  it.each(FILES)('a worker emits for the chunks it takes what the calling thread emits for them (%s)', (file) => {
    const { bytes, m } = load(file);
    const grows = mayGrow(m);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const chunks = 5;
    const ranges = chunkRanges(m, chunks);
    // The counter says chunk `first` is next (another thread took the ones
    // before): the worker takes first, first + 1, ... to the last.
    const first = ranges.length > 1 ? 1 : 0;
    const next = new SharedArrayBuffer(4);
    new Int32Array(next)[0] = first;
    const { taken, funcs } = emitChunks({ bytes: shared, next, chunks, ...released(grows) });
    expect([...taken]).toEqual(ranges.map((_, k) => k).slice(first));
    const want = [];
    for (let i = ranges[first]![0]; i < m.funcTypes.length; i++) want.push(emitFunction(m, i, grows));
    expect(want.length).toBeGreaterThan(0);
    expect(plain(unpack(funcs))).toEqual(plain(want));
    expect(new Int32Array(next)[0]).toBe(ranges.length + 1);
  });

  it('a worker that finds every chunk taken returns at once, without decoding', () => {
    const next = new SharedArrayBuffer(4);
    new Int32Array(next)[0] = 1 << 30;
    const { taken, funcs } = emitChunks({ bytes: new SharedArrayBuffer(0), next, chunks: 4, ...released(new Uint8Array(0)) });
    expect(taken.length).toBe(0);
    expect(unpack(funcs)).toEqual([]);
  });

  it('packed function code (what a worker sends back) unpacks to the same functions', () => {
    const { m } = load('bench/kernels/vm.wasm');
    const grows = mayGrow(m);
    const funcs = [];
    for (let i = m.importedFuncCount; i < m.funcTypes.length; i++) funcs.push(emitFunction(m, i, grows));
    const packed = pack(funcs);
    expect(packed.offsets.length).toBe(funcs.reduce((n, f) => n + f.code.split('\n').length, 0));
    expect(plain(unpack(packed))).toEqual(plain(funcs));
    expect(unpack(pack([]))).toEqual([]);
  });

  it('compileParallel on a worker gives the same module text as the inline compile', async () => {
    const { bytes, m } = load('bench/kernels/vm.wasm');
    const inline = compile(m, { sourceMap: false });
    const parallel = await compileParallel(bytes, m, { sourceMap: false, parallelThreshold: 0 }, 1);
    expect(parallel.stats.workers).toBe(1);
    expect(parallel.js).toBe(inline.js);
  });

  it('compileParallel keeps the asm.js regions of f32 loops (they travel with the functions)', async () => {
    const { bytes, m } = load('bench/kernels/nbody.wasm');
    const inline = compile(m, { sourceMap: false });
    expect(inline.js).toContain('"use asm"');
    const parallel = await compileParallel(bytes, m, { sourceMap: false, parallelThreshold: 0 }, 1);
    expect(parallel.js).toBe(inline.js);
  });

  it('a warmed pool (workers decoded the module ahead) gives the same text, with its source map', async () => {
    const { bytes, m } = load('test/fixtures/dwarf/shapes-O0-dwarf5.wasm');
    const options = { parallelThreshold: 0 };
    const inline = compile(m, options);
    warmPool(bytes, options, 2);
    const parallel = await compileParallel(bytes, m, options, 2);
    expect(parallel.stats.workers).toBe(2);
    expect(parallel.js).toBe(inline.js);
    expect(parallel.map).toEqual(inline.map);
  });

  it('the API compile takes `threads`, and a module that fails to decode fails with its own error though workers were started', async () => {
    const { bytes, m } = load('bench/kernels/vm.wasm');
    const module = await compileApi(bytes, { sourceMap: false, parallelThreshold: 0, threads: 1 });
    expect(module.compiled.stats.workers).toBe(1);
    expect(module.compiled.js).toBe(compile(m, { sourceMap: false }).js);
    const truncated = bytes.slice(0, bytes.length - 3);
    await expect(compileApi(truncated, { parallelThreshold: 0, threads: 1 })).rejects.toThrow(/unexpected end|length out of bounds|section size mismatch/);
  });

  it('two compiles sharing the pool at once each get their own module\'s text', async () => {
    const a = load('bench/kernels/vm.wasm'), b = load('bench/kernels/i64arith.wasm');
    const options = { sourceMap: false, parallelThreshold: 0 };
    warmPool(a.bytes, options, 2);
    warmPool(b.bytes, options, 2);
    const [pa, pb] = await Promise.all([compileParallel(a.bytes, a.m, options, 2), compileParallel(b.bytes, b.m, options, 2)]);
    expect(pa.js).toBe(compile(a.m, options).js);
    expect(pb.js).toBe(compile(b.m, options).js);
  });
});
