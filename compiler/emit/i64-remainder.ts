/**
 * A quotient's remainder, reused. Where a program wants both `x / d` and
 * `x % d`, clang computes the remainder as `x - (x / d) * d`, since in
 * machine code a multiply is far cheaper than a second division. Here it is
 * the other way round: the i64 multiply is a dozen operations on 16-bit
 * digits (i64.ts), while the division's inline path (i64-divide.ts) has the
 * remainder in hand. The
 * dividend X must be a local, the divisor D a local or a constant, and the
 * division is followed by one of clang's two shapes:
 *
 *   stored:  X / D; local.set|tee Q; …straight-line code, X D Q unchanged…;
 *            local.get X; local.get Q; D; i64.mul; i64.sub     (or D before Q)
 *   teed:    local.get X; X / D; local.tee Q; D; i64.mul; i64.sub
 *            (`x /= 10` with its digit, as in printf's integer formatting)
 *
 * Then the division also writes its remainder, and the sequence from its
 * first `local.get` (stored) or the second D (teed) becomes that value:
 *
 *   i64.div_u  →  …  s0 = dr | 0; s0h = dq | 0; rm0 = dm | 0; rm0h = 0;
 *   …
 *   local.get 3 … i64.sub  →  (pending `rm0`: no multiply, no subtraction)
 *
 * bench/kernels/i64arith, whose `x / d` and `x % d` compile to this: 3.02x
 * of V8 without it, 2.74x with it (the multiply inline either way).
 *
 * Invariant: X - Q*D wraps to exactly the remainder (X = Q*D + R, with the
 * division's own traps checked first), and nothing between the division and
 * the sequence can change X, D or Q or leave the straight line: a window
 * holds no control instruction, call or write to those locals, so no
 * checkpoint (loop header, call) lies inside it and the remainder variable
 * is always written before it is read.
 */
import { OP_BY_NAME, type Instr, type OpName } from '../../interpreter/core.js';
import type { Entry, FuncEmitter } from './func-emitter.js';

/** How far past the division the stored shape is looked for (keeps the scan linear in practice). */
const WINDOW = 64;

/** Non-control instructions with a `custom` signature that a window may hold (locals checked apart). */
const PLAIN = new Set<OpName>(['nop', 'drop', 'select', 'select_t', 'local.get', 'global.get', 'ref.null', 'ref.is_null', 'ref.func']);

/** The local index of a pending `l<i>` entry whose halves are exactly that local, or -1. */
function localOf(e: Entry | undefined): number {
  const m = e === undefined || e.lo === null ? null : /^l(\d+)$/.exec(e.lo);
  return m !== null && e!.hi === `${e!.lo}h` ? Number(m[1]) : -1;
}

function isGet(ins: Instr | undefined, i: number): boolean {
  return ins !== undefined && ins.op === 'local.get' && ins.index === i;
}

/**
 * Whether `ins` pushes the same divisor as `divisor` (the instruction that
 * pushed it, before the division): a local.get of the same local (a tee
 * there: of the local it wrote) or an equal i64.const.
 */
function sameDivisor(ins: Instr | undefined, divisor: Instr): boolean {
  if (ins === undefined) return false;
  if (divisor.op === 'i64.const') return ins.op === 'i64.const' && ins.value === divisor.value;
  return isGet(ins, divisor.index!);
}

/** The local a divisor instruction reads (-1 for a constant). */
function divisorLocal(divisor: Instr): number {
  return divisor.op === 'i64.const' ? -1 : divisor.index!;
}

/** Index of the first instruction of the stored shape's `X - Q*D` after the division at `at`, or -1. */
function findStored(body: readonly Instr[], at: number, x: number, divisor: Instr, q: number): number {
  const d = divisorLocal(divisor);
  const end = Math.min(body.length - 5, at + 2 + WINDOW);
  for (let k = at + 2; k <= end; k++) {
    if (isGet(body[k], x)
      && ((isGet(body[k + 1], q) && sameDivisor(body[k + 2], divisor)) || (sameDivisor(body[k + 1], divisor) && isGet(body[k + 2], q)))
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

/** A fresh variable for a remainder (its high half: the same name + `h`). */
function remainderVar(fe: FuncEmitter): string {
  const rm = fe.temp(`rm${fe.fused.size}`);
  fe.temp(`${rm}h`);
  return rm;
}

/**
 * For an i64 division (the current instruction, its operands still on the
 * stack): the variable its remainder must be written to (its high half: the
 * same name + `h`) when a later `X - Q*D` can take it, with that sequence
 * registered to read it; else null.
 */
export function remainderFor(fe: FuncEmitter): string | null {
  const body = fe.func.body, at = fe.index, h = fe.height;
  const divisor = body[at - 1], next = body[at + 1];
  const x = localOf(fe.stack[h - 2]);
  if (x < 0 || divisor === undefined || next === undefined) return null;
  if (divisor.op !== 'i64.const' && divisor.op !== 'local.get' && divisor.op !== 'local.tee') return null;
  const d = divisorLocal(divisor), q = next.index!;
  if (next.op === 'local.tee' && q !== d && localOf(fe.stack[h - 3]) === x
    && sameDivisor(body[at + 2], divisor) && body[at + 3]?.op === 'i64.mul' && body[at + 4]?.op === 'i64.sub') {
    // Teed: the X below the operands and the quotient on top give way to the remainder.
    const rm = remainderVar(fe);
    fe.fused.set(at + 2, () => {
      fe.pop();
      fe.pop();
      fe.push('i64', rm, [], `${rm}h`);
      fe.skip = 2;
    });
    return rm;
  }
  if ((next.op !== 'local.set' && next.op !== 'local.tee') || q === x || q === d) return null;
  const k = findStored(body, at, x, divisor, q);
  if (k < 0) return null;
  const rm = remainderVar(fe);
  fe.fused.set(k, () => {
    fe.push('i64', rm, [], `${rm}h`);
    fe.skip = 4;
  });
  return rm;
}
