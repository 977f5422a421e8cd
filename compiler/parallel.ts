/**
 * Parallel compilation on a piscina worker pool: pass 3 (emit-function) is
 * independent per function, so large modules cut their functions into
 * chunks of about equal code size (chunks.ts), and the calling thread and
 * the workers each take the next chunk from a shared counter as they finish
 * one (worker.ts). The module's bytes reach the pool once, shared; each
 * worker decodes the sections itself (the bodies only of the chunks it
 * takes), and `warmPool` starts that while the calling thread is still
 * decoding and validating, so the workers are ready by the time it hands
 * them the may-grow table and starts to emit. The other passes run on the
 * calling thread. Small modules compile inline: below the threshold,
 * starting workers costs more than it saves.
 *
 * Invariant: the result is identical to `compile` (same text, same map).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Module } from '../interpreter/core.js';
import { chunkRanges, codeBytes } from './chunks.js';
import { compile, finish } from './native.js';
import type { FuncCode } from './passes/emit-function.js';
import type { CompiledModule, CompileOptions } from './types.js';
import { emitFunction } from './passes/emit-function.js';
import type { CompileJob, JobResult } from './worker.js';
import { unpack } from './transfer.js';

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
 * spare cores, at most 8, but none with fewer than two spare. On 2 cores
 * one worker beside this thread makes a repeated compile of bench/large
 * 0.96-1.26x as fast, about 1.1x typically (`node dist/bench/parallel.js`,
 * several runs), and a one-shot compile in a fresh process 0.86-0.93x: the
 * worker starts emitting 0.35 s in (thread start, loading the compiler),
 * both threads' JIT is cold, and with two threads emitting each took 1.7x
 * longer per chunk than one alone (the two cores share more than they look
 * to: an integer loop ran as fast on both at once, an allocating one
 * 1.4-1.7x slower).
 * Tried and dropped (2026-11-24, 11 compiles each way, twice): workers that
 * decode the whole module, work out the may-grow table themselves and start
 * emitting at once instead of waiting for the calling thread's (worker.ts
 * waits for it) were slower, warm 1.14-1.20x and cold 0.88-0.90x against
 * 1.22-1.25x and 0.94x: their decoding slowed the calling thread's own
 * decoding by as much as it gained. (Piscina hands a new worker its task
 * from this thread's event loop, after the worker's ready message, so in a
 * fresh process that came only once this thread had validated; a pool
 * created with minThreads marks its workers ready at once and gave the task
 * 0.15 s in. With workers that wait for the table, that only moves their
 * lazy decode of the sections earlier, so it was not kept either.)
 */
function workerCount(threads?: number): number {
  if (threads !== undefined) return Math.max(0, Math.min(threads, 8));
  const n = Math.min(availableParallelism() - 1, 8);
  return n >= 2 ? n : 0;
}

/** Workers a compile of `size` bytes with `options` runs on (0: inline); `threads` overrides `options.threads`. */
function workersFor(size: number, options: CompileOptions, threads?: number): number {
  if (size < (options.parallelThreshold ?? 1 << 20) || (options.checkpoints ?? false) !== false) return 0;
  return workerCount(threads ?? options.threads);
}

/** Code bytes per chunk: small enough that the last chunks even out who finishes when, large enough that taking one costs nothing. */
const CHUNK = 64 * 1024;

/** A compile's workers, started, by the caller's byte array. */
interface Started {
  readonly job: CompileJob;
  readonly workers: number;
  readonly results: Promise<JobResult>[];
}
const started = new WeakMap<Uint8Array, Started>();

/**
 * Starts `n` workers on a compile of `bytes`. The chunk count comes from
 * the binary's size here (the module is not decoded yet) and is fixed for
 * the whole compile: every thread cuts the same chunks from it.
 */
function start(bytes: Uint8Array, n: number): Started {
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  const job: CompileJob = {
    bytes: shared, next: new SharedArrayBuffer(4), chunks: Math.max(4 * (n + 1), Math.ceil(bytes.length / CHUNK)),
    // The function count is not known before decoding; a module has fewer functions than bytes.
    grows: new SharedArrayBuffer(bytes.length), ready: new SharedArrayBuffer(4),
  };
  const p = getPool(n);
  const results = Array.from({ length: n }, () => p.run(job) as Promise<JobResult>);
  // A compile that ends early (an invalid module, an inline compile after all) never awaits them.
  for (const r of results) r.catch(() => {});
  return { job, workers: n, results };
}

/** Wakes the started workers waiting before their first chunk. */
function wake(s: Started): void {
  const ready = new Int32Array(s.job.ready);
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}

/** Hands the may-grow table to the started workers, which wait for it before their first chunk. */
function release(s: Started, grows: Uint8Array): void {
  new Uint8Array(s.job.grows).set(grows);
  wake(s);
}

/** Stops a started compile's workers after their current chunk (or before their first). */
function cancel(s: Started): void {
  Atomics.store(new Int32Array(s.job.next), 0, 1 << 30);
  wake(s);
}

/**
 * Starts the workers of a parallel compile of `bytes` while the caller
 * decodes and validates it (then calls compileParallel with the same
 * array): their start-up, the loading of the compiler in each and their
 * own decode overlap that work instead of following it. Does nothing when
 * the compile would run inline anyway. A caller whose decode or validation
 * fails calls `cancelWarm`.
 */
export function warmPool(bytes: Uint8Array, options: CompileOptions = {}, threads?: number): void {
  const n = workersFor(bytes.length, options, threads);
  if (n > 0 && !started.has(bytes)) started.set(bytes, start(bytes, n));
}

/** Cancels what warmPool started for `bytes` (the compile is not going to happen). */
export function cancelWarm(bytes: Uint8Array): void {
  const s = started.get(bytes);
  started.delete(bytes);
  if (s !== undefined) cancel(s);
}

/** Closes the pool (tests and CLI exit cleanly). */
export async function closePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

/** Compiles `module` (decoded from `bytes` and validated), on workers when it is large. */
export async function compileParallel(bytes: Uint8Array, module: Module, options: CompileOptions = {}, threads?: number): Promise<CompiledModule> {
  // Workers besides this thread, which emits chunks too.
  const n = workersFor(codeBytes(module), options, threads);
  const warm = started.get(bytes);
  started.delete(bytes); // a later compile of the same array starts afresh
  const reuse = warm !== undefined && warm.workers === n;
  if (warm !== undefined && !reuse) cancel(warm);
  if (n === 0) return compile(module, options);
  const s = reuse ? warm : start(bytes, n);
  try {
    return await emitShared(module, options, s);
  } catch (e) {
    cancel(s); // an unsupported feature, say: the workers' chunks are not wanted
    throw e;
  }
}

/** The passes, with pass 3 shared between this thread and the started workers `s`. */
function emitShared(module: Module, options: CompileOptions, s: Started): Promise<CompiledModule> {
  return finish(module, options, async (passMs, grows) => {
    const t0 = performance.now();
    release(s, grows);
    const ranges = chunkRanges(module, s.job.chunks);
    const next = new Int32Array(s.job.next);
    const done = new Array<FuncCode[] | undefined>(ranges.length);
    let own = 0;
    let ownMs = 0;
    try {
      for (let k = Atomics.add(next, 0, 1); k < ranges.length; k = Atomics.add(next, 0, 1)) {
        // Piscina hands a task to a worker from this thread's event loop
        // (once the worker says it is ready): yield to it between chunks,
        // or the workers would get their tasks only after this loop took
        // every chunk itself.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const t = performance.now();
        const out: FuncCode[] = [];
        for (let i = ranges[k]![0]; i < ranges[k]![1]; i++) out.push(emitFunction(module, i, grows));
        done[k] = out;
        own++;
        ownMs += performance.now() - t;
      }
    } finally {
      cancel(s); // every chunk is taken: a worker still decoding need not emit
    }
    const ownDone = performance.now();
    // Chunks the workers took: wait for the workers that took them (one that
    // started too late to take any is not waited for).
    let missing = ranges.length - own;
    if (missing > 0) {
      await new Promise<void>((resolve, reject) => {
        for (const r of s.results) {
          r.then(({ taken, funcs }) => {
            const all = unpack(funcs);
            let at = 0;
            for (const k of taken) {
              const [from, to] = ranges[k]!;
              done[k] = all.slice(at, at + to - from);
              at += to - from;
            }
            missing -= taken.length;
            if (missing === 0) resolve();
          }, reject);
        }
      });
    }
    passMs['emit-function'] = performance.now() - t0;
    // How the work split: this thread's chunks and time, then the wait for the workers' last ones.
    passMs['emit-function: chunks'] = ranges.length;
    passMs['emit-function: own chunks'] = own;
    passMs['emit-function: own ms'] = ownMs;
    passMs['emit-function: waiting for workers'] = performance.now() - ownDone;
    return { funcs: done.flat() as FuncCode[], workers: s.workers };
  });
}
