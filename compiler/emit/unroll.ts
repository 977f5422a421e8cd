/**
 * Unrolling of small innermost loops, at a loop's `end` (control.ts): the
 * body is written FACTOR times per round of the `while`, each copy but the
 * last leaving the loop where the original would not continue it:
 *
 *   L4: while (true) {                       L4: while (true) {
 *     if (pf[0] !== 0) { … }                   if (pf[0] !== 0) { … }    // checkpoint, if any: once a round
 *     BODY                                     BODY
 *     if (C) continue L4;            →         if (!(C)) break L4;
 *     break L4;                                BODY
 *   }                                          if (C) continue L4;
 *                                              break L4;
 *                                            }
 *
 * Why: V8 does not unroll JavaScript loops, and each round pays the loop's
 * own overhead and, with checkpoints, the flag check, which after a DataView
 * store reloads the flag array's fields. bench/kernels/matmul's inner loop
 * ran 9% faster unrolled twice in native code, and its checkpointed code went
 * from 1.15x to 1.09x of native (to 1.03x unrolled four times).
 *
 * Invariant: only a loop whose body holds no loop, call or memory.grow (so no
 * other checkpoint, no view re-read marker) and that ends in exactly the two
 * lines above is unrolled. Every copy starts in the state the loop header
 * has (everything flushed to its variables), so falling from one copy into
 * the next is the same as `continue`; any other `continue` in a copy goes
 * back to the header (and its check), which is also the same.
 */
import type { Instr } from '../../interpreter/core.js';
import type { Ctrl, FuncEmitter } from './func-emitter.js';

/** Ops whose code must not be repeated within a round (checkpoints, re-read markers) or that make the loop not innermost. */
const BLOCKERS = new Set<Instr['op']>(['loop', 'call', 'call_indirect', 'memory.grow']);

/**
 * Body lines (without the closing pair) up to which a loop is unrolled, and
 * how many copies a round holds. Measured on the bench kernels, native code:
 * four copies of bodies up to 16 lines gave matmul 0.91x, sieve 0.86x,
 * memops 0.91x; two copies 0.93x, 0.92x, 1.01x; unrolling bodies up to 24
 * or 40 lines slowed i64arith by 9-13% (its gcd loop runs few rounds).
 */
const UP_TO = 16;
const FACTOR = 4;

/** A line of the checkpoint pass's slot clearing (passes/checkpoints.ts clearDeadSlots), which costs no machine code. */
const ZEROING = /^\s*(s\d+h? = 0;\s*)+$/;

/** Unrolls loop `c` (its `break` line written, not yet closed) when it qualifies; `end` is the index of its `end`. */
export function unrollLoop(fe: FuncEmitter, c: Ctrl, end: number): void {
  const lines = fe.w.lines, offsets = fe.w.offsets;
  const n = lines.length;
  const from = c.bodyLine;
  let size = 0;
  for (let i = from; i < n - 2; i++) if (!ZEROING.test(lines[i]!)) size++;
  if (size <= 0 || size > UP_TO) return;
  const last = lines[n - 2]!, brk = lines[n - 1]!;
  if (brk.trim() !== `break ${c.label};`) return;
  const tail = ` continue ${c.label};`;
  const t = last.trimStart();
  if (!t.startsWith('if (') || !t.endsWith(tail)) return;
  const body = fe.func.body;
  for (let i = c.start + 1; i < end; i++) if (BLOCKERS.has(body[i]!.op)) return;
  const cond = t.slice(3, t.length - tail.length); // `(C)`, parentheses included
  const indent = last.slice(0, last.length - t.length);
  const copyLines = lines.slice(from, n - 2), copyOffsets = offsets.slice(from, n - 2);
  const exitLine = `${indent}if (!${cond}) break ${c.label};`, exitOffset = offsets[n - 2]!;
  const closing = lines.splice(n - 2, 2), closingOffsets = offsets.splice(n - 2, 2);
  for (let k = 1; k < FACTOR; k++) {
    lines.push(exitLine, ...copyLines);
    offsets.push(exitOffset, ...copyOffsets);
  }
  lines.push(...closing);
  offsets.push(...closingOffsets);
}
