/**
 * How a worker's emitted functions travel back to the calling thread
 * (parallel.ts, worker.ts). Each function's code is already one string
 * (FuncCode.code), which structured clone copies in one go; the per-line
 * code offsets travel as one Int32Array for all the functions instead of
 * an array of numbers each (cloned number by number, that was a quarter of
 * the emit time), and come back as views into it, not copies.
 *
 * Invariant: `unpack(pack(fs))` equals `fs` up to the type of `offsets`
 * (an Int32Array view, the same numbers).
 */
import type { FuncCode } from './passes/emit-function.js';

/** FuncCode without its offsets, which travel packed. */
type FuncMeta = Omit<FuncCode, 'offsets'>;

export interface PackedFuncs {
  /** Every function's code offsets, one per line, function after function. */
  readonly offsets: Int32Array;
  /** Lines per function. */
  readonly counts: Int32Array;
  readonly funcs: readonly FuncMeta[];
}

export function pack(funcs: readonly FuncCode[]): PackedFuncs {
  const counts = new Int32Array(funcs.length);
  funcs.forEach((f, k) => (counts[k] = f.offsets.length));
  const offsets = new Int32Array(counts.reduce((n, c) => n + c, 0));
  const meta: FuncMeta[] = [];
  let at = 0;
  for (const { offsets: os, ...rest } of funcs) {
    for (let i = 0; i < os.length; i++) offsets[at++] = os[i]!;
    meta.push(rest);
  }
  return { offsets, counts, funcs: meta };
}

export function unpack(p: PackedFuncs): FuncCode[] {
  let at = 0;
  return p.funcs.map((m, k) => {
    const n = p.counts[k]!;
    const offsets = p.offsets.subarray(at, at + n);
    at += n;
    return { ...m, offsets };
  });
}
