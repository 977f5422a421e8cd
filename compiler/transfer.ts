/**
 * How a worker's emitted functions travel back to the calling thread
 * (parallel.ts, worker.ts). Structured clone of FuncCode as it is (one
 * string per line, one number array per function) costs a quarter of the
 * emit time and half of it lands on the calling thread, which is emitting
 * chunks of its own meanwhile: measured 34 ms to carry what took 133 ms to
 * emit, on 100 functions of bench/large. Packed, the lines are one string
 * and the offsets one Int32Array: 0.5 ms to carry and 1 ms to split again.
 *
 * Invariant: `unpack(pack(fs))` equals `fs` (generated lines never hold a
 * line break: names from the module are escaped, see emit/).
 */
import { InternalError } from '../interpreter/core.js';
import type { FuncCode } from './passes/emit-function.js';

/** FuncCode without its lines and offsets, which travel packed. */
type FuncMeta = Omit<FuncCode, 'lines' | 'offsets'>;

export interface PackedFuncs {
  /** Every function's lines, in order, joined by '\n'. */
  readonly text: string;
  /** Every line's code offset, in the same order. */
  readonly offsets: Int32Array;
  /** Lines per function. */
  readonly counts: Int32Array;
  readonly meta: readonly FuncMeta[];
}

export function pack(funcs: readonly FuncCode[]): PackedFuncs {
  const lines: string[] = [];
  const offsets: number[] = [];
  const counts = new Int32Array(funcs.length);
  const meta: FuncMeta[] = [];
  funcs.forEach((f, k) => {
    const { lines: ls, offsets: os, ...rest } = f;
    for (let i = 0; i < ls.length; i++) lines.push(ls[i]!);
    for (let i = 0; i < os.length; i++) offsets.push(os[i]!);
    counts[k] = ls.length;
    meta.push(rest);
  });
  return { text: lines.join('\n'), offsets: Int32Array.from(offsets), counts, meta };
}

export function unpack(p: PackedFuncs): FuncCode[] {
  const lines = p.text === '' ? [] : p.text.split('\n');
  if (lines.length !== p.offsets.length) throw new InternalError(`packed functions: ${lines.length} lines for ${p.offsets.length} offsets`);
  const out: FuncCode[] = [];
  let at = 0;
  p.meta.forEach((m, k) => {
    const n = p.counts[k]!;
    out.push({ ...m, lines: lines.slice(at, at + n), offsets: Array.from(p.offsets.subarray(at, at + n)) });
    at += n;
  });
  return out;
}
