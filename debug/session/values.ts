/**
 * Source-level values: a C type (DWARF TypeNode) with its bytes and, when it
 * has one, where it lives (an lvalue: memory, a Wasm local or a global), so
 * `set var` and `&x` know where to write or point. Scalars convert to and
 * from numbers with C semantics (integer width and signedness, float/double).
 *
 * Invariant: `bytes.length` is the type's size (little-endian, as Wasm memory);
 * integers cross as BigInt so 64-bit values stay exact.
 */
import type { TypeNode } from '../dwarf/index.js';

export type Lvalue =
  | { readonly kind: 'memory'; readonly address: number }
  | { readonly kind: 'local'; readonly frame: number; readonly index: number }
  | { readonly kind: 'global'; readonly index: number };

export interface CValue {
  readonly type: TypeNode;
  readonly bytes: Uint8Array;
  readonly lvalue?: Lvalue;
}

export class EvalError extends Error {
  override readonly name = 'EvalError';
}

/** Typedefs and qualifiers removed: the type that decides semantics. */
export function strip(t: TypeNode): TypeNode {
  while (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic') t = t.target;
  return t;
}

export function sizeOf(t: TypeNode): number {
  const s = strip(t);
  switch (s.kind) {
    case 'base': return s.byteSize;
    case 'pointer': case 'reference': case 'rvalue-reference': return s.byteSize || 4;
    case 'struct': case 'class': case 'union': return s.byteSize ?? 0;
    case 'enum': return s.byteSize ?? 4;
    case 'array': return s.dims.reduce<number>((n, d) => n * (d ?? 0), sizeOf(s.element));
    default: return 0;
  }
}

export const isPointer = (t: TypeNode): boolean => { const s = strip(t); return s.kind === 'pointer' || s.kind === 'reference'; };
export const isFloat = (t: TypeNode): boolean => { const s = strip(t); return s.kind === 'base' && s.encoding === 'float'; };
export const isAggregate = (t: TypeNode): boolean => {
  const k = strip(t).kind;
  return k === 'struct' || k === 'class' || k === 'union' || k === 'array';
};
export function isSigned(t: TypeNode): boolean {
  const s = strip(t);
  if (s.kind === 'enum') return s.base ? isSigned(s.base) : true;
  return s.kind === 'base' && (s.encoding === 'signed' || s.encoding === 'signed_char' || (s.encoding === 'float'));
}
export const isScalar = (t: TypeNode): boolean => { const k = strip(t).kind; return k === 'base' || k === 'enum' || k === 'pointer' || k === 'reference'; };

/** The pointed-to (or element) type of a pointer or array. */
export function targetOf(t: TypeNode): TypeNode | undefined {
  const s = strip(t);
  if (s.kind === 'pointer' || s.kind === 'reference' || s.kind === 'rvalue-reference') return s.target;
  if (s.kind === 'array') return s.dims.length > 1 ? { kind: 'array', element: s.element, dims: s.dims.slice(1) } : s.element;
  return undefined;
}

const base = (name: string, encoding: string, byteSize: number): TypeNode => ({ kind: 'base', name, encoding, byteSize });
/** The C base types wasm32 has, for literals, arithmetic results and casts. */
export const C = {
  int: base('int', 'signed', 4), uint: base('unsigned int', 'unsigned', 4),
  long: base('long', 'signed', 4), ulong: base('unsigned long', 'unsigned', 4),
  llong: base('long long', 'signed', 8), ullong: base('unsigned long long', 'unsigned', 8),
  short: base('short', 'signed', 2), ushort: base('unsigned short', 'unsigned', 2),
  char: base('char', 'signed_char', 1), uchar: base('unsigned char', 'unsigned_char', 1),
  float: base('float', 'float', 4), double: base('double', 'float', 8), bool: base('_Bool', 'boolean', 1),
};
/** C spellings of the base types, for casts and sizeof. */
export const C_NAMES: Record<string, TypeNode> = {
  int: C.int, signed: C.int, 'signed int': C.int, unsigned: C.uint, 'unsigned int': C.uint,
  char: C.char, 'signed char': C.char, 'unsigned char': C.uchar, short: C.short, 'short int': C.short,
  'unsigned short': C.ushort, 'unsigned short int': C.ushort, long: C.long, 'long int': C.long,
  'unsigned long': C.ulong, 'unsigned long int': C.ulong, 'long long': C.llong, 'long long int': C.llong,
  'unsigned long long': C.ullong, 'unsigned long long int': C.ullong, float: C.float, double: C.double,
  _Bool: C.bool, bool: C.bool, void: { kind: 'void' },
};

export const pointerTo = (t: TypeNode): TypeNode => ({ kind: 'pointer', target: t, byteSize: 4 });

/** The scalar in `v`: a BigInt for integers, enums and pointers, a number for floats. */
export function scalarOf(v: CValue): bigint | number {
  const s = strip(v.type);
  const dv = new DataView(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
  const n = v.bytes.length;
  if (s.kind === 'base' && s.encoding === 'float') return n === 4 ? dv.getFloat32(0, true) : n === 8 ? dv.getFloat64(0, true) : NaN;
  if (s.kind === 'array') throw new EvalError('an array is not a scalar');
  if (!isScalar(s)) throw new EvalError(`a value of type ${describeKind(s)} is not a scalar`);
  let x = 0n;
  for (let i = n - 1; i >= 0; i--) x = (x << 8n) | BigInt(v.bytes[i]!);
  return isSigned(s) && n > 0 ? BigInt.asIntN(n * 8, x) : x;
}

function describeKind(t: TypeNode): string {
  return t.kind === 'struct' || t.kind === 'union' ? `${t.kind} ${t.name ?? ''}`.trim() : t.kind;
}

/** Encodes a scalar as `type` (wrapping integers to its width, rounding floats). */
export function fromScalar(type: TypeNode, x: bigint | number, lvalue?: Lvalue): CValue {
  const n = sizeOf(type);
  const bytes = new Uint8Array(n);
  const dv = new DataView(bytes.buffer);
  if (isFloat(type)) {
    const f = typeof x === 'bigint' ? Number(x) : x;
    if (n === 4) dv.setFloat32(0, f, true); else if (n === 8) dv.setFloat64(0, f, true);
  } else {
    let b = typeof x === 'bigint' ? x : BigInt(Math.trunc(Number.isFinite(x) ? x : 0));
    if (strip(type).kind === 'base' && (strip(type) as { encoding: string }).encoding === 'boolean') b = b !== 0n ? 1n : 0n;
    for (let i = 0; i < n; i++) { bytes[i] = Number(b & 0xffn); b >>= 8n; }
  }
  return lvalue ? { type, bytes, lvalue } : { type, bytes };
}

export function truthy(v: CValue): boolean {
  const x = scalarOf(v);
  return typeof x === 'bigint' ? x !== 0n : x !== 0;
}
