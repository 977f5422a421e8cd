/**
 * 64-bit division and remainder on int32 halves without BigInt, for
 * compiled code (i64-heavy code divides in its inner loops; numeric.ts's
 * BigInt path costs ~100x a double division). Results are exactly those of
 * numeric.ts's divs64 / divu64 (checked against them by
 * test/compiler/div64.test.ts); traps are thrown by the caller's check.
 *
 * Method: a divisor below 2^32 divides by long division in base 2^16, each
 * step exact in doubles (dividends < 2^48); a larger divisor gives a quotient
 * below 2^32, estimated in doubles (off by at most one) and corrected with
 * exact 64-bit multiply-subtract.
 *
 * Returns the low half; the high half is left in `hi`.
 */
import { numeric as N } from '../../interpreter/index.js';

const TWO32 = 4294967296;

/** High half of the last result. */
export let hi = 0;

export function setHi(h: number): void {
  hi = h;
}

/** Unsigned (alo, ahi) / (blo, bhi) (b ≠ 0): quotient, or remainder when `rem`. */
export function divu(alo: number, ahi: number, blo: number, bhi: number, rem: boolean): number {
  const au = ahi >>> 0, al = alo >>> 0, bu = bhi >>> 0, bl = blo >>> 0;
  if (bu === 0) {
    if (au === 0) {
      hi = 0;
      return (rem ? al % bl : Math.floor(al / bl)) | 0;
    }
    const qh = Math.floor(au / bl);
    let r = au - qh * bl;
    let x = r * 65536 + (al >>> 16);
    const q1 = Math.floor(x / bl);
    r = x - q1 * bl;
    x = r * 65536 + (al & 0xffff);
    const q0 = Math.floor(x / bl);
    r = x - q0 * bl;
    if (rem) {
      hi = 0;
      return r | 0;
    }
    hi = qh | 0;
    return (q1 * 65536 + q0) | 0;
  }
  // b >= 2^32: q < 2^32. The double estimate is within one of the true
  // quotient; one less is never above it (so q*b <= a cannot overflow), and
  // at most two corrections upward finish it.
  let q = Math.floor((au * TWO32 + al) / (bu * TWO32 + bl)) - 1;
  if (q < 0) q = 0;
  const plo = N.mul64(q | 0, 0, blo, bhi), phi = N.hi64;
  let rlo = N.sub64(alo, ahi, plo, phi), rhi = N.hi64;
  while (!N.ltu64(rlo, rhi, blo, bhi)) {
    rlo = N.sub64(rlo, rhi, blo, bhi);
    rhi = N.hi64;
    q++;
  }
  if (rem) {
    hi = rhi;
    return rlo;
  }
  hi = 0;
  return q | 0;
}

/** Signed division (b ≠ 0, not INT64_MIN / -1): quotient or remainder (sign of the dividend). */
export function divs(alo: number, ahi: number, blo: number, bhi: number, rem: boolean): number {
  const an = ahi < 0, bn = bhi < 0;
  let xlo = alo, xhi = ahi, ylo = blo, yhi = bhi;
  if (an) { xlo = N.sub64(0, 0, alo, ahi); xhi = N.hi64; }
  if (bn) { ylo = N.sub64(0, 0, blo, bhi); yhi = N.hi64; }
  const lo = divu(xlo, xhi, ylo, yhi, rem);
  const neg = rem ? an : an !== bn;
  if (!neg) return lo;
  const r = N.sub64(0, 0, lo, hi);
  hi = N.hi64;
  return r;
}
