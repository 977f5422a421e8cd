/**
 * Text-format spelling of float and vector constants from their bits.
 *
 * Invariant: the printed text reads back to the same bits: decimals are the
 * shortest that round-trip at the constant's precision, and NaNs show their
 * payload when it is not the canonical one (`nan:0x200000`).
 */

const buf = new DataView(new ArrayBuffer(8));

/** An f32 constant from its bits (a u32 number). */
export function formatF32(bits: number): string {
  buf.setUint32(0, bits >>> 0);
  const x = buf.getFloat32(0);
  const sign = bits >>> 31 ? '-' : '';
  if (Number.isNaN(x)) {
    const payload = bits & 0x7fffff;
    return sign + (payload === 0x400000 ? 'nan' : `nan:0x${payload.toString(16)}`);
  }
  if (!Number.isFinite(x)) return sign + 'inf';
  if (x === 0) return sign + '0';
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** An f64 constant from its bits (a u64 bigint). */
export function formatF64(bits: bigint): string {
  buf.setBigUint64(0, BigInt.asUintN(64, bits));
  const x = buf.getFloat64(0);
  const sign = bits >> 63n & 1n ? '-' : '';
  if (Number.isNaN(x)) {
    const payload = bits & 0xfffffffffffffn;
    return sign + (payload === 0x8000000000000n ? 'nan' : `nan:0x${payload.toString(16)}`);
  }
  if (!Number.isFinite(x)) return sign + 'inf';
  if (x === 0) return sign + '0';
  return String(x);
}

/** A v128 constant as four i32 lanes in hex (`i32x4 0x00000001 ...`). */
export function formatV128(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const lanes: string[] = [];
  for (let i = 0; i < 16; i += 4) lanes.push('0x' + view.getUint32(i, true).toString(16).padStart(8, '0'));
  return `i32x4 ${lanes.join(' ')}`;
}
