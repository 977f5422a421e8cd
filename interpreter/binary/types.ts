/**
 * Decoding of types (spec 5.3, "Binary Format: Types"): value, reference,
 * function, limits, table, memory, global and block types.
 *
 * Invariant: each decoder consumes exactly its production or throws a
 * DecodeError naming the offending byte, with the reference decoder's message.
 */
import type { BlockType, FuncType, GlobalType, Limits, MemType, RefType, TableType, ValType } from '../syntax/types.js';
import type { Reader } from './reader.js';

/** Type codes by byte (a single-byte signed LEB, so 0x7f is -1). */
const VALTYPE_BY_BYTE: ReadonlyArray<ValType | undefined> = (() => {
  const t: Array<ValType | undefined> = [];
  t[0x7f] = 'i32';
  t[0x7e] = 'i64';
  t[0x7d] = 'f32';
  t[0x7c] = 'f64';
  t[0x7b] = 'v128';
  t[0x70] = 'funcref';
  t[0x6f] = 'externref';
  return t;
})();

/** The byte of each value type (for encoders and tests). */
export const VALTYPE_BYTE: { readonly [K in ValType]: number } = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
};

export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = r.u8();
  const t = VALTYPE_BY_BYTE[b];
  if (t !== undefined) return t;
  // Type codes are one-byte signed LEBs: a continuation bit makes the LEB too long.
  if (b & 0x80) return r.fail('integer representation too long', at);
  if (b > 0x7b) return r.fail('malformed number type', at);
  if (b > 0x70) return r.fail('malformed vector type', at);
  return r.fail('malformed reference type', at);
}

export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const b = r.u8();
  if (b === 0x70) return 'funcref';
  if (b === 0x6f) return 'externref';
  if (b & 0x80) return r.fail('integer representation too long', at);
  return r.fail('malformed reference type', at);
}

export function readValTypes(r: Reader): ValType[] {
  const n = r.len();
  const ts: ValType[] = new Array(n);
  for (let i = 0; i < n; i++) ts[i] = readValType(r);
  return ts;
}

export function readFuncType(r: Reader): FuncType {
  const at = r.pos;
  const b = r.u8();
  if (b !== 0x60) r.fail(b & 0x80 ? 'integer representation too long' : 'malformed function type', at);
  const params = readValTypes(r);
  const results = readValTypes(r);
  return { params, results };
}

export function readLimits(r: Reader): Limits {
  const hasMax = r.u1() === 1;
  const min = r.u32();
  return hasMax ? { min, max: r.u32() } : { min };
}

export function readTableType(r: Reader): TableType {
  const elem = readRefType(r);
  return { elem, limits: readLimits(r) };
}

export function readMemType(r: Reader): MemType {
  return { limits: readLimits(r) };
}

export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail('malformed mutability', at);
  return { type, mutable: m === 1 };
}

/** `null` (0x40), one value type, or a type index (s33; a negative one is left to validation: "unknown type"). */
export function readBlockType(r: Reader): BlockType {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return null;
  }
  if ((b & 0xc0) === 0x40) return readValType(r);
  return r.s33();
}
