/**
 * i64 lowering: every i64 is two int32 JS variables, the low half `x` and
 * the high half `xh` (signed), never a BigInt inside compiled code (BigInt
 * only at the boundary; DESIGN.md invariant 6). This is the form binaryen's
 * wasm2js uses too, but here both halves are plain locals, with no
 * `i64toi32_i32$HIGH_BITS` global round trip for the common operations:
 *
 *   i64.add  →  t = (s2 + s3) | 0;
 *               s2h = (s2h + s3h + (((s2 & s3) | ((s2 | s3) & ~t)) >>> 31)) | 0;
 *               s2 = t;
 *   i64.shl (constant 8)  →  s2h = (s2h << 8) | (s2 >>> 24); s2 = s2 << 8;
 *   i64.mul  →  mt = ((s2 & 0xffff) * (s3 & 0xffff) >>> 16) + (s2 >>> 16) * (s3 & 0xffff);
 *               mu = (mt & 0xffff) + (s2 & 0xffff) * (s3 >>> 16);
 *               s2h = ((s2 >>> 16) * (s3 >>> 16) + ((mt / 65536) >>> 0) + ((mu / 65536) >>> 0)
 *                      + imul(s2, s3h) + imul(s2h, s3)) | 0;
 *               s2 = imul(s2, s3);
 *   i64.div_u →  if ((s3 | s3h) === 0) throw trap(DIV_ZERO, 0x1a3, 5);
 *                …inline for divisors below 2^31 (i64-divide.ts), else
 *                s2 = i64udiv(s2, s2h, s3, s3h, false); s2h = H;
 *
 * The multiply, shifts and rotations are inline, as the common divisions
 * are (i64-divide.ts): V8 would not inline a helper into a large function,
 * and the call made a multiply-heavy hash loop 1.4x slower. Outside loops
 * the multiply and the divisions are helper calls (FuncEmitter.inLoop).
 * Large divisions and remainders call the module's own helpers
 * (i64-support.ts: low half returned, high half in `H`), with the traps
 * checked inline first; rarer operations (counts, conversions) call the
 * interpreter's numeric.ts, which leaves the high half in `N.hi64`, and
 * trapping conversions go through the support wrappers that turn the
 * helper's message into a positioned Trap.
 */
import type { OpName } from '../../interpreter/core.js';
import type { Emit, Entry, FuncEmitter } from './func-emitter.js';
import { intLiteral, literalValue, paren } from './func-emitter.js';
import { divide } from './i64-divide.js';
import { borrow, carry } from './i64-carry.js';

type I64Op = Exclude<Extract<OpName, `i64.${string}`>, `i64.load${string}` | `i64.store${string}`>;

interface Pair { lo: string; hi: string; e: Entry }

function operand(fe: FuncEmitter, simple: boolean): Pair {
  const h = fe.height - 1;
  const e = fe.stack[h]!;
  const lo = simple ? fe.simple(e, h) : fe.val(e, h);
  const hi = simple ? fe.simpleHi(e, h) : fe.hiOf(e, h);
  fe.pop();
  return { lo, hi, e };
}

/** Writes an i64 result at the current height. */
function result64(fe: FuncEmitter, lo: string, hi: string): void {
  const s = fe.slot(fe.height);
  fe.assign64(s, `${s}h`, lo, hi);
  fe.pushSlot('i64');
}

/** Result of a numeric.ts helper: low half returned, high half in N.hi64. */
function helper(fe: FuncEmitter, call: string): void {
  const s = fe.slot(fe.height);
  fe.w.line(`${s} = ${call} | 0;`);
  fe.w.line(`${s}h = N.hi64 | 0;`);
  fe.pushSlot('i64');
}

/** A bitwise op: each half independent, so it may stay pending. */
function bitwise(op: string): Emit {
  return (fe) => {
    const b = operand(fe, false);
    const a = operand(fe, false);
    const lo = `${a.lo} ${op} ${b.lo}`, hi = `${a.hi} ${op} ${b.hi}`;
    if (a.e.lo !== null && b.e.lo !== null) fe.push('i64', paren(lo), [...a.e.deps, ...b.e.deps], paren(hi));
    else result64(fe, lo, hi);
  };
}

function compare(f: (a: Pair, b: Pair) => string): Emit {
  return (fe) => {
    const b = operand(fe, true);
    const a = operand(fe, true);
    fe.pure('i32', '', [a.e, b.e], f(a, b));
  };
}

const u = (x: string): string => `(${x} >>> 0)`;
/** a < b (or <=) on 64-bit values given as halves; `hiOp` compares the high halves (signed or unsigned). */
const lessThan = (signed: boolean, orEqual: boolean) => (a: Pair, b: Pair): string => {
  const ah = signed ? a.hi : u(a.hi), bh = signed ? b.hi : u(b.hi);
  return `${ah} < ${bh} || (${a.hi} === ${b.hi} && ${u(a.lo)} ${orEqual ? '<=' : '<'} ${u(b.lo)})`;
};
const swap = (f: (a: Pair, b: Pair) => string) => (a: Pair, b: Pair): string => f(b, a);

/**
 * A shift by a variable count n, without branches (a count's size is data,
 * and the helper's branch on it mispredicted: a bitset loop of `1 << (j & 63)`
 * went from 2.9x to 2.4x of V8 inline). JavaScript's shifts take n mod 32;
 * sm = -1 when n mod 64 >= 32 (its bit 5), else 0, selects between the two
 * halves' formulas, and `(x >>> 1) >>> (~n & 31)` is x >>> (32 - n) that
 * gives 0, not x, for n mod 32 = 0.
 */
function variableShift(fe: FuncEmitter, kind: 'shl' | 'shr_s' | 'shr_u'): void {
  const b = operand(fe, true);
  const a = operand(fe, true);
  const n = b.lo, l = a.lo, h = a.hi;
  const sm = fe.temp('sm');
  const s = fe.slot(fe.height);
  fe.w.line(`${sm} = (${n} << 26) >> 31;`);
  // Each result half is written after the last read of what it may overwrite (s is a's slot).
  if (kind === 'shl') {
    fe.w.line(`${s}h = (((${h} << ${n}) | ((${l} >>> 1) >>> (~${n} & 31))) & ~${sm}) | ((${l} << ${n}) & ${sm});`);
    fe.w.line(`${s} = (${l} << ${n}) & ~${sm};`);
  } else {
    const high = kind === 'shr_u' ? `(${h} >>> ${n})` : `(${h} >> ${n})`;
    fe.w.line(`${s} = (((${l} >>> ${n}) | ((${h} << 1) << (~${n} & 31))) & ~${sm}) | (${high} & ${sm});`);
    fe.w.line(kind === 'shr_u' ? `${s}h = ${high} & ~${sm};` : `${s}h = (${high} & ~${sm}) | ((${h} >> 31) & ${sm});`);
  }
  fe.pushSlot('i64');
}

/** Shifts: inline, by a constant count or by a variable one (variableShift). */
function shift(kind: 'shl' | 'shr_s' | 'shr_u'): Emit {
  return (fe) => {
    const hb = fe.height - 1;
    const be = fe.stack[hb]!;
    const count = be.lo !== null && be.hi !== null ? literalValue(be.lo) : null;
    if (count === null) return variableShift(fe, kind);
    const lit = count & 63;
    fe.pop();
    const a = operand(fe, true);
    const n = lit;
    if (n === 0) return result64(fe, a.lo, a.hi);
    if (kind === 'shl') {
      if (n < 32) result64(fe, `${a.lo} << ${n}`, `(${a.hi} << ${n}) | (${a.lo} >>> ${32 - n})`);
      else result64(fe, '0', `${a.lo} << ${n - 32}`);
    } else if (kind === 'shr_u') {
      if (n < 32) result64(fe, `(${a.lo} >>> ${n}) | (${a.hi} << ${32 - n})`, `(${a.hi} >>> ${n}) | 0`);
      else if (n === 32) result64(fe, a.hi, '0');
      else result64(fe, `(${a.hi} >>> ${n - 32}) | 0`, '0');
    } else {
      if (n < 32) result64(fe, `(${a.lo} >>> ${n}) | (${a.hi} << ${32 - n})`, `${a.hi} >> ${n}`);
      else result64(fe, `${a.hi} >> ${n - 32}`, `${a.hi} >> 31`);
    }
  };
}

/**
 * A rotation by a variable count, without branches, as variableShift: the
 * mask of bit 5 swaps the halves, then each takes the other's top bits.
 * rotr by n is rotl by -n (mod 64).
 */
function variableRotate(fe: FuncEmitter, left: boolean): void {
  const b = operand(fe, true);
  const a = operand(fe, true);
  const sm = fe.temp('sm'), rx = fe.temp('rx'), ry = fe.temp('ry');
  let n = b.lo;
  if (!left) {
    n = fe.temp('rn');
    fe.w.line(`${n} = (0 - ${b.lo}) | 0;`);
  }
  const s = fe.slot(fe.height);
  fe.w.line(`${sm} = (${n} << 26) >> 31; ${rx} = (${a.lo} & ~${sm}) | (${a.hi} & ${sm}); ${ry} = (${a.hi} & ~${sm}) | (${a.lo} & ${sm});`);
  fe.w.line(`${s} = (${rx} << ${n}) | ((${ry} >>> 1) >>> (~${n} & 31));`);
  fe.w.line(`${s}h = (${ry} << ${n}) | ((${rx} >>> 1) >>> (~${n} & 31));`);
  fe.pushSlot('i64');
}

/** Rotations: inline, by a constant count or by a variable one (variableRotate). */
function rotate(left: boolean): Emit {
  return (fe) => {
    const be = fe.stack[fe.height - 1]!;
    const count = be.lo !== null ? literalValue(be.lo) : null;
    if (count === null) return variableRotate(fe, left);
    fe.pop();
    const a = operand(fe, true);
    let n = left ? count & 63 : (64 - (count & 63)) & 63;
    let lo = a.lo, hi = a.hi;
    if (n >= 32) {
      [lo, hi] = [hi, lo];
      n -= 32;
    }
    if (n === 0) return result64(fe, lo, hi);
    result64(fe, `(${lo} << ${n}) | (${hi} >>> ${32 - n})`, `(${hi} << ${n}) | (${lo} >>> ${32 - n})`);
  };
}

function fromFloat(call: (x: string, fe: FuncEmitter) => string): Emit {
  return (fe) => {
    const h = fe.height - 1;
    const x = fe.val(fe.pop(), h);
    helper(fe, call(x, fe));
  };
}

function unary(f: (a: Pair) => [string, string], simple = true): Emit {
  return (fe) => {
    const a = operand(fe, simple);
    const [lo, hi] = f(a);
    result64(fe, lo, hi);
  };
}

/**
 * i64.mul inline (see the header): the low half is imul's; the high half is
 * the high word of the unsigned 32x32 product by 16-bit digits (the same
 * steps as i64-support.ts's i64mulhu: each partial product below 2^32, exact
 * in doubles) plus the two cross products' low words. A constant operand's
 * digits are written out. Outside loops: one call of the module's i64mul
 * (FuncEmitter.inLoop).
 */
function multiply(fe: FuncEmitter): void {
  const b = operand(fe, true);
  const a = operand(fe, true);
  if (!fe.inLoop()) {
    fe.support.add('i64mul');
    const s = fe.slot(fe.height);
    fe.w.line(`${s} = i64mul(${a.lo}, ${a.hi}, ${b.lo}, ${b.hi}); ${s}h = H | 0;`);
    fe.pushSlot('i64');
    return;
  }
  const n = literalValue(b.lo);
  const b0 = n === null ? `(${b.lo} & 0xffff)` : String(n & 0xffff);
  const b1 = n === null ? `(${b.lo} >>> 16)` : String(n >>> 16);
  const mt = fe.temp('mt'), mu = fe.temp('mu');
  const s = fe.slot(fe.height);
  fe.w.line(`${mt} = ((${a.lo} & 0xffff) * ${b0} >>> 16) + (${a.lo} >>> 16) * ${b0};`);
  fe.w.line(`${mu} = (${mt} & 0xffff) + (${a.lo} & 0xffff) * ${b1};`);
  const cross = b.hi === '0' ? '' : ` + imul(${a.lo}, ${b.hi})`;
  fe.w.line(`${s}h = ((${a.lo} >>> 16) * ${b1} + ((${mt} / 65536) >>> 0) + ((${mu} / 65536) >>> 0)${cross} + imul(${a.hi}, ${b.lo})) | 0;`);
  fe.w.line(`${s} = imul(${a.lo}, ${b.lo});`);
  fe.pushSlot('i64');
}

export const i64: { readonly [K in I64Op]: Emit } = {
  'i64.const': (fe, ins) => {
    const v = BigInt.asIntN(64, ins.value as bigint);
    const lo = Number(BigInt.asIntN(32, v)), hi = Number(BigInt.asIntN(32, v >> 32n));
    fe.push('i64', intLiteral(lo), [], intLiteral(hi));
  },
  'i64.eqz': (fe) => {
    const a = operand(fe, false);
    fe.pure('i32', '', [a.e], `(${a.lo} | ${a.hi}) === 0`);
  },
  'i64.eq': compare((a, b) => `${a.lo} === ${b.lo} && ${a.hi} === ${b.hi}`),
  'i64.ne': compare((a, b) => `${a.lo} !== ${b.lo} || ${a.hi} !== ${b.hi}`),
  'i64.lt_s': compare(lessThan(true, false)),
  'i64.lt_u': compare(lessThan(false, false)),
  'i64.gt_s': compare(swap(lessThan(true, false))),
  'i64.gt_u': compare(swap(lessThan(false, false))),
  'i64.le_s': compare(lessThan(true, true)),
  'i64.le_u': compare(lessThan(false, true)),
  'i64.ge_s': compare(swap(lessThan(true, true))),
  'i64.ge_u': compare(swap(lessThan(false, true))),
  'i64.clz': unary((a) => [`N.clz64(${a.lo}, ${a.hi})`, '0'], false),
  'i64.ctz': unary((a) => [`N.ctz64(${a.lo}, ${a.hi})`, '0'], false),
  'i64.popcnt': unary((a) => [`(N.popcnt32(${a.lo}) + N.popcnt32(${a.hi})) | 0`, '0'], false),
  'i64.add': (fe) => {
    const b = operand(fe, true);
    const a = operand(fe, true);
    const t = fe.temp('t');
    const s = fe.slot(fe.height);
    fe.w.line(`${t} = (${a.lo} + ${b.lo}) | 0;`);
    fe.w.line(`${s}h = (${a.hi} + ${b.hi} + ${carry(a.lo, b.lo, t)}) | 0;`);
    fe.w.line(`${s} = ${t};`);
    fe.pushSlot('i64');
  },
  'i64.sub': (fe) => {
    const b = operand(fe, true);
    const a = operand(fe, true);
    const t = fe.temp('t');
    const s = fe.slot(fe.height);
    fe.w.line(`${t} = (${a.lo} - ${b.lo}) | 0;`);
    fe.w.line(`${s}h = (${a.hi} - ${b.hi} - ${borrow(a.lo, b.lo, t)}) | 0;`);
    fe.w.line(`${s} = ${t};`);
    fe.pushSlot('i64');
  },
  'i64.mul': multiply,
  'i64.div_s': divide(true, false),
  'i64.div_u': divide(false, false),
  'i64.rem_s': divide(true, true),
  'i64.rem_u': divide(false, true),
  'i64.and': bitwise('&'),
  'i64.or': bitwise('|'),
  'i64.xor': bitwise('^'),
  'i64.shl': shift('shl'),
  'i64.shr_s': shift('shr_s'),
  'i64.shr_u': shift('shr_u'),
  'i64.rotl': rotate(true),
  'i64.rotr': rotate(false),
  'i64.extend_i32_s': (fe) => {
    const h = fe.height - 1;
    const e = fe.stack[h]!;
    const x = fe.simple(e, h);
    fe.pop();
    if (e.lo !== null) fe.push('i64', x, e.deps, `(${x} >> 31)`);
    else result64(fe, x, `${x} >> 31`);
  },
  'i64.extend_i32_u': (fe) => {
    const h = fe.height - 1;
    const e = fe.pop();
    const x = fe.val(e, h);
    if (e.lo !== null) fe.push('i64', x, e.deps, '0');
    else result64(fe, x, '0');
  },
  'i64.trunc_f32_s': fromFloat((x, fe) => `trunc64(true, ${x}, ${fe.ins.offset}, ${fe.funcIndex})`),
  'i64.trunc_f32_u': fromFloat((x, fe) => `trunc64(false, ${x}, ${fe.ins.offset}, ${fe.funcIndex})`),
  'i64.trunc_f64_s': fromFloat((x, fe) => `trunc64(true, ${x}, ${fe.ins.offset}, ${fe.funcIndex})`),
  'i64.trunc_f64_u': fromFloat((x, fe) => `trunc64(false, ${x}, ${fe.ins.offset}, ${fe.funcIndex})`),
  'i64.trunc_sat_f32_s': fromFloat((x) => `N.truncSatS64(${x})`),
  'i64.trunc_sat_f32_u': fromFloat((x) => `N.truncSatU64(${x})`),
  'i64.trunc_sat_f64_s': fromFloat((x) => `N.truncSatS64(${x})`),
  'i64.trunc_sat_f64_u': fromFloat((x) => `N.truncSatU64(${x})`),
  'i64.reinterpret_f64': (fe) => {
    const h = fe.height - 1;
    const x = fe.simple(fe.pop(), h);
    result64(fe, `f64Lo(${x})`, `f64Hi(${x})`);
  },
  'i64.extend8_s': unary((a) => [`(${a.lo} << 24) >> 24`, `(${a.lo} << 24) >> 31`]),
  'i64.extend16_s': unary((a) => [`(${a.lo} << 16) >> 16`, `(${a.lo} << 16) >> 31`]),
  'i64.extend32_s': unary((a) => [a.lo, `${a.lo} >> 31`]),
};
