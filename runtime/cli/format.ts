/**
 * Values on the command line, in the runner's bit-exact form (f32 as u32
 * bits, f64 as u64 bits, i64 as BigInt): parsing `run` arguments by the
 * export's parameter types, and printing results.
 *
 * Printing: i32/i64 signed decimal; f32/f64 the shortest decimal that reads
 * back to the same value (so `0.1` prints as `0.1` for both widths), `-0`
 * kept, `inf` / `-inf`, and a NaN with its bit pattern, sign written apart:
 * `nan:0x7fc00000`, `-nan:0x7ff8000000000000`.
 * Parsing accepts decimal, `-`, `0x` hex for integers (signed or unsigned
 * range), and for floats any JS number syntax plus inf, nan, nan:0xPAYLOAD.
 */
import { bitsToF32, bitsToF64, f32ToBits, f64ToBits, type ValType } from '../../interpreter/index.js';

/** Formats one result of type `t` given in bit-exact form. */
export function formatValue(t: ValType, v: unknown): string {
  switch (t) {
    case 'i32': return String((v as number) | 0);
    case 'i64': return BigInt.asIntN(64, v as bigint).toString();
    case 'f32': return formatFloat(32, BigInt((v as number) >>> 0));
    case 'f64': return formatFloat(64, BigInt.asUintN(64, v as bigint));
    case 'v128': return formatV128(v as Uint8Array);
    case 'funcref':
    case 'externref':
      if (v === null || v === undefined) return 'null';
      return t === 'funcref' ? 'funcref' : `externref:${typeof v === 'object' ? 'object' : String(v)}`;
  }
}

function formatFloat(width: 32 | 64, bits: bigint): string {
  const signBit = 1n << BigInt(width - 1);
  const abs = bits & (signBit - 1n);
  const sign = (bits & signBit) !== 0n ? '-' : '';
  const expAll = width === 32 ? 0x7f800000n : 0x7ff0000000000000n;
  if ((abs & expAll) === expAll) {
    if (abs === expAll) return `${sign}inf`;
    return `${sign}nan:0x${abs.toString(16).padStart(width / 4, '0')}`;
  }
  if (width === 64) {
    const x = bitsToF64(bits);
    return Object.is(x, -0) ? '-0' : String(x);
  }
  const x = bitsToF32(Number(bits));
  if (Object.is(x, -0)) return '-0';
  // The shortest decimal that rounds back to this f32 (at most 9 digits are ever needed).
  for (let p = 1; p <= 9; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === x) return String(s);
  }
  return String(x);
}

function formatV128(v: Uint8Array): string {
  const dv = new DataView(v.buffer, v.byteOffset, 16);
  return 'i32x4 ' + [0, 4, 8, 12].map((o) => '0x' + dv.getUint32(o, true).toString(16).padStart(8, '0')).join(' ');
}

/** Thrown for an argument that does not parse as its parameter type. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

const INT = /^([+-]?)(0x[0-9a-f]+|[0-9]+)$/i;

/** Parses a command-line argument as a value of type `t`, in bit-exact form. */
export function parseValue(t: ValType, text: string): unknown {
  switch (t) {
    case 'i32': return Number(BigInt.asIntN(32, parseInt(text, 32)));
    case 'i64': return BigInt.asIntN(64, parseInt(text, 64));
    case 'f32': return parseFloatBits(32, text);
    case 'f64': return parseFloatBits(64, text);
    case 'funcref':
    case 'externref':
      if (text === 'null') return null;
      throw new ArgumentError(`${JSON.stringify(text)} is not a valid ${t} (only null can be given)`);
    case 'v128': throw new ArgumentError('v128 arguments are not supported on the command line');
  }
}

function parseInt(text: string, width: 32 | 64): bigint {
  const m = INT.exec(text.replace(/_/g, ''));
  if (m === null) throw new ArgumentError(`${JSON.stringify(text)} is not a valid i${width}`);
  const mag = BigInt(m[2]!);
  const v = m[1] === '-' ? -mag : mag;
  const limit = 1n << BigInt(width);
  if (v < -(limit >> 1n) || v >= limit) throw new ArgumentError(`${text} is out of range for i${width}`);
  return v;
}

function parseFloatBits(width: 32 | 64, text: string): number | bigint {
  const t = text.toLowerCase().replace(/_/g, '');
  const neg = t.startsWith('-');
  const body = t.replace(/^[+-]/, '');
  const signBit = neg ? 1n << BigInt(width - 1) : 0n;
  const expAll = width === 32 ? 0x7f800000n : 0x7ff0000000000000n;
  const quiet = width === 32 ? 0x400000n : 0x8000000000000n;
  let bits: bigint;
  if (body === 'inf' || body === 'infinity') bits = expAll;
  else if (body === 'nan') bits = expAll | quiet;
  else if (body.startsWith('nan:0x')) {
    const payload = BigInt(checkHex(body.slice(4), text, width));
    if (payload === 0n || payload >= quiet << 1n) throw new ArgumentError(`${text}: NaN payload out of range for f${width}`);
    bits = expAll | payload;
  } else {
    const x = body === '' || !/^(0x[0-9a-f]+|[0-9]*\.?[0-9]*(e[+-]?[0-9]+)?)$/.test(body) ? NaN : Number(body);
    if (Number.isNaN(x)) throw new ArgumentError(`${JSON.stringify(text)} is not a valid f${width}`);
    bits = width === 32 ? BigInt(f32ToBits(Math.fround(x))) : f64ToBits(x);
  }
  bits |= signBit;
  return width === 32 ? Number(bits) : bits;
}

function checkHex(s: string, text: string, width: number): string {
  if (!/^0x[0-9a-f]+$/.test(s)) throw new ArgumentError(`${JSON.stringify(text)} is not a valid f${width}`);
  return s;
}
