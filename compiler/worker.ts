/**
 * The worker side of parallel compilation (parallel.ts). One task per worker
 * per compile: the worker decodes the module's sections from the shared
 * bytes but none of the function bodies (while the calling thread decodes
 * and validates the whole module), works out the chunk cut itself, waits for
 * the calling thread's may-grow table, then takes chunks from the counter
 * every thread of the compile shares, until none is left, decoding each
 * chunk's bodies as it emits them, and returns what it emitted. Nobody hands
 * chunks out, so no thread waits to be told what to do next, and a worker
 * decodes only the bodies it emits.
 *
 * The calling thread has validated the module, so a worker only decodes (the
 * same bytes decode the same on every thread). Setting the counter past the
 * last chunk cancels the compile: a worker stops after its current chunk
 * (cancel also releases a worker waiting for the may-grow table).
 *
 * Invariant: the result is plain data (the taken chunk numbers, and their
 * FuncCode packed by transfer.ts), identical once unpacked to what
 * `emitFunction` gives on the calling thread for the same chunks.
 */
import { decode, decodeBody } from '../interpreter/core.js';
import { chunkRanges } from './chunks.js';
import { emitFunction, type FuncCode } from './passes/emit-function.js';
import { pack, type PackedFuncs } from './transfer.js';

export interface CompileJob {
  /** The module's binary. */
  readonly bytes: SharedArrayBuffer;
  /** One Int32: the next chunk to take (Atomics.add), shared by every thread of this compile. */
  readonly next: SharedArrayBuffer;
  /** Chunks the functions are cut into (chunks.ts). */
  readonly chunks: number;
  /** The may-grow table (passes/may-grow.ts, a byte per function index), written by the calling thread. */
  readonly grows: SharedArrayBuffer;
  /** One Int32: 1 once `grows` is written (or the compile is cancelled). */
  readonly ready: SharedArrayBuffer;
}

export interface JobResult {
  /** The chunks this worker emitted, in the order taken. */
  readonly taken: Int32Array;
  /** Their functions, chunk after chunk. */
  readonly funcs: PackedFuncs;
}

/** How long a worker waits for the may-grow table before it gives the compile up (the caller never came). */
const READY_TIMEOUT_MS = 60_000;

const NOTHING = (): JobResult => ({ taken: new Int32Array(0), funcs: pack([]) });

export default function emitChunks(job: CompileJob): JobResult {
  const next = new Int32Array(job.next);
  if (Atomics.load(next, 0) >= job.chunks) return NOTHING();
  const bytes = new Uint8Array(job.bytes);
  const module = decode(bytes, { lazyBodies: true });
  const ranges = chunkRanges(module, job.chunks);
  if (Atomics.wait(new Int32Array(job.ready), 0, 0, READY_TIMEOUT_MS) === 'timed-out') return NOTHING();
  const grows = new Uint8Array(job.grows, 0, module.funcTypes.length);
  const taken: number[] = [];
  const out: FuncCode[] = [];
  for (let k = Atomics.add(next, 0, 1); k < ranges.length; k = Atomics.add(next, 0, 1)) {
    taken.push(k);
    for (let i = ranges[k]![0]; i < ranges[k]![1]; i++) {
      decodeBody(bytes, module, module.funcs[i - module.importedFuncCount]!);
      out.push(emitFunction(module, i, grows));
    }
  }
  return { taken: Int32Array.from(taken), funcs: pack(out) };
}
