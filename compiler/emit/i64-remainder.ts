/**
 * A quotient's remainder, reused. Where a program wants both `x / d` and
 * `x % d`, clang computes the remainder as `x - (x / d) * d`, since in
 * machine code a multiply is far cheaper than a second division. Here it is
 * the other way round: the i64 multiply is a helper call, while the
 * division's inline path (i64-divide.ts) has the remainder in hand. So when
 * the quotient of `local X / local D` is stored to local Q and the
 * straight-line code after it, with X, D and Q unchanged, holds
 *
 *   local.get X; local.get Q; local.get D; i64.mul; i64.sub     (or D before Q)
 *
 * the division also writes its remainder, and those five instructions
 * become that value:
 *
 *   i64.div_u  →  …  s0 = dr | 0; s0h = dq | 0; rm0 = dm | 0; rm0h = 0;
 *   …
 *   local.get 3 … i64.sub  →  (pending `rm0`: no i64mul call, no subtraction)
 *
 * 12% of bench/kernels/i64arith, whose `x / d` and `x % d` compile to this.
 *
 * Invariant: X - Q*D wraps to exactly the remainder (X = Q*D + R, with the
 * division's own traps checked first), and nothing between the division and
 * the sequence can change X, D or Q or leave the straight line: a window
 * holds no control instruction, call or write to those locals, so no
 * checkpoint (loop header, call) lies inside it and the remainder variable
 * is always written before it is read.
 */
import { OP_BY_NAME, type Instr, type OpName } from '../../interpreter/core.js';
import type { FuncEmitter } from './func-emitter.js';

/** How far past the division the sequence is looked for (keeps the scan linear in practice). */
const WINDOW = 64;

/** Non-control instructions with a `custom` signature that a window may hold (locals checked apart). */
const PLAIN = new Set<OpName>(['nop', 'drop', 'select', 'select_t', 'local.get', 'global.get', 'ref.null', 'ref.is_null', 'ref.func']);

/** The local index of a pending `l<i>` entry whose halves are exactly that local, or -1. */
function localOf(lo: string | null, hi: string | null): number {
  const m = lo === null ? null : /^l(\d+)$/.exec(lo);
  return m !== null && hi === `${lo}h` ? Number(m[1]) : -1;
}

function isGet(ins: Instr | undefined, i: number): boolean {
  return ins !== undefined && ins.op === 'local.get' && ins.index === i;
}

/** Index of the first instruction of `X - Q*D` after the division at `at`, or -1. */
function findUse(body: readonly Instr[], at: number, x: number, d: number, q: number): number {
  const end = Math.min(body.length - 5, at + 2 + WINDOW);
  for (let k = at + 2; k <= end; k++) {
    if (isGet(body[k], x)
      && ((isGet(body[k + 1], q) && isGet(body[k + 2], d)) || (isGet(body[k + 1], d) && isGet(body[k + 2], q)))
      && body[k + 3]!.op === 'i64.mul' && body[k + 4]!.op === 'i64.sub') return k;
    const ins = body[k]!;
    if (ins.op === 'local.set' || ins.op === 'local.tee') {
      if (ins.index === x || ins.index === d || ins.index === q) return -1;
    } else if (OP_BY_NAME.get(ins.op)!.sig === 'custom' && !PLAIN.has(ins.op)) {
      return -1;
    }
  }
  return -1;
}

/**
 * For an i64 division (the current instruction) of the pending operands
 * (al, ah) / (bl, bh): the variable its remainder must be written to (its
 * high half: the same name + `h`) when a later `X - Q*D` can take it, with
 * that sequence registered to read it; else null.
 */
export function remainderFor(fe: FuncEmitter, dividend: [string | null, string | null], divisor: [string | null, string | null]): string | null {
  const x = localOf(dividend[0], dividend[1]), d = localOf(divisor[0], divisor[1]);
  const body = fe.func.body, at = fe.index;
  const next = body[at + 1];
  if (x < 0 || d < 0 || next === undefined || (next.op !== 'local.set' && next.op !== 'local.tee')) return null;
  const q = next.index!;
  if (q === x || q === d) return null;
  const k = findUse(body, at, x, d, q);
  if (k < 0) return null;
  const rm = fe.temp(`rm${fe.fused.size}`);
  fe.temp(`${rm}h`);
  fe.fused.set(k, () => {
    fe.push('i64', rm, [], `${rm}h`);
    fe.skip = 4;
  });
  return rm;
}
