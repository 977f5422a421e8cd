/**
 * Values printed the way gdb prints them: `{x = 1, y = 2}`, `{1, 2, 3}`,
 * `(int *) 0x1138c`, `0x10000 "square"`, `65 'A'`, `RED`; with /x /d /c /t
 * applied to every integer inside an aggregate.
 *
 * Invariant: formatting never throws for bad memory: a string that cannot be
 * read prints `<error: ...>`, and output is bounded (200 elements, 200 chars).
 */
import { typeName, type TypeNode } from '../dwarf/index.js';
import { isSigned, scalarOf, sizeOf, strip, type CValue } from './values.js';

export type Format = 'natural' | 'x' | 'd' | 'u' | 'c' | 't' | 'o';

/** Reads `size` bytes of linear memory (throws when out of bounds). */
export type MemoryReader = (address: number, size: number) => Uint8Array;

const MAX_ELEMENTS = 200;

export function formatValue(v: CValue, fmt: Format, mem: MemoryReader | undefined, topLevel = true): string {
  const s = strip(v.type);
  switch (s.kind) {
    case 'struct': case 'class': case 'union': {
      const parts = s.members.map((m) => {
        const size = sizeOf(m.type);
        let bytes = v.bytes.subarray(m.offset, m.offset + size);
        if (m.bitSize !== undefined && m.bitOffset !== undefined) bytes = bitfield(v.bytes, m.bitOffset, m.bitSize, size);
        const inner = formatValue({ type: m.type, bytes }, fmt, mem, false);
        return m.name === undefined ? inner : `${m.name} = ${inner}`;
      });
      return `{${parts.join(', ')}}`;
    }
    case 'array': {
      const el = s.dims.length > 1 ? ({ kind: 'array', element: s.element, dims: s.dims.slice(1) } as TypeNode) : s.element;
      const es = sizeOf(el);
      const count = s.dims[0] ?? 0;
      const es0 = strip(el);
      if (fmt === 'natural' && es0.kind === 'base' && es === 1 && es0.encoding.endsWith('char')) {
        return quote(v.bytes.subarray(0, count), true);
      }
      const items: string[] = [];
      for (let i = 0; i < Math.min(count, MAX_ELEMENTS); i++) items.push(formatValue({ type: el, bytes: v.bytes.subarray(i * es, (i + 1) * es) }, fmt, mem, false));
      if (count > MAX_ELEMENTS) items.push('...');
      return `{${items.join(', ')}}`;
    }
    case 'pointer': case 'reference': case 'rvalue-reference': {
      const a = Number(scalarOf(v));
      if (fmt !== 'natural' && fmt !== 'x') return formatInt(BigInt(a), 4, false, fmt);
      const hex = `0x${a.toString(16)}`;
      const t = strip(s.target);
      if (t.kind === 'base' && t.byteSize === 1 && t.encoding.endsWith('char') && mem) return `${hex} ${cString(mem, a)}`;
      return topLevel ? `(${typeName(v.type)}) ${hex}` : hex;
    }
    case 'enum': {
      const x = scalarOf(v) as bigint;
      if (fmt === 'natural') return s.enumerators.find((e) => BigInt(e.value) === x)?.name ?? x.toString();
      return formatInt(x, v.bytes.length, isSigned(s), fmt);
    }
    case 'base': {
      if (v.bytes.length === 0) return '<void>';
      const x = scalarOf(v);
      if (typeof x === 'number') return fmt === 'natural' ? formatFloat(x, v.bytes.length) : formatInt(BigInt(Math.trunc(x)), 8, true, fmt);
      if (s.encoding === 'boolean' && fmt === 'natural') return x !== 0n ? 'true' : 'false';
      if (s.encoding.endsWith('char') && fmt === 'natural') return `${x} ${charLiteral(Number(BigInt.asUintN(8, x)))}`;
      return formatInt(x, v.bytes.length, isSigned(s), fmt);
    }
    case 'void': return '<void>';
    default: return `<${typeName(v.type)}>`;
  }
}

export function formatInt(x: bigint, size: number, signed: boolean, fmt: Format): string {
  const bits = size * 8;
  const u = BigInt.asUintN(bits, x);
  switch (fmt) {
    case 'x': return `0x${u.toString(16)}`;
    case 'o': return `0${u.toString(8)}`;
    case 't': return u.toString(2);
    case 'u': return u.toString();
    case 'c': return `${BigInt.asIntN(8, x)} ${charLiteral(Number(BigInt.asUintN(8, x)))}`;
    case 'd': return BigInt.asIntN(bits, x).toString();
    default: return signed ? BigInt.asIntN(bits, x).toString() : u.toString();
  }
}

function formatFloat(x: number, size: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (size === 4) return String(Number(x.toPrecision(9)));
  return String(x);
}

const ESCAPES: Record<number, string> = { 0: '\\000', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 39: "\\'", 92: '\\\\' };

function charLiteral(c: number): string {
  if (c === 34) return `'"'`;
  return `'${ESCAPES[c] ?? (c >= 32 && c < 127 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`)}'`;
}

/** A C string literal of `bytes` (stopping at the first NUL when `stopAtNul`). */
function quote(bytes: Uint8Array, stopAtNul: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length && i < 200; i++) {
    const c = bytes[i]!;
    if (c === 0 && stopAtNul) {
      const rest = bytes.subarray(i).every((b) => b === 0);
      if (rest) break;
    }
    out += c === 39 ? "'" : ESCAPES[c] ?? (c >= 32 && c < 127 ? String.fromCharCode(c) : `\\${c.toString(8).padStart(3, '0')}`);
  }
  return `"${out}"`;
}

function cString(mem: MemoryReader, address: number): string {
  if (address === 0) return '';
  const out: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const b = mem(address + i, 1)[0]!;
      if (b === 0) break;
      out.push(b);
    }
  } catch (e) {
    if (out.length === 0) return `<error: ${(e as Error).message}>`;
  }
  return quote(Uint8Array.from(out), false);
}

/** The bytes of a bitfield, shifted down and sign-extended into its declared type's size. */
function bitfield(bytes: Uint8Array, bitOffset: number, bitSize: number, size: number): Uint8Array {
  let all = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) all = (all << 8n) | BigInt(bytes[i]!);
  let x = (all >> BigInt(bitOffset)) & ((1n << BigInt(bitSize)) - 1n);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}
