/**
 * Variable and numeric instructions (spec 4.4.1–4.4.6) in asm.js: each
 * writes its result into its slot, with the coercion asm.js's types demand
 * (`(…)|0` for int, `fround(…)` for float, `+(…)` for double), so that
 * every f32 operation is a single-precision instruction in V8's code: the
 * reason regions exist (asm/index.ts).
 *
 *   f32.mul  →  f3 = fround(f3 * f4);
 *   i32.lt_u →  i3 = ((i3 >>> 0) < (i4 >>> 0))|0;
 *
 * Comparisons are coerced with `|0` even where asm.js would not need it: if
 * V8 ever ran the module as plain JavaScript (it does when linking fails),
 * a boolean must still behave as the 0 or 1 Wasm computes.
 *
 * Left out (NotAsm, the region stays JavaScript): i64, min/max, copysign,
 * trunc/nearest, ctz/popcnt, reinterpretations and the saturating
 * conversions, whose Wasm semantics asm.js has no direct operator for.
 */
import { bitsToF32, bitsToF64, type Instr, type OpName } from '../../interpreter/core.js';
import { asmDouble, type AsmEmitter, type AsmType } from './emitter.js';
import type { AsmOp } from './ops.js';

/** Pops the operands (types `ins`, last on top), pushes a result of type `out` written as `expr(operands…)`. */
function op(ins: readonly AsmType[], out: AsmType, expr: (...xs: string[]) => string): AsmOp {
  return (ae) => {
    const xs: string[] = [];
    for (let k = ins.length - 1; k >= 0; k--) xs[k] = ae.pop(ins[k]);
    const e = expr(...xs);
    ae.w.line(`${ae.push(out)} = ${e};`);
  };
}

const I = (e: string): string => `(${e})|0`;
const F = (e: string): string => `fround(${e})`;
const D = (e: string): string => `+(${e})`;
const s = (x: string): string => `(${x}|0)`;
const u = (x: string): string => `(${x}>>>0)`;

const i32bin = (f: (a: string, b: string) => string): AsmOp => op(['i32', 'i32'], 'i32', f);
const i32cmp = (o: string, w: (x: string) => string): AsmOp => op(['i32', 'i32'], 'i32', (a, b) => I(`${w(a)} ${o} ${w(b)}`));
const f32bin = (o: string): AsmOp => op(['f32', 'f32'], 'f32', (a, b) => F(`${a} ${o} ${b}`));
const f64bin = (o: string): AsmOp => op(['f64', 'f64'], 'f64', (a, b) => D(`${a} ${o} ${b}`));
const fcmp = (t: AsmType, o: string): AsmOp => op([t, t], 'i32', (a, b) => I(`${a} ${o} ${b}`));

/** Integer division and remainder: the trap checks, then asm.js's integer `/` or `%`. */
function divide(o: '/' | '%', signed: boolean): AsmOp {
  return (ae) => {
    const b = ae.pop('i32'), a = ae.pop('i32');
    ae.w.line(`if ((${b}|0) == 0) ${ae.trap('DIV_ZERO')}`);
    if (signed && o === '/') ae.w.line(`if (((${a}|0) == -2147483648) & ((${b}|0) == -1)) ${ae.trap('INT_OVERFLOW')}`);
    const w = signed ? s : u;
    ae.w.line(`${ae.push('i32')} = ${I(`${w(a)} ${o} ${w(b)}`)};`);
  };
}

/**
 * A trapping float → i32 conversion: NaN and values whose truncation is out
 * of range trap (spec 4.3.3), then `~~` truncates (and for the unsigned
 * range wraps to the same 32 bits, as JavaScript's ToInt32 does).
 */
function truncate(from: AsmType, signed: boolean): AsmOp {
  return (ae) => {
    const x = ae.pop(from);
    const lit = (v: number): string => (from === 'f32' ? F(asmDouble(v)) : asmDouble(v));
    // f32: -2^31 is exact and in range; f64: anything above -2^31 - 1 truncates into range.
    const lo = signed ? (from === 'f32' ? `${x} >= ${lit(-2147483648)}` : `${x} > ${lit(-2147483649)}`) : `${x} > ${lit(-1)}`;
    const hi = `${x} < ${lit(signed ? 2147483648 : 4294967296)}`;
    ae.w.line(`if (${x} != ${x}) ${ae.trap('INVALID_CONVERSION')}`);
    ae.w.line(`if (!((${lo}) & (${hi}))) ${ae.trap('INT_OVERFLOW')}`);
    ae.w.line(`${ae.push('i32')} = ~~${from === 'f32' ? `+${x}` : x};`);
  };
}

function select(ae: AsmEmitter): void {
  const c = ae.pop('i32');
  const t = ae.stack[ae.height - 1]!;
  const b = ae.pop(t), a = ae.pop(t);
  ae.push(t);
  ae.w.line(`if (!${c}) ${a} = ${b};`);
}

type Handled =
  | 'drop' | 'select' | 'select_t' | 'local.get' | 'local.set' | 'local.tee' | 'i32.const' | 'f32.const' | 'f64.const'
  | `i32.${'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'shl' | 'shr_s' | 'shr_u' | 'rotl' | 'rotr' | 'clz' | 'eqz'}`
  | `i32.${'div_s' | 'div_u' | 'rem_s' | 'rem_u' | 'extend8_s' | 'extend16_s'}`
  | `i32.${'eq' | 'ne' | 'lt_s' | 'lt_u' | 'gt_s' | 'gt_u' | 'le_s' | 'le_u' | 'ge_s' | 'ge_u'}`
  | `i32.trunc_${'f32' | 'f64'}_${'s' | 'u'}`
  | `${'f32' | 'f64'}.${'add' | 'sub' | 'mul' | 'div' | 'sqrt' | 'abs' | 'neg' | 'ceil' | 'floor' | 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge'}`
  | `${'f32' | 'f64'}.convert_i32_${'s' | 'u'}` | 'f32.demote_f64' | 'f64.promote_f32';

export const numeric: { readonly [K in Handled & OpName]: AsmOp } = {
  drop(ae) {
    ae.pop();
  },
  select,
  select_t: select,
  'local.get'(ae, ins: Instr) {
    const l = ae.local(ins.index!, false);
    ae.w.line(`${ae.push(l.type)} = ${l.name};`);
  },
  'local.set'(ae, ins) {
    const l = ae.local(ins.index!, true);
    ae.w.line(`${l.name} = ${ae.pop(l.type)};`);
  },
  'local.tee'(ae, ins) {
    const l = ae.local(ins.index!, true);
    const v = ae.pop(l.type);
    ae.push(l.type);
    ae.w.line(`${l.name} = ${v};`);
  },
  'i32.const'(ae, ins) {
    ae.w.line(`${ae.push('i32')} = ${(ins.value as number) | 0};`);
  },
  'f32.const'(ae, ins) {
    ae.w.line(`${ae.push('f32')} = ${F(asmDouble(bitsToF32(ins.value as number)))};`);
  },
  'f64.const'(ae, ins) {
    ae.w.line(`${ae.push('f64')} = ${asmDouble(bitsToF64(ins.value as bigint))};`);
  },
  'i32.add': i32bin((a, b) => I(`${a} + ${b}`)),
  'i32.sub': i32bin((a, b) => I(`${a} - ${b}`)),
  'i32.mul': i32bin((a, b) => I(`imul(${a}, ${b})`)),
  'i32.and': i32bin((a, b) => `${a} & ${b}`),
  'i32.or': i32bin((a, b) => `${a} | ${b}`),
  'i32.xor': i32bin((a, b) => `${a} ^ ${b}`),
  'i32.shl': i32bin((a, b) => `${a} << ${b}`),
  'i32.shr_s': i32bin((a, b) => `${a} >> ${b}`),
  'i32.shr_u': i32bin((a, b) => I(`${a} >>> ${b}`)),
  'i32.rotl': i32bin((a, b) => `(${a} << (${b} & 31)) | (${a} >>> ((32 - ${b}) & 31))`),
  'i32.rotr': i32bin((a, b) => `(${a} >>> (${b} & 31)) | (${a} << ((32 - ${b}) & 31))`),
  'i32.clz': op(['i32'], 'i32', (a) => I(`clz32(${a})`)),
  'i32.eqz': op(['i32'], 'i32', (a) => I(`${s(a)} == 0`)),
  'i32.extend8_s': op(['i32'], 'i32', (a) => `(${a} << 24) >> 24`),
  'i32.extend16_s': op(['i32'], 'i32', (a) => `(${a} << 16) >> 16`),
  'i32.div_s': divide('/', true),
  'i32.div_u': divide('/', false),
  'i32.rem_s': divide('%', true),
  'i32.rem_u': divide('%', false),
  'i32.eq': i32cmp('==', s),
  'i32.ne': i32cmp('!=', s),
  'i32.lt_s': i32cmp('<', s),
  'i32.lt_u': i32cmp('<', u),
  'i32.gt_s': i32cmp('>', s),
  'i32.gt_u': i32cmp('>', u),
  'i32.le_s': i32cmp('<=', s),
  'i32.le_u': i32cmp('<=', u),
  'i32.ge_s': i32cmp('>=', s),
  'i32.ge_u': i32cmp('>=', u),
  'i32.trunc_f32_s': truncate('f32', true),
  'i32.trunc_f32_u': truncate('f32', false),
  'i32.trunc_f64_s': truncate('f64', true),
  'i32.trunc_f64_u': truncate('f64', false),
  'f32.add': f32bin('+'),
  'f32.sub': f32bin('-'),
  'f32.mul': f32bin('*'),
  'f32.div': f32bin('/'),
  'f32.sqrt': op(['f32'], 'f32', (a) => F(`sqrt(${a})`)),
  'f32.abs': op(['f32'], 'f32', (a) => F(`abs(${a})`)),
  'f32.neg': op(['f32'], 'f32', (a) => F(`-${a}`)),
  'f32.ceil': op(['f32'], 'f32', (a) => F(`ceil(${a})`)),
  'f32.floor': op(['f32'], 'f32', (a) => F(`floor(${a})`)),
  'f32.eq': fcmp('f32', '=='),
  'f32.ne': fcmp('f32', '!='),
  'f32.lt': fcmp('f32', '<'),
  'f32.gt': fcmp('f32', '>'),
  'f32.le': fcmp('f32', '<='),
  'f32.ge': fcmp('f32', '>='),
  'f32.convert_i32_s': op(['i32'], 'f32', (a) => F(s(a))),
  'f32.convert_i32_u': op(['i32'], 'f32', (a) => F(u(a))),
  'f32.demote_f64': op(['f64'], 'f32', (a) => F(a)),
  'f64.add': f64bin('+'),
  'f64.sub': f64bin('-'),
  'f64.mul': f64bin('*'),
  'f64.div': f64bin('/'),
  'f64.sqrt': op(['f64'], 'f64', (a) => D(`sqrt(${a})`)),
  'f64.abs': op(['f64'], 'f64', (a) => D(`abs(${a})`)),
  'f64.neg': op(['f64'], 'f64', (a) => D(`-${a}`)),
  'f64.ceil': op(['f64'], 'f64', (a) => D(`ceil(${a})`)),
  'f64.floor': op(['f64'], 'f64', (a) => D(`floor(${a})`)),
  'f64.eq': fcmp('f64', '=='),
  'f64.ne': fcmp('f64', '!='),
  'f64.lt': fcmp('f64', '<'),
  'f64.gt': fcmp('f64', '>'),
  'f64.le': fcmp('f64', '<='),
  'f64.ge': fcmp('f64', '>='),
  'f64.convert_i32_s': op(['i32'], 'f64', (a) => D(s(a))),
  'f64.convert_i32_u': op(['i32'], 'f64', (a) => D(u(a))),
  'f64.promote_f32': op(['f32'], 'f64', (a) => D(a)),
};
