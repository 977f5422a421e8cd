/**
 * Parallel compilation on a piscina worker pool: pass 3 (emit-function) is
 * independent per function, so large modules split their functions into
 * chunks of roughly equal code size, shared out as workers (and the calling
 * thread, which emits chunks too) become free. Each task carries only its
 * slice of the binary (slice.ts), not the whole module, so a worker decodes
 * only what it emits. The other passes run on the calling thread. Small
 * modules compile inline: below the threshold, starting workers costs more
 * than it saves.
 *
 * Invariant: the result is identical to `compile` (same text, same map).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Module } from '../interpreter/core.js';
import { codeBytes, compile, finish } from './native.js';
import type { FuncCode } from './passes/emit-function.js';
import type { CompiledModule, CompileOptions } from './types.js';
import { emitFunction } from './passes/emit-function.js';
import { slices } from './slice.js';
import type { EmitTask } from './worker.js';
import { unpack, type PackedFuncs } from './transfer.js';

let pool: Piscina | undefined;

/** The worker script: next to this file when running compiled JS, else the built copy in dist/. */
function workerFile(): string {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL('../dist/compiler/worker.js', import.meta.url));
}

function getPool(threads: number): Piscina {
  if (pool === undefined) {
    pool = new Piscina({ filename: workerFile(), maxThreads: threads, minThreads: 0, idleTimeout: 2000 });
  }
  return pool;
}

/**
 * Workers for a compile (0: inline): `threads` when given; by default the
 * spare cores, at most 8, but none with fewer than two spare: with a single
 * spare core a cold worker (thread start, its own JIT warm-up) measured no
 * faster than compiling inline (bench/large on 2 cores).
 */
function workerCount(threads?: number): number {
  if (threads !== undefined) return Math.max(0, Math.min(threads, 8));
  const n = Math.min(availableParallelism() - 1, 8);
  return n >= 2 ? n : 0;
}

/**
 * Starts the pool's threads ahead of a parallel compile (the caller still
 * decoding and validating meanwhile), so their start-up and the loading of
 * the compiler in each overlap that work instead of following it. Does
 * nothing when a compile of `size` bytes would run inline anyway.
 */
export function warmPool(size: number, options: CompileOptions = {}, threads?: number): void {
  const n = workerCount(threads);
  if (size < (options.parallelThreshold ?? 1 << 20) || n === 0) return;
  const p = getPool(n);
  for (let i = 0; i < n; i++) void p.run(null, { name: 'warm' }).catch(() => {});
}

/** Closes the pool (tests and CLI exit cleanly). */
export async function closePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

/** Code bytes per work-sharing chunk: large enough that a task's fixed costs (slice, decode of its sections, messages) stay small. */
const CHUNK = 128 * 1024;

/** Splits defined functions into `n` ranges of about equal code size. */
function ranges(module: Module, n: number): [number, number][] {
  const total = codeBytes(module);
  const out: [number, number][] = [];
  let from = module.importedFuncCount, acc = 0;
  module.funcs.forEach((f, k) => {
    acc += f.endOffset - f.entryOffset;
    const i = module.importedFuncCount + k + 1;
    if (acc >= (total / n) * (out.length + 1) && out.length < n - 1) {
      out.push([from, i]);
      from = i;
    }
  });
  if (from < module.funcTypes.length) out.push([from, module.funcTypes.length]);
  return out;
}

/** Compiles `module` (decoded from `bytes` and validated), on workers when it is large. */
export async function compileParallel(bytes: Uint8Array, module: Module, options: CompileOptions = {}, threads?: number): Promise<CompiledModule> {
  const threshold = options.parallelThreshold ?? 1 << 20;
  // Workers besides this thread, which emits chunks too.
  const n = workerCount(threads);
  if (codeBytes(module) < threshold || n === 0 || (options.checkpoints ?? false) !== false) return compile(module, options);
  return finish(module, options, async (passMs, grows) => {
    const start = performance.now();
    const p = getPool(n);
    // Work sharing over chunks of ~CHUNK bytes of code: each worker takes
    // the next chunk when it finishes one, and this thread takes chunks
    // too, yielding between them so finished workers get their next one at
    // once. Everyone finishes together however fast each turns out to be
    // (a cold worker measured 2x slower than this thread per byte).
    const chunks = ranges(module, Math.max(n + 1, Math.ceil(codeBytes(module) / CHUNK)));
    const done: FuncCode[][] = new Array<FuncCode[]>(chunks.length);
    let next = 0, ownChunks = 0, ownMs = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const k = next++;
        const [slice] = slices(bytes, module, [chunks[k]!]);
        done[k] = unpack((await p.run({ ...slice!, grows } satisfies EmitTask)) as PackedFuncs);
      }
    };
    const workers = Array.from({ length: n }, worker);
    while (next < chunks.length) {
      const k = next++;
      const t = performance.now();
      const out: FuncCode[] = [];
      for (let i = chunks[k]![0]; i < chunks[k]![1]; i++) out.push(emitFunction(module, i, grows));
      done[k] = out;
      ownChunks++;
      ownMs += performance.now() - t;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const ownDone = performance.now();
    await Promise.all(workers);
    passMs['emit-function'] = performance.now() - start;
    // How the work split: this thread's chunks and time, then the wait for the workers' last ones.
    passMs['emit-function: chunks'] = chunks.length;
    passMs['emit-function: own chunks'] = ownChunks;
    passMs['emit-function: own ms'] = ownMs;
    passMs['emit-function: waiting for workers'] = performance.now() - ownDone;
    return { funcs: done.flat(), workers: n };
  });
}
