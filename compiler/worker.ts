/**
 * The worker side of parallel compilation (parallel.ts). One task per worker
 * per compile: the worker decodes the module from the shared bytes (while
 * the calling thread decodes and validates it), works out the may-grow table
 * and the chunk cut itself, then takes chunks from the counter every thread
 * of the compile shares, until none is left, and returns what it emitted.
 * Nobody hands chunks out, so no thread waits for another to be told what
 * to do next; the calling thread only waits, at the end, for chunks a worker
 * is still emitting.
 *
 * The calling thread has validated the module, so a worker only decodes
 * (the same bytes decode the same on every thread). Setting the counter past
 * the last chunk cancels the compile: a worker stops after its current chunk.
 *
 * Invariant: the result is plain data (the taken chunk numbers, and their
 * FuncCode packed by transfer.ts), identical once unpacked to what
 * `emitFunction` gives on the calling thread for the same chunks.
 */
import { decode } from '../interpreter/core.js';
import { chunkRanges } from './chunks.js';
import { emitFunction, type FuncCode } from './passes/emit-function.js';
import { mayGrow } from './passes/may-grow.js';
import { pack, type PackedFuncs } from './transfer.js';

export interface CompileJob {
  /** The module's binary. */
  readonly bytes: SharedArrayBuffer;
  /** One Int32: the next chunk to take (Atomics.add), shared by every thread of this compile. */
  readonly next: SharedArrayBuffer;
  /** Chunks the functions are cut into (chunks.ts). */
  readonly chunks: number;
}

export interface JobResult {
  /** The chunks this worker emitted, in the order taken. */
  readonly taken: Int32Array;
  /** Their functions, chunk after chunk. */
  readonly funcs: PackedFuncs;
}

export default function emitChunks(job: CompileJob): JobResult {
  const next = new Int32Array(job.next);
  if (Atomics.load(next, 0) >= job.chunks) return { taken: new Int32Array(0), funcs: pack([]) };
  const module = decode(new Uint8Array(job.bytes));
  const grows = mayGrow(module);
  const ranges = chunkRanges(module, job.chunks);
  const taken: number[] = [];
  const out: FuncCode[] = [];
  for (let k = Atomics.add(next, 0, 1); k < ranges.length; k = Atomics.add(next, 0, 1)) {
    taken.push(k);
    for (let i = ranges[k]![0]; i < ranges[k]![1]; i++) out.push(emitFunction(module, i, grows));
  }
  return { taken: Int32Array.from(taken), funcs: pack(out) };
}
