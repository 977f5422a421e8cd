/**
 * i32, f32 and f64 numeric instructions (spec 4.3, 4.4.1) as JavaScript
 * expressions with the `|0` discipline: every i32 result is an int32
 * (`(a + b) | 0`, `Math.imul`), every f32 result goes through `fround`, so
 * V8 keeps them in machine registers. Pure operations stay pending (folded
 * into their consumer); trapping ones (division, truncation) are statements
 * with an explicit check that throws the spec's trap:
 *
 *   i32.div_s  →  if (s3 === 0) throw trap(DIV_ZERO, 0x1a3, 5);
 *                 if (s2 === -2147483648 && s3 === -1) throw trap(INT_OVERFLOW, …);
 *                 s2 = (s2 / s3) | 0;
 *
 * Semantics that JavaScript operators do not give directly come from the
 * interpreter's numeric.ts (`N.nearest`, `N.convertToF32`, …), so both tiers
 * compute the same bits.
 */
import type { OpName, ValType } from '../../interpreter/core.js';
import { bitsToF32, bitsToF64 } from '../../interpreter/core.js';
import { intLiteral, literalValue, type Emit, type Entry, type FuncEmitter } from './func-emitter.js';

type Tpl = (a: string, b: string) => string;

/** A pure binary op; `dup` when the template repeats an operand (so it must be a variable or literal). */
function bin(type: ValType, tpl: Tpl, dup = false, isBool = false): Emit {
  return (fe) => {
    const hb = fe.height - 1;
    const b = fe.pop();
    const ha = fe.height - 1;
    const a = fe.pop();
    const A = dup ? fe.simple(a, ha) : fe.val(a, ha);
    const B = dup ? fe.simple(b, hb) : fe.val(b, hb);
    const expr = tpl(A, B);
    if (isBool) fe.pure('i32', '', [a, b], expr);
    else fe.pure(type, expr, [a, b]);
  };
}

function un(type: ValType, tpl: (a: string) => string, dup = false, isBool = false): Emit {
  return (fe) => {
    const h = fe.height - 1;
    const a = fe.pop();
    const A = dup ? fe.simple(a, h) : fe.val(a, h);
    if (isBool) fe.pure('i32', '', [a], tpl(A));
    else fe.pure(type, tpl(A), [a]);
  };
}

const cmp = (type: ValType, op: string, conv = ''): Emit =>
  bin(type, (a, b) => `(${a}${conv}) ${op} (${b}${conv})`, false, true);

/** i32 division and remainder: statements with the spec's traps. */
function divide(kind: 'div_s' | 'div_u' | 'rem_s' | 'rem_u'): Emit {
  return (fe) => {
    const hb = fe.height - 1;
    const B = fe.simple(fe.pop(), hb);
    const ha = fe.height - 1;
    const A = fe.simple(fe.pop(), ha);
    // A literal divisor settles the checks at compile time.
    const divisor = literalValue(B);
    if (divisor === null || divisor === 0) fe.w.line(`if (${B} === 0) ${fe.trap('DIV_ZERO')};`);
    if (kind === 'div_s' && (divisor === null || divisor === -1)) {
      fe.w.line(`if (${A} === -2147483648 && ${B} === -1) ${fe.trap('INT_OVERFLOW')};`);
    }
    const expr = {
      div_s: `(${A} / ${B}) | 0`,
      div_u: `((${A} >>> 0) / (${B} >>> 0)) | 0`,
      rem_s: `(${A} % ${B}) | 0`,
      rem_u: `((${A} >>> 0) % (${B} >>> 0)) | 0`,
    }[kind];
    fe.result('i32', expr);
  };
}

/** Float → i32 truncation with the spec's traps (bounds as in numeric.ts truncS32/truncU32). */
function truncI32(signed: boolean, from: 'f32' | 'f64'): Emit {
  void from;
  return (fe) => {
    const h = fe.height - 1;
    const X = fe.simple(fe.pop(), h);
    const inRange = signed ? `${X} > -2147483649 && ${X} < 2147483648` : `${X} > -1 && ${X} < 4294967296`;
    fe.w.line(`if (!(${inRange})) ${fe.trap(`${X} !== ${X} ? INVALID_CONVERSION : INT_OVERFLOW`)};`);
    fe.result('i32', signed ? `${X} | 0` : `(${X} >>> 0) | 0`);
  };
}

/** A float constant as a JS literal; NaNs become module constants built from their bits. */
export function floatLiteral(fe: FuncEmitter, x: number, bitsExpr: string): string {
  if (Number.isNaN(x)) {
    const name = `k${fe.funcIndex}_${fe.constants.length}`;
    fe.constants.push(`${name} = ${bitsExpr}`);
    return name;
  }
  if (x === Infinity) return '(1 / 0)';
  if (x === -Infinity) return '(-1 / 0)';
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

const F = (e: string): string => `fround(${e})`;

type NumOp = Extract<OpName, `i32.${string}` | `f32.${string}` | `f64.${string}`>;
type NumHandled = Exclude<NumOp, `${string}.load${string}` | `${string}.store${string}`>;

export const numeric: { readonly [K in NumHandled]: Emit } = {
  'i32.const': (fe, ins) => {
    const v = ins.value as number;
    fe.push('i32', intLiteral(v));
  },
  'f32.const': (fe, ins) => {
    const bits = ins.value as number;
    fe.push('f32', floatLiteral(fe, bitsToF32(bits), `f32FromBits(${bits})`));
  },
  'f64.const': (fe, ins) => {
    const bits = ins.value as bigint;
    const lo = Number(BigInt.asIntN(32, bits)), hi = Number(BigInt.asIntN(32, bits >> 32n));
    fe.push('f64', floatLiteral(fe, bitsToF64(bits), `f64FromBits(${lo}, ${hi})`));
  },
  'i32.eqz': un('i32', (a) => `${a} === 0`, false, true),
  'i32.eq': cmp('i32', '==='),
  'i32.ne': cmp('i32', '!=='),
  'i32.lt_s': cmp('i32', '<'),
  'i32.lt_u': cmp('i32', '<', ' >>> 0'),
  'i32.gt_s': cmp('i32', '>'),
  'i32.gt_u': cmp('i32', '>', ' >>> 0'),
  'i32.le_s': cmp('i32', '<='),
  'i32.le_u': cmp('i32', '<=', ' >>> 0'),
  'i32.ge_s': cmp('i32', '>='),
  'i32.ge_u': cmp('i32', '>=', ' >>> 0'),
  'i32.clz': un('i32', (a) => `clz32(${a})`),
  'i32.ctz': un('i32', (a) => `N.ctz32(${a})`),
  'i32.popcnt': un('i32', (a) => `N.popcnt32(${a})`),
  'i32.add': bin('i32', (a, b) => `(${a} + ${b}) | 0`),
  'i32.sub': bin('i32', (a, b) => `(${a} - ${b}) | 0`),
  'i32.mul': bin('i32', (a, b) => `imul(${a}, ${b})`),
  'i32.div_s': divide('div_s'),
  'i32.div_u': divide('div_u'),
  'i32.rem_s': divide('rem_s'),
  'i32.rem_u': divide('rem_u'),
  'i32.and': bin('i32', (a, b) => `${a} & ${b}`),
  'i32.or': bin('i32', (a, b) => `${a} | ${b}`),
  'i32.xor': bin('i32', (a, b) => `${a} ^ ${b}`),
  'i32.shl': bin('i32', (a, b) => `${a} << ${b}`),
  'i32.shr_s': bin('i32', (a, b) => `${a} >> ${b}`),
  'i32.shr_u': bin('i32', (a, b) => `(${a} >>> ${b}) | 0`),
  'i32.rotl': bin('i32', (a, b) => `(${a} << ${b}) | (${a} >>> (32 - ${b}))`, true),
  'i32.rotr': bin('i32', (a, b) => `(${a} >>> ${b}) | (${a} << (32 - ${b}))`, true),
  'i32.wrap_i64': (fe) => {
    const h = fe.height - 1;
    const e = fe.pop();
    fe.pure('i32', fe.val(e, h), [e]);
  },
  'i32.trunc_f32_s': truncI32(true, 'f32'),
  'i32.trunc_f32_u': truncI32(false, 'f32'),
  'i32.trunc_f64_s': truncI32(true, 'f64'),
  'i32.trunc_f64_u': truncI32(false, 'f64'),
  'i32.trunc_sat_f32_s': un('i32', (a) => `N.truncSatS32(${a})`),
  'i32.trunc_sat_f32_u': un('i32', (a) => `N.truncSatU32(${a})`),
  'i32.trunc_sat_f64_s': un('i32', (a) => `N.truncSatS32(${a})`),
  'i32.trunc_sat_f64_u': un('i32', (a) => `N.truncSatU32(${a})`),
  'i32.reinterpret_f32': un('i32', (a) => `f32Bits(${a})`),
  'i32.extend8_s': un('i32', (a) => `(${a} << 24) >> 24`),
  'i32.extend16_s': un('i32', (a) => `(${a} << 16) >> 16`),

  'f32.eq': cmp('f32', '==='),
  'f32.ne': cmp('f32', '!=='),
  'f32.lt': cmp('f32', '<'),
  'f32.gt': cmp('f32', '>'),
  'f32.le': cmp('f32', '<='),
  'f32.ge': cmp('f32', '>='),
  'f32.abs': un('f32', (a) => `abs32(${a})`),
  'f32.neg': un('f32', (a) => `-${a}`),
  'f32.ceil': un('f32', (a) => F(`Math_ceil(${a})`)),
  'f32.floor': un('f32', (a) => F(`Math_floor(${a})`)),
  'f32.trunc': un('f32', (a) => F(`Math_trunc(${a})`)),
  'f32.nearest': un('f32', (a) => F(`N.nearest(${a})`)),
  'f32.sqrt': un('f32', (a) => F(`Math_sqrt(${a})`)),
  'f32.add': bin('f32', (a, b) => F(`${a} + ${b}`)),
  'f32.sub': bin('f32', (a, b) => F(`${a} - ${b}`)),
  'f32.mul': bin('f32', (a, b) => F(`${a} * ${b}`)),
  'f32.div': bin('f32', (a, b) => F(`${a} / ${b}`)),
  'f32.min': bin('f32', (a, b) => `Math_min(${a}, ${b})`),
  'f32.max': bin('f32', (a, b) => `Math_max(${a}, ${b})`),
  'f32.copysign': bin('f32', (a, b) => `copysign32(${a}, ${b})`),
  'f32.convert_i32_s': un('f32', (a) => F(a)),
  'f32.convert_i32_u': un('f32', (a) => F(`${a} >>> 0`)),
  'f32.convert_i64_s': i64ToFloat('f32', true),
  'f32.convert_i64_u': i64ToFloat('f32', false),
  'f32.demote_f64': un('f32', (a) => F(a)),
  'f32.reinterpret_i32': un('f32', (a) => `f32FromBits(${a})`),

  'f64.eq': cmp('f64', '==='),
  'f64.ne': cmp('f64', '!=='),
  'f64.lt': cmp('f64', '<'),
  'f64.gt': cmp('f64', '>'),
  'f64.le': cmp('f64', '<='),
  'f64.ge': cmp('f64', '>='),
  'f64.abs': un('f64', (a) => `abs64(${a})`),
  'f64.neg': un('f64', (a) => `-${a}`),
  'f64.ceil': un('f64', (a) => `ceil64(${a})`),
  'f64.floor': un('f64', (a) => `floor64(${a})`),
  'f64.trunc': un('f64', (a) => `trunc64f(${a})`),
  'f64.nearest': un('f64', (a) => `nearest64(${a})`),
  'f64.sqrt': un('f64', (a) => `Math_sqrt(${a})`),
  'f64.add': bin('f64', (a, b) => `${a} + ${b}`),
  'f64.sub': bin('f64', (a, b) => `${a} - ${b}`),
  'f64.mul': bin('f64', (a, b) => `${a} * ${b}`),
  'f64.div': bin('f64', (a, b) => `${a} / ${b}`),
  'f64.min': bin('f64', (a, b) => `Math_min(${a}, ${b})`),
  'f64.max': bin('f64', (a, b) => `Math_max(${a}, ${b})`),
  'f64.copysign': bin('f64', (a, b) => `copysign64(${a}, ${b})`),
  'f64.convert_i32_s': un('f64', (a) => a),
  'f64.convert_i32_u': un('f64', (a) => `${a} >>> 0`),
  'f64.convert_i64_s': i64ToFloat('f64', true),
  'f64.convert_i64_u': i64ToFloat('f64', false),
  'f64.promote_f32': un('f64', (a) => a),
  'f64.reinterpret_i64': (fe) => {
    const h = fe.height - 1;
    const e = fe.pop();
    fe.pure('f64', `f64FromBits(${fe.val(e, h)}, ${fe.hiOf(e, h)})`, [e]);
  },
};

function i64ToFloat(to: 'f32' | 'f64', signed: boolean): Emit {
  return (fe) => {
    const h = fe.height - 1;
    const e: Entry = fe.pop();
    const lo = fe.val(e, h), hi = fe.hiOf(e, h);
    const expr = to === 'f64'
      ? `N.${signed ? 'convertS64' : 'convertU64'}(${lo}, ${hi})`
      : `N.convertToF32(${lo}, ${hi}, ${signed})`;
    fe.pure(to, expr, [e]);
  };
}
