/**
 * Run-time values at the boundary of the interpreter (spec 4.2.1), in the
 * canonical JavaScript form both tiers agree on (DESIGN.md invariant 6):
 * i32 as an int32 number, i64 as a BigInt in the signed range, f32 and f64 as
 * numbers, references as JS values (`null` is the null reference of either
 * type; a funcref is a FuncInstance; an externref is any other JS value).
 *
 * f32 NaN payloads cannot survive a JavaScript number on every engine (the
 * conversion to double quiets a signalling NaN), so the bit-exact entry points
 * (`invokeBits`, frame states with `bits: true`) carry f32 as its u32 bit
 * pattern instead. Inside the interpreter, values live in a typed-array stack
 * and keep their bits.
 */
import type { ValType } from '../syntax/types.js';
import type { FuncInstance } from './store.js';

/** A reference: null, a function, or a host (extern) value. */
export type Ref = FuncInstance | null | object | string | number | boolean | bigint | symbol | undefined;

export type Value = number | bigint | Ref;

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** The u32 bit pattern of an f32 given as a number. */
export function f32ToBits(x: number): number {
  f32buf[0] = x;
  return u32buf[0]!;
}

/** The f32 (as a number) with the given u32 bit pattern. */
export function bitsToF32(bits: number): number {
  u32buf[0] = bits;
  return f32buf[0]!;
}

const f64buf = new Float64Array(1);
const u64buf = new BigUint64Array(f64buf.buffer);

export function f64ToBits(x: number): bigint {
  f64buf[0] = x;
  return u64buf[0]!;
}

export function bitsToF64(bits: bigint): number {
  u64buf[0] = BigInt.asUintN(64, bits);
  return f64buf[0]!;
}

/** The default (zero) value of a type. */
export function defaultValue(t: ValType): Value {
  switch (t) {
    case 'i32':
    case 'f32':
    case 'f64':
      return 0;
    case 'i64':
      return 0n;
    case 'v128':
      return new Uint8Array(16);
    case 'funcref':
    case 'externref':
      return null;
  }
}

/** Coerces a host-supplied JS value to the canonical form of `t` (as the JS API's ToWebAssemblyValue). */
export function toWasmValue(t: ValType, v: unknown): Value {
  switch (t) {
    case 'i32':
      return Number(v) | 0;
    case 'i64':
      return BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(v as number));
    case 'f32':
      return Math.fround(Number(v));
    case 'f64':
      return Number(v);
    case 'v128':
      throw new TypeError('v128 values cannot cross the JavaScript boundary');
    case 'funcref':
    case 'externref':
      return v as Ref;
  }
}
