/**
 * i64 division and remainder, lowered inline for the divisors that fit in
 * 31 bits (the common case: hashing, formatting, `x % n`), with the
 * module's helpers (i64-support.ts) for the rest:
 *
 *   i64.rem_u  →  if ((s3 | s3h) === 0) throw trap(DIV_ZERO, 0x1a3, 5);
 *                 if (s3h === 0 && s3 > 0) {
 *                  if (s2h === 0) { s2 = ((s2 >>> 0) % s3) | 0; s2h = 0; }
 *                  else { …high digit by uint32 division, low digit in doubles… }
 *                 } else if (s3h !== 0) { s2 = i64udiv64(s2, s2h, s3, s3h, true); s2h = H; }
 *                 else { s2 = i64udiv(s2, s2h, s3, s3h, true); s2h = H; }
 *
 * A constant divisor settles the checks and the arm at compile time: only
 * the arm it takes is written, without its condition.
 *
 * Inline inside loops because V8 inlines only so many bytes of helpers into
 * one function: past that budget each division was a real call with tagged
 * arguments (measured on bench/kernels/i64arith). Outside loops a division
 * by a variable runs at most once per call: it is the traps and one helper
 * call, whose narrow-divisor path is this same sequence (i64udivn,
 * i64sdivn), so a small hot function that V8 inlines the helper into runs
 * as fast, and a large function's cold divisions cost a tenth of the text
 * to parse and compile (bench/large: 41 MB of output to 28 MB, its first
 * run 0.87 s to 0.60 s).
 *
 * The 64/31-bit step, exact: the high digit qh = ah / d and its remainder
 * r < d come from V8's uint32 division; for the low digit q of r*2^32 + al
 * (< d*2^32, too wide for any JavaScript integer operation), with
 * c = 1 - 2^-50, the estimate x * (c/d) is the true x/d scaled down by c
 * with at most four roundings of 2^-53, which cannot lift it back: it lies
 * below x/d and (x/d < 2^32) above x/d - 2^-17, so its floor is q or q - 1;
 * r*2^32 + al - q*d then lies in [0, 2d) within 2^32, its low 32 bits
 * `al - imul(q, d)` are all of it, and one comparison corrects q. The
 * division c/d depends on the divisor only, off the dividend's dependency
 * chain; signed operands go through their magnitudes.
 *
 * A constant divisor d below 2^16 (`x / 10`, `n % 10000`: number
 * formatting, time units) needs no doubles: with K = floor(2^32 / d) and
 * R = 2^32 mod d, the low digit of rh*2^32 + al (rh = ah mod d) is
 * rh*K + floor(al / d) + floor(a / d) for a = (al mod d) + rh*R < d^2 <
 * 2^32, every division a uint32 one by a constant, which V8 turns into a
 * multiply: a 64-bit formatting loop went from 3.8x to 2.7x of V8.
 *
 * Invariant: every operand is read before the result slot (which may be
 * the dividend's own slot) is written; traps are checked first, with the
 * instruction's position (INT64_MIN / -1 for div_s; rem_s gives 0).
 */
import { literalValue, type Emit, type Entry, type FuncEmitter } from './func-emitter.js';
import { remainderFor } from './i64-remainder.js';
import { borrow } from './i64-carry.js';
import type { I64Helper } from './i64-support.js';

/** The division's operand halves, and the divisor's values when it is a constant (both halves literals). */
interface Operands { al: string; ah: string; bl: string; bh: string; c: { lo: number; hi: number } | null }

/** 1 - 2^-50, the estimate's scale (see the header). */
const BELOW = '0.9999999999999991';

/** The largest constant divisor of the multiply-only path (see the header). */
const SMALL = 0xffff;

/**
 * Unsigned (xl, xh) / d for 0 < d < 2^31, xh any: leaves the quotient's
 * halves in dr (low, as an int32) and dq (high), the remainder in
 * dm. `rem`: only the remainder is wanted, so the high digit is skipped.
 * `c`: d's value when it is a constant of at most SMALL.
 */
function digits(fe: FuncEmitter, xl: string, xh: string, d: string, rem: boolean, c: number | null): void {
  if (c !== null) return constantDigits(fe, xl, xh, c, rem);
  const di = fe.temp('di'), dq = fe.temp('dq'), dr = fe.temp('dr'), dm = fe.temp('dm');
  fe.w.line(`${di} = ${BELOW} / ${d};`);
  // Both operands unsigned: V8 emits its integer division (a third faster on
  // i64arith than estimating this digit in doubles and correcting it).
  if (rem) {
    fe.w.line(`${dr} = ((${xh} >>> 0) % (${d} >>> 0)) | 0;`);
  } else {
    fe.w.line(`${dq} = ((${xh} >>> 0) / (${d} >>> 0)) >>> 0;`);
    fe.w.line(`${dr} = (${xh} - imul(${dq}, ${d})) | 0;`);
  }
  // The low digit as an int32 (its low 32 bits: imul and the sign masks take no other).
  fe.w.line(`${dr} = Math_floor((${dr} * 4294967296 + (${xl} >>> 0)) * ${di}) | 0;`);
  // The remainder below 2d < 2^32, compared unsigned but kept an int32:
  // held as a uint32 (`>>> 0`, `-=`) V8 gave it a double, two conversions
  // on the dividend's dependency chain (i64arith's loop without its gcd 8% slower).
  fe.w.line(`${dm} = (${xl} - imul(${dr}, ${d})) | 0;`);
  fe.w.line(`if ((${dm} >>> 0) >= (${d} >>> 0)) { ${dr} = (${dr} + 1) | 0; ${dm} = (${dm} - ${d}) | 0; }`);
}

/** digits() for the constant divisor 0 < d <= SMALL: uint32 divisions by constants only (see the header). */
function constantDigits(fe: FuncEmitter, xl: string, xh: string, d: number, rem: boolean): void {
  const dq = fe.temp('dq'), dr = fe.temp('dr'), dm = fe.temp('dm');
  const k = Math.floor(2 ** 32 / d), r = 2 ** 32 % d;
  if (rem) {
    fe.w.line(`${dr} = ((${xh} >>> 0) % ${d}) | 0;`);
    fe.w.line(`${dm} = ((((${xl} >>> 0) % ${d}) | 0) + imul(${dr}, ${r})) >>> 0; ${dm} = ${dm} % ${d};`);
    return;
  }
  const dl = fe.temp('dl'), da = fe.temp('da');
  fe.w.line(`${dq} = ((${xh} >>> 0) / ${d}) >>> 0; ${dr} = (${xh} - imul(${dq}, ${d})) | 0;`);
  fe.w.line(`${dl} = ((${xl} >>> 0) / ${d}) >>> 0; ${dm} = (((${xl} - imul(${dl}, ${d})) | 0) + imul(${dr}, ${r})) >>> 0;`);
  fe.w.line(`${da} = (${dm} / ${d}) >>> 0; ${dr} = (imul(${dr}, ${k}) + ${dl} + ${da}) | 0; ${dm} = (${dm} - imul(${da}, ${d})) >>> 0;`);
}

/** 1 when the int32 expression `x` (repeated) is 0, else 0, without a branch. */
function isZero(x: string): string {
  return `(((${x} | ((0 - ${x}) | 0)) >>> 31) ^ 1)`;
}

/**
 * `rm = al - (s * bl)` for the quotient s of (al, ah) / (bl, bh): the
 * remainder a quotient's sequence takes (i64-remainder.ts), on the helper
 * paths, where the division left no remainder.
 */
function byProduct(fe: FuncEmitter, o: Operands, s: string, rm: string): void {
  const { al, ah, bl, bh } = o;
  const t = fe.temp('t');
  fe.support.add('i64mul');
  fe.w.line(`${rm} = i64mul(${s}, ${s}h, ${bl}, ${bh}) | 0; ${rm}h = H | 0;`);
  fe.w.line(`${t} = (${al} - ${rm}) | 0; ${rm}h = (${ah} - ${rm}h - ${borrow(al, rm, t)}) | 0; ${rm} = ${t};`);
}

/**
 * The division outside loops: a call of the i64-support.ts wrapper that
 * divides any operands (the quotient or remainder, signed or unsigned), one
 * short line.
 */
function compactCall(fe: FuncEmitter, o: Operands, s: string, isSigned: boolean, rem: boolean): void {
  helperArm(fe, o, s, isSigned ? (rem ? 'i64rems' : 'i64divs') : (rem ? 'i64remu' : 'i64divu'), '', null);
}

/**
 * The inline division's last arm, for the divisors no other arm takes: the
 * general helper itself, not its wrapper. V8 inlines a function as small as
 * a wrapper at every call whatever its call count, and the whole general
 * division with it; in a hot loop that spent the inlining budget the hot
 * arms' helpers needed, and a 64-bit gcd ran at 36 ms or at 29 ms from one
 * process to the next (which of the two was compiled first).
 */
function generalArm(fe: FuncEmitter, o: Operands, s: string, isSigned: boolean, rem: boolean, rm: string | null): void {
  helperArm(fe, o, s, isSigned ? 'i64sdiv' : 'i64udiv', `, ${rem}`, rm);
}

/**
 * The arm that calls an i64-support.ts helper (`extra`: arguments after the operands):
 * the quotient or remainder, and `rm` by product when a sequence wants it.
 */
function helperArm(fe: FuncEmitter, o: Operands, s: string, helper: I64Helper, extra: string, rm: string | null): void {
  fe.support.add(helper);
  fe.w.line(`${s} = ${helper}(${o.al}, ${o.ah}, ${o.bl}, ${o.bh}${extra}); ${s}h = H | 0;`);
  if (rm !== null) byProduct(fe, o, s, rm);
}

/**
 * Emits the arms as `if (c0) { … } else if (c1) { … } else { … }` (the last
 * arm's condition unused), or only arm `only` when a constant divisor settles
 * which one runs.
 */
function chain(fe: FuncEmitter, arms: readonly (readonly [string, () => void])[], only: number | null): void {
  if (only !== null) return arms[only]![1]();
  arms.forEach(([cond, body], i) => {
    const at = fe.w.open(i === 0 ? `if (${cond}) {` : i < arms.length - 1 ? `else if (${cond}) {` : 'else {');
    body();
    fe.w.closeShort(at);
  });
}

/** The divisor's halves when both are literals (a constant divisor), else null. */
function constantOf(bl: string, bh: string): { lo: number; hi: number } | null {
  const lo = literalValue(bl), hi = literalValue(bh);
  return lo === null || hi === null ? null : { lo, hi };
}

/** `rm`: a variable the quotient's remainder is wanted in too (i64-remainder.ts), or null. */
function unsigned(fe: FuncEmitter, o: Operands, s: string, rem: boolean, rm: string | null): void {
  const { al, ah, bl, bh, c } = o;
  chain(fe, [
    [`${bh} === 0 && ${bl} > 0`, () => {
      // Both operands unsigned, so V8 picks its uint32 division (a signed divisor made it fmod).
      const small = rm === null ? '' : ` ${rm} = (${al} - imul(${s}, ${bl})) | 0; ${rm}h = 0;`;
      fe.w.line(`if (${ah} === 0) { ${s} = ((${al} >>> 0) ${rem ? '%' : '/'} (${bl} >>> 0)) | 0; ${s}h = 0;${small} }`);
      fe.w.open('else {');
      digits(fe, al, ah, bl, rem, c !== null && c.hi === 0 && c.lo > 0 && c.lo <= SMALL ? c.lo : null);
      fe.w.line(rem ? `${s} = dm | 0; ${s}h = 0;` : `${s} = dr | 0; ${s}h = dq | 0;${rm === null ? '' : ` ${rm} = dm | 0; ${rm}h = 0;`}`);
      fe.w.close();
    }],
    [`${bh} !== 0`, () => helperArm(fe, o, s, 'i64udiv64', `, ${rem}`, rm)],
    ['', () => generalArm(fe, o, s, false, rem, rm)],
  ], c === null ? null : c.hi === 0 && c.lo > 0 ? 0 : c.hi !== 0 ? 1 : 2);
}

function signed(fe: FuncEmitter, o: Operands, s: string, rem: boolean, rm: string | null): void {
  const { bl, bh, c } = o;
  chain(fe, [
    // A divisor that is an int32 other than INT32_MIN has a magnitude below 2^31.
    [`${bh} === (${bl} >> 31) && ${bl} !== -2147483648`, () => narrowSigned(fe, o, s, rem, rm)],
    ['', () => generalArm(fe, o, s, true, rem, rm)],
  ], c === null ? null : c.hi === c.lo >> 31 && c.lo !== -2147483648 ? 0 : 1);
}

/** A signed division by a divisor below 2^31 in magnitude. */
function narrowSigned(fe: FuncEmitter, o: Operands, s: string, rem: boolean, rm: string | null): void {
  const { al, ah, bl, c } = o;
  // Both int32: the remainder has the dividend's sign and |r| < |bl|, an int32 too.
  const small = rm === null ? '' : ` ${rm} = (${al} - imul(${s}, ${bl})) | 0; ${rm}h = ${rm} >> 31;`;
  if (rem) fe.w.line(`if (${ah} === (${al} >> 31)) { ${s} = (${al} % ${bl}) | 0; ${s}h = ${s} >> 31; }`);
  else fe.w.line(`if (${ah} === (${al} >> 31)) { dq = ${al} / ${bl}; ${s} = dq | 0; ${s}h = dq <= -1 ? -1 : 0;${small} }`);
  fe.temp('dq');
  fe.w.open('else {');
  // Signs by masks (0 or -1), not branches: operand signs are data, often
  // random, and a mispredicted branch costs more than these few operations.
  const dn = fe.temp('dn'), dx = fe.temp('dx'), dy = fe.temp('dy');
  // A constant divisor's magnitude, when small enough for constantDigits.
  const magnitude = c !== null && c.lo !== 0 && Math.abs(c.lo) <= SMALL ? Math.abs(c.lo) : null;
  const dd = magnitude !== null ? String(magnitude) : fe.temp('dd');
  if (magnitude !== null) fe.w.line(`${dn} = ${ah} >> 31;`);
  else fe.w.line(`${dn} = ${bl} >> 31; ${dd} = ((${bl} ^ ${dn}) - ${dn}) | 0; ${dn} = ${ah} >> 31;`);
  fe.w.line(`${dx} = ((${al} ^ ${dn}) - ${dn}) | 0; ${dy} = ((${ah} ^ ${dn}) + (${dn} & ${isZero(al)})) | 0;`);
  digits(fe, dx, dy, dd, rem, magnitude);
  if (rem) {
    // |remainder| < 2^31: the signed remainder is an int32, its high half the sign.
    fe.w.line(`${s} = ((dm ^ ${dn}) - ${dn}) | 0; ${s}h = ${s} >> 31;`);
  } else {
    // The remainder's magnitude dm, with the dividend's sign (dn is still it).
    if (rm !== null) fe.w.line(`${rm} = ((dm ^ ${dn}) - ${dn}) | 0; ${rm}h = ${rm} >> 31;`);
    fe.w.line(`${dn} = (${ah} ^ ${bl}) >> 31; ${s} = ((dr ^ ${dn}) - ${dn}) | 0; ${s}h = ((dq ^ ${dn}) + (${dn} & ${isZero('dr')})) | 0;`);
  }
  fe.w.close();
}

/**
 * Whether a division is written out inline (see the header): by a constant
 * (a short arm), or inside a loop. `divisor`: its operand-stack entry.
 */
function inline(fe: FuncEmitter, divisor: Entry): boolean {
  if (divisor.lo !== null && divisor.hi !== null && constantOf(divisor.lo, divisor.hi) !== null) return true;
  return fe.inLoop();
}

/** div_s / div_u / rem_s / rem_u: the spec's traps, then the inline fast path and the helper. */
export function divide(isSigned: boolean, rem: boolean): Emit {
  return (fe) => {
    const compact = !inline(fe, fe.stack[fe.height - 1]!);
    const rm = rem || compact ? null : remainderFor(fe);
    const hb = fe.height - 1;
    const be = fe.stack[hb]!;
    const bl = fe.simple(be, hb), bh = fe.simpleHi(be, hb);
    fe.pop();
    const ha = fe.height - 1;
    const ae = fe.stack[ha]!;
    const al = fe.simple(ae, ha), ah = fe.simpleHi(ae, ha);
    fe.pop();
    // A constant divisor settles the checks at compile time.
    const c = constantOf(bl, bh);
    const o = { al, ah, bl, bh, c };
    if (c === null || (c.lo === 0 && c.hi === 0)) fe.w.line(`if ((${bl} | ${bh}) === 0) ${fe.trap('DIV_ZERO')};`);
    if (isSigned && !rem && (c === null || (c.lo === -1 && c.hi === -1))) {
      fe.w.line(`if (${bl} === -1 && ${bh} === -1 && ${al} === 0 && ${ah} === -2147483648) ${fe.trap('INT_OVERFLOW')};`);
    }
    const s = fe.slot(fe.height);
    if (compact) compactCall(fe, o, s, isSigned, rem);
    else if (isSigned) signed(fe, o, s, rem, rm);
    else unsigned(fe, o, s, rem, rm);
    fe.pushSlot('i64');
  };
}
