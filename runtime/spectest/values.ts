/**
 * Spec-suite values (wast2json's `{type, value}` with unsigned-decimal bit
 * strings, INDEX.md "Values") to and from the runner's bit-exact form, and
 * the comparison an `assert_return` makes.
 *
 * Invariant: nothing here goes through a JavaScript float, so every NaN
 * payload and -0 is compared exactly; `nan:canonical` / `nan:arithmetic`
 * follow the spec's definitions (either sign).
 */
import type { BitsValue } from './engine.js';

export interface SpecValue {
  readonly type: string;
  readonly value?: string | readonly string[];
  readonly lane_type?: string;
}

/**
 * Host references for `ref.extern N`: one object per N, so the same N is the
 * same reference (identity), and a result can be mapped back to its N.
 */
export class ExternRefs {
  private readonly byN = new Map<string, { readonly externref: number }>();

  get(n: string): { readonly externref: number } {
    let r = this.byN.get(n);
    if (r === undefined) {
      r = Object.freeze({ externref: Number(n) });
      this.byN.set(n, r);
    }
    return r;
  }
}

const LANES: Readonly<Record<string, number>> = { i8: 16, i16: 8, i32: 4, i64: 2, f32: 4, f64: 2 };

/** An argument value in bit-exact form. */
export function argValue(v: SpecValue, refs: ExternRefs): BitsValue {
  const s = v.value;
  switch (v.type) {
    case 'i32': return Number(BigInt.asIntN(32, BigInt(s as string)));
    case 'i64': return BigInt.asIntN(64, BigInt(s as string));
    case 'f32': return Number(BigInt.asUintN(32, BigInt(s as string)));
    case 'f64': return BigInt.asUintN(64, BigInt(s as string));
    case 'externref': return s === 'null' ? null : refs.get(s as string);
    case 'funcref': if (s === 'null') return null; break;
    case 'v128': return v128Bytes(v);
  }
  throw new Error(`unsupported argument ${JSON.stringify(v)}`);
}

function v128Bytes(v: SpecValue): Uint8Array {
  const lanes = v.value as readonly string[];
  const n = LANES[v.lane_type ?? ''];
  if (n === undefined || lanes.length !== n) throw new Error(`bad v128 value ${JSON.stringify(v)}`);
  const bytes = new Uint8Array(16);
  const width = 16 / n;
  lanes.forEach((lane, i) => {
    let bits = BigInt(lane);
    for (let b = 0; b < width; b++, bits >>= 8n) bytes[i * width + b] = Number(bits & 0xffn);
  });
  return bytes;
}

/** Whether `got` (bit-exact) is what `expected` describes. */
export function matches(expected: SpecValue, got: BitsValue, refs: ExternRefs): boolean {
  const s = expected.value;
  switch (expected.type) {
    case 'i32': return typeof got === 'number' && BigInt(got >>> 0) === BigInt(s as string);
    case 'i64': return typeof got === 'bigint' && BigInt.asUintN(64, got) === BigInt(s as string);
    case 'f32': return typeof got === 'number' && floatMatches(32, BigInt(got >>> 0), s as string);
    case 'f64': return typeof got === 'bigint' && floatMatches(64, BigInt.asUintN(64, got), s as string);
    case 'externref': return s === 'null' ? got === null : got === refs.get(s as string);
    // Only `null` occurs in the suite; any other expectation means "some function" (spec: ref.func).
    case 'funcref': return s === 'null' ? got === null : got !== null && got !== undefined;
    case 'v128': return got instanceof Uint8Array && v128Matches(expected, got);
  }
  return false;
}

function floatMatches(width: 32 | 64, bits: bigint, s: string): boolean {
  const mantBits = width === 32 ? 23n : 52n;
  const expMask = (width === 32 ? 0xffn : 0x7ffn) << mantBits;
  const quiet = 1n << (mantBits - 1n);
  const payload = bits & ((1n << mantBits) - 1n);
  const isNaN = (bits & expMask) === expMask && payload !== 0n;
  if (s === 'nan:canonical') return isNaN && payload === quiet;
  if (s === 'nan:arithmetic') return isNaN && (payload & quiet) !== 0n;
  return bits === BigInt(s);
}

function v128Matches(expected: SpecValue, got: Uint8Array): boolean {
  const lanes = expected.value as readonly string[];
  const n = LANES[expected.lane_type ?? ''];
  if (n === undefined || lanes.length !== n || got.length !== 16) return false;
  const width = 16 / n;
  return lanes.every((lane, i) => {
    let bits = 0n;
    for (let b = width - 1; b >= 0; b--) bits = (bits << 8n) | BigInt(got[i * width + b]!);
    if (expected.lane_type === 'f32' || expected.lane_type === 'f64') return floatMatches(width === 4 ? 32 : 64, bits, lane);
    return bits === BigInt(lane);
  });
}

/** A readable form of an expected value: `i32:4294967295`, `f32:nan:canonical`. */
export function showExpected(v: SpecValue): string {
  const s = Array.isArray(v.value) ? `${v.lane_type}x[${v.value.join(' ')}]` : String(v.value);
  return `${v.type}:${s}`;
}

/** A readable form of a result, in the same unsigned-bits notation as the JSON. */
export function showGot(type: string, got: BitsValue): string {
  if (got instanceof Uint8Array) return `${type}:[${[...got].map((b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
  if (typeof got === 'number' && type === 'i32') return `i32:${got >>> 0}`;
  if (typeof got === 'number' && type === 'f32') return `f32:${got >>> 0} (0x${(got >>> 0).toString(16)})`;
  if (typeof got === 'bigint' && type === 'i64') return `i64:${BigInt.asUintN(64, got)}`;
  if (typeof got === 'bigint' && type === 'f64') return `f64:${BigInt.asUintN(64, got)} (0x${BigInt.asUintN(64, got).toString(16)})`;
  if (got === null) return `${type}:null`;
  if (typeof got === 'object' && got !== null && 'externref' in got) return `${type}:${String((got as { externref: unknown }).externref)}`;
  return `${type}:${typeof got === 'object' ? '<object>' : String(got)}`;
}
