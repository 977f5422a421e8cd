/**
 * Numeric semantics the JavaScript operators do not give directly (spec 4.3
 * "Numerics"): 64-bit integers as two int32 halves, IEEE round-to-nearest-even,
 * float-to-int truncation with its traps, and correctly rounded conversions.
 * Shared by the interpreter and by compiled code, so both tiers compute the
 * same bits.
 *
 * 64-bit helpers take (lo, hi) pairs of int32 and return the low half; the
 * high half is left in `hi64` (one module-level register, as in wasm2js's
 * i64toi32_i32$HIGH_BITS), which the caller reads at once.
 */

/** High half of the last 64-bit result. */
export let hi64 = 0;

const TWO32 = 4294967296;

/** Splits an integral double (|x| < 2^64) into halves; returns lo, sets hi64. */
export function splitDouble(x: number): number {
  hi64 = Math.floor(x / TWO32) | 0;
  return x | 0;
}

export function toBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

export function fromBigInt(v: bigint): number {
  hi64 = Number(BigInt.asIntN(32, v >> 32n));
  return Number(BigInt.asIntN(32, v));
}

/** High 32 bits of the unsigned 64-bit product of two u32 (given as int32). */
function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const t = ((a0 * b0) >>> 16) + a1 * b0;
  const t1 = (t & 0xffff) + a0 * b1;
  return (a1 * b1 + Math.floor(t / 65536) + Math.floor(t1 / 65536)) | 0;
}

export function mul64(alo: number, ahi: number, blo: number, bhi: number): number {
  hi64 = (mulhu(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  return Math.imul(alo, blo);
}

export function add64(alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) + (blo >>> 0);
  hi64 = (ahi + bhi + (lo >= TWO32 ? 1 : 0)) | 0;
  return lo | 0;
}

export function sub64(alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) - (blo >>> 0);
  hi64 = (ahi - bhi - (lo < 0 ? 1 : 0)) | 0;
  return lo | 0;
}

/** Signed division; `kind` 0 div_s, 1 rem_s. Throws the trap message string on error. */
export function divs64(alo: number, ahi: number, blo: number, bhi: number, rem: boolean): number {
  if (blo === 0 && bhi === 0) throw DIV_ZERO;
  if (ahi === alo >> 31 && bhi === blo >> 31) {
    // Both fit in int32: double arithmetic is exact.
    if (rem) return splitDouble(blo === -1 ? 0 : alo % blo);
    return splitDouble(Math.trunc(alo / blo));
  }
  const a = toBigInt(alo, ahi), b = toBigInt(blo, bhi);
  if (!rem && a === -(1n << 63n) && b === -1n) throw INT_OVERFLOW;
  return fromBigInt(rem ? a % b : a / b);
}

export function divu64(alo: number, ahi: number, blo: number, bhi: number, rem: boolean): number {
  if (blo === 0 && bhi === 0) throw DIV_ZERO;
  if (ahi === 0 && bhi === 0) {
    const a = alo >>> 0, b = blo >>> 0;
    hi64 = 0;
    return (rem ? a % b : Math.floor(a / b)) | 0;
  }
  const a = BigInt.asUintN(64, toBigInt(alo, ahi)), b = BigInt.asUintN(64, toBigInt(blo, bhi));
  return fromBigInt(rem ? a % b : a / b);
}

export function shl64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) { hi64 = hi; return lo; }
  if (n < 32) { hi64 = (hi << n) | (lo >>> (32 - n)); return lo << n; }
  hi64 = lo << (n - 32);
  return 0;
}

export function shrs64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) { hi64 = hi; return lo; }
  if (n < 32) { hi64 = hi >> n; return (lo >>> n) | (hi << (32 - n)); }
  hi64 = hi >> 31;
  return hi >> (n - 32);
}

export function shru64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) { hi64 = hi; return lo; }
  if (n < 32) { hi64 = hi >>> n; return (lo >>> n) | (hi << (32 - n)); }
  hi64 = 0;
  return hi >>> (n - 32);
}

export function rotl64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) { hi64 = hi; return lo; }
  if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; if (n === 0) { hi64 = hi; return lo; } }
  hi64 = (hi << n) | (lo >>> (32 - n));
  return (lo << n) | (hi >>> (32 - n));
}

export function rotr64(lo: number, hi: number, n: number): number {
  return rotl64(lo, hi, (64 - (n & 63)) & 63);
}

export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function ctz64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function ltu64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi === bhi ? alo >>> 0 < blo >>> 0 : ahi >>> 0 < bhi >>> 0;
}

export function lts64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi === bhi ? alo >>> 0 < blo >>> 0 : ahi < bhi;
}

/**
 * A NaN result must be quiet (spec: an arithmetic NaN), but Math.ceil and
 * friends may hand a signalling NaN back unchanged.
 */
export function quiet(x: number): number {
  return x !== x ? NaN : x;
}

/** Round to nearest, ties to even (spec: fnearest); keeps the sign of zero. */
export function nearest(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const r = Math.round(x); // ties go up
  const res = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return res === 0 && x < 0 ? -0 : res;
}

// Trap messages, thrown as strings by the helpers and turned into Trap objects
// with a position by the tier that called them.
export const DIV_ZERO = 'integer divide by zero';
export const INT_OVERFLOW = 'integer overflow';
export const INVALID_CONVERSION = 'invalid conversion to integer';

/** trunc to a signed 32-bit integer, trapping as the spec says (i32.trunc_fN_s). */
export function truncS32(x: number): number {
  if (x !== x) throw INVALID_CONVERSION;
  if (!(x > -2147483649 && x < 2147483648)) throw INT_OVERFLOW;
  return x | 0;
}

export function truncU32(x: number): number {
  if (x !== x) throw INVALID_CONVERSION;
  if (!(x > -1 && x < 4294967296)) throw INT_OVERFLOW;
  return x >>> 0 | 0;
}

/** i64.trunc_fN_s: returns lo, sets hi64. */
export function truncS64(x: number): number {
  if (x !== x) throw INVALID_CONVERSION;
  if (!(x >= -9223372036854775808 && x < 9223372036854775808)) throw INT_OVERFLOW;
  return splitDouble(Math.trunc(x));
}

export function truncU64(x: number): number {
  if (x !== x) throw INVALID_CONVERSION;
  if (!(x > -1 && x < 18446744073709551616)) throw INT_OVERFLOW;
  return splitDouble(Math.trunc(x));
}

export function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return x | 0;
}

export function truncSatU32(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= 4294967295) return -1;
  return x >>> 0 | 0;
}

export function truncSatS64(x: number): number {
  if (x !== x) { hi64 = 0; return 0; }
  if (x <= -9223372036854775808) { hi64 = -2147483648; return 0; }
  if (x >= 9223372036854775808) { hi64 = 2147483647; return -1; }
  return splitDouble(Math.trunc(x));
}

export function truncSatU64(x: number): number {
  if (!(x > -1)) { hi64 = 0; return 0; }
  if (x >= 18446744073709551616) { hi64 = -1; return -1; }
  return splitDouble(Math.trunc(x));
}

/** f64.convert_i64_s: the sum of two exact doubles rounds once, so it is correctly rounded. */
export function convertS64(lo: number, hi: number): number {
  return hi * TWO32 + (lo >>> 0);
}

export function convertU64(lo: number, hi: number): number {
  return (hi >>> 0) * TWO32 + (lo >>> 0);
}

/**
 * f32.convert_i64_{s,u}: rounding through f64 first would round twice, so
 * values of 2^53 or more keep a sticky bit for the bits they drop.
 */
export function convertToF32(lo: number, hi: number, signed: boolean): number {
  let v = signed ? toBigInt(lo, hi) : BigInt.asUintN(64, toBigInt(lo, hi));
  const neg = v < 0n;
  if (neg) v = -v;
  if (v < 1n << 53n) return Math.fround(neg ? -Number(v) : Number(v));
  const shift = BigInt(v.toString(2).length - 53);
  let m = v >> shift;
  if ((v & ((1n << shift) - 1n)) !== 0n) m |= 1n;
  const r = Math.fround(Number(m) * 2 ** Number(shift));
  return neg ? -r : r;
}
