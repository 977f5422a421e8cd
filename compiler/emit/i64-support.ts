/**
 * The i64 helpers compiled code calls for the operations too long to write
 * inline: the divisions i64-divide.ts does not inline, and the multiply
 * their remainder takes there. They are JavaScript source placed in the
 * module text itself, only those a module uses, so they share the module's
 * `H` (the high half of an i64 result) and V8 can inline them into their
 * callers like any other function of the module (into small ones: the hot
 * operations are written inline instead, i64.ts): no BigInt, no call into
 * another script, no property load for the high half. Measured 2-3x faster
 * on i64arith than the same code behind `env` (a closure per instance and a
 * module namespace read per result).
 *
 * Invariant: each returns the low half of its result and leaves the high
 * half in `H`; results equal numeric.ts's (test/compiler/i64-support.test.ts
 * checks them against it). Traps are not theirs: the emitter checks a zero
 * divisor and INT64_MIN / -1 inline, with the instruction's position.
 */

/** Helper name → its source and the helpers it calls. */
const HELPERS: Readonly<Record<string, { readonly deps: readonly string[]; readonly code: string }>> = {
  i64mulhu: {
    deps: [],
    code: `function i64mulhu(a, b) {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const t = ((a0 * b0) >>> 16) + a1 * b0;
  const t1 = (t & 0xffff) + a0 * b1;
  return (a1 * b1 + ((t / 65536) >>> 0) + ((t1 / 65536) >>> 0)) | 0;
}`,
  },
  i64mul: {
    deps: ['i64mulhu'],
    code: `function i64mul(a, ah, b, bh) {
  H = (i64mulhu(a, b) + imul(a, bh) + imul(ah, b)) | 0;
  return imul(a, b);
}`,
  },
  // Unsigned division (b != 0), split by the divisor's size so that the
  // common half is small enough for V8 to inline. A divisor below 2^32
  // divides by long division in base 2^16 (dividends < 2^48, exact in
  // doubles) with one division (the reciprocal): each digit is estimated
  // by a multiply, within one of the truth, and corrected by one step.
  i64udiv32: {
    deps: [],
    code: `function i64udiv32(alu, au, blu, rem) {
  const inv = 1 / blu;
  let qh = Math_floor(au * inv), r = au - qh * blu;
  if (r < 0) { qh--; r += blu; } else if (r >= blu) { qh++; r -= blu; }
  let x = r * 65536 + (alu >>> 16);
  let q1 = Math_floor(x * inv);
  r = x - q1 * blu;
  if (r < 0) { q1--; r += blu; } else if (r >= blu) { q1++; r -= blu; }
  x = r * 65536 + (alu & 0xffff);
  let q0 = Math_floor(x * inv);
  r = x - q0 * blu;
  if (r < 0) { q0--; r += blu; } else if (r >= blu) { q0++; r -= blu; }
  if (rem) { H = 0; return r | 0; }
  H = qh | 0;
  return (q1 * 65536 + q0) | 0;
}`,
  },
  // A divisor of 2^32 or more gives a quotient q below 2^32. The double
  // estimate A/B, scaled by 1 - 2^-50 (four roundings of 2^-53 cannot lift
  // it back), is below the true quotient and above it minus 2^-17, so its
  // floor is q or q - 1: one exact 64-bit remainder and at most one
  // correction, no loop. The dividend is scaled, not the quotient: in a
  // loop like gcd's the dividend is known a step earlier than the divisor,
  // so the multiply leaves the chain of dependent operations. A small
  // estimate (gcd-like code) multiplies exactly in doubles; a large one
  // through i64mulhu.
  i64udiv64: {
    deps: ['i64mulhu'],
    code: `function i64udiv64(al, ah, bl, bh, rem) {
  const blu = bl >>> 0;
  const q = Math_floor(((ah >>> 0) * 4294967296 + (al >>> 0)) * 0.9999999999999991 / ((bh >>> 0) * 4294967296 + blu));
  let ph;
  if (q < 2097152) ph = (imul(q, bh) + Math_floor(q * blu / 4294967296)) | 0;
  else ph = (i64mulhu(q, bl) + imul(q, bh)) | 0;
  const pl = imul(q, bl);
  const rl0 = (al - pl) | 0;
  let rl = rl0, rh = (ah - ph - (((~al & pl) | (~(al ^ pl) & rl0)) >>> 31)) | 0;
  if (rh === bh ? (rl >>> 0) >= blu : (rh >>> 0) > (bh >>> 0)) {
    if (!rem) { H = 0; return (q + 1) | 0; }
    rh = (rh - bh - (((rl >>> 0) < blu) ? 1 : 0)) | 0;
    rl = (rl - bl) | 0;
  }
  if (rem) { H = rh; return rl; }
  H = 0;
  return q | 0;
}`,
  },
  // A divisor 0 < b < 2^31 (a positive int32): i64-divide.ts's inline
  // sequence (its header proves it) as a function, which V8 inlines into a
  // small hot caller; the high digit by V8's uint32 division, the low one
  // estimated in doubles and corrected once.
  i64udivn: {
    deps: [],
    code: `function i64udivn(al, ah, b, rem) {
  if (ah === 0) { H = 0; return (rem ? (al >>> 0) % (b >>> 0) : (al >>> 0) / (b >>> 0)) | 0; }
  const di = 0.9999999999999991 / b;
  let dq = 0, dr = 0;
  if (rem) dr = ((ah >>> 0) % (b >>> 0)) | 0;
  else { dq = ((ah >>> 0) / (b >>> 0)) >>> 0; dr = (ah - imul(dq, b)) | 0; }
  dr = Math_floor((dr * 4294967296 + (al >>> 0)) * di) | 0;
  let dm = (al - imul(dr, b)) | 0;
  if ((dm >>> 0) >= (b >>> 0)) { dr = (dr + 1) | 0; dm = (dm - b) | 0; }
  if (rem) { H = 0; return dm | 0; }
  H = dq | 0;
  return dr | 0;
}`,
  },
  i64udiv: {
    deps: ['i64udivn', 'i64udiv32', 'i64udiv64'],
    code: `function i64udiv(al, ah, bl, bh, rem) {
  if (bh === 0 && bl > 0) return i64udivn(al, ah, bl, rem);
  if (bh !== 0) return i64udiv64(al, ah, bl, bh, rem);
  if (ah === 0) {
    H = 0;
    return (rem ? (al >>> 0) % (bl >>> 0) : (al >>> 0) / (bl >>> 0)) | 0;
  }
  return i64udiv32(al >>> 0, ah >>> 0, bl >>> 0, rem);
}`,
  },
  // A divisor that is an int32 other than INT32_MIN (magnitude below 2^31):
  // i64-divide.ts's inline narrowSigned sequence as a function. Two int32
  // operands divide in doubles (a quotient of 2^31, INT32_MIN / -1, is
  // right: its high half is 0); else the magnitudes by i64udivn, the signs
  // applied by masks.
  i64sdivn: {
    deps: ['i64udivn'],
    code: `function i64sdivn(al, ah, bl, rem) {
  if (ah === (al >> 31)) {
    if (rem) { const r = (al % bl) | 0; H = r >> 31; return r; }
    const q = al / bl;
    H = q <= -1 ? -1 : 0;
    return q | 0;
  }
  let dn = bl >> 31;
  const dd = ((bl ^ dn) - dn) | 0;
  dn = ah >> 31;
  const m = i64udivn(((al ^ dn) - dn) | 0, ((ah ^ dn) + (dn & (((al | ((0 - al) | 0)) >>> 31) ^ 1))) | 0, dd, rem);
  if (rem) { const r = ((m ^ dn) - dn) | 0; H = r >> 31; return r; }
  dn = (ah ^ bl) >> 31;
  H = ((H ^ dn) + (dn & (((m | ((0 - m) | 0)) >>> 31) ^ 1))) | 0;
  return ((m ^ dn) - dn) | 0;
}`,
  },
  // Signed division through the unsigned one on magnitudes; the remainder
  // takes the dividend's sign. INT64_MIN / -1 is trapped by the caller
  // (its remainder, 0, comes out right here).
  i64sdiv: {
    deps: ['i64sdivn', 'i64udiv'],
    code: `function i64sdiv(al, ah, bl, bh, rem) {
  if (bh === (bl >> 31) && bl !== -2147483648) return i64sdivn(al, ah, bl, rem);
  const an = ah < 0, bn = bh < 0;
  if (an) { ah = (~ah + (al === 0 ? 1 : 0)) | 0; al = (-al) | 0; }
  if (bn) { bh = (~bh + (bl === 0 ? 1 : 0)) | 0; bl = (-bl) | 0; }
  const l = i64udiv(al, ah, bl, bh, rem);
  if (rem ? !an : an === bn) return l;
  H = (~H + (l === 0 ? 1 : 0)) | 0;
  return (-l) | 0;
}`,
  },
  // A division outside loops calls these wrappers, one short line each
  // (i64-divide.ts); the inline divisions' last arms call i64udiv and i64sdiv
  // themselves, which V8 does not inline as eagerly.
  i64divu: { deps: ['i64udiv'], code: 'function i64divu(al, ah, bl, bh) { return i64udiv(al, ah, bl, bh, false); }' },
  i64remu: { deps: ['i64udiv'], code: 'function i64remu(al, ah, bl, bh) { return i64udiv(al, ah, bl, bh, true); }' },
  i64divs: { deps: ['i64sdiv'], code: 'function i64divs(al, ah, bl, bh) { return i64sdiv(al, ah, bl, bh, false); }' },
  i64rems: { deps: ['i64sdiv'], code: 'function i64rems(al, ah, bl, bh) { return i64sdiv(al, ah, bl, bh, true); }' },
};

export type I64Helper = keyof typeof HELPERS;

/** The source of the given helpers and everything they call, each once, in a fixed order. */
export function i64Support(used: Iterable<string>): string[] {
  const need = new Set<string>();
  const add = (name: string): void => {
    const h = HELPERS[name];
    if (h === undefined) throw new Error(`unknown i64 helper ${name}`);
    if (need.has(name)) return;
    need.add(name);
    h.deps.forEach(add);
  };
  for (const u of used) add(u);
  return Object.keys(HELPERS).filter((n) => need.has(n)).flatMap((n) => HELPERS[n]!.code.split('\n'));
}
