/**
 * Types as a printable tree (DWARF 5 §5): base types, pointers and
 * references, qualifiers, typedefs, structs/classes/unions with member
 * offsets and bitfields, arrays with dimensions, enums with enumerators and
 * function types; plus the C-declarator name llvm-dwarfdump 14 prints
 * ("const char *", "int (*)(int, int)", "double[2][3]").
 *
 * Invariant: a type DIE is resolved once per Types instance and shared, so
 * recursive types (a struct holding a pointer to itself) become a cyclic
 * graph rather than an endless tree; printers stop at a depth.
 */

import { DW_AT, DW_ATE, DW_TAG } from './constants.js';
import type { Entry, Unit } from './unit.js';

export interface Member {
  readonly name: string | undefined;
  readonly type: TypeNode;
  /** Byte offset of the member's storage in the aggregate. */
  readonly offset: number;
  /** For bitfields: the width and the offset in bits from the start of the aggregate (DW_AT_data_bit_offset sense). */
  readonly bitSize?: number;
  readonly bitOffset?: number;
}

export type TypeNode =
  | { kind: 'void' }
  | { kind: 'base'; name: string; encoding: string; byteSize: number }
  | { kind: 'pointer' | 'reference' | 'rvalue-reference'; target: TypeNode; byteSize: number }
  | { kind: 'const' | 'volatile' | 'restrict' | 'atomic'; target: TypeNode }
  | { kind: 'typedef'; name: string; target: TypeNode }
  | { kind: 'struct' | 'class' | 'union'; name: string | undefined; byteSize: number | undefined; members: Member[]; declaration: boolean }
  | { kind: 'enum'; name: string | undefined; byteSize: number | undefined; base: TypeNode | undefined; enumerators: { name: string; value: number }[] }
  | { kind: 'array'; element: TypeNode; dims: (number | undefined)[] }
  | { kind: 'function'; returns: TypeNode; params: TypeNode[]; variadic: boolean }
  | { kind: 'unknown'; tag: number; name: string | undefined };

const VOID: TypeNode = { kind: 'void' };

/** Resolves type DIEs of one unit (references may lead into other units via `lookup`). */
export class Types {
  private readonly memo = new Map<number, TypeNode>();

  constructor(private readonly lookup: (offset: number) => { unit: Unit; entry: Entry }) {}

  /** The type named by `e`'s DW_AT_type (void when absent). */
  typeOf(e: Entry): TypeNode {
    const ref = e.attrs.get(DW_AT.type);
    return ref?.k === 'ref' ? this.at(ref.v) : VOID;
  }

  at(offset: number): TypeNode {
    const known = this.memo.get(offset);
    if (known) return known;
    const { unit, entry } = this.lookup(offset);
    return this.build(unit, entry);
  }

  private build(unit: Unit, e: Entry): TypeNode {
    const name = unit.str(e.attrs.get(DW_AT.name));
    const size = num(e.attrs.get(DW_AT.byte_size));
    const node = this.shell(e.tag, name, size, unit);
    this.memo.set(e.offset, node); // before recursing: cycles resolve to this node
    const target = () => this.typeOf(e);
    switch (node.kind) {
      case 'pointer': case 'reference': case 'rvalue-reference':
      case 'const': case 'volatile': case 'restrict': case 'atomic': case 'typedef':
        (node as { target: TypeNode }).target = target();
        break;
      case 'struct': case 'class': case 'union':
        node.members = this.members(unit, e);
        break;
      case 'enum':
        node.base = e.attrs.has(DW_AT.type) ? target() : undefined;
        for (const c of unit.children(e)) {
          if (c.tag === DW_TAG.enumerator) node.enumerators.push({ name: unit.str(c.attrs.get(DW_AT.name)) ?? '', value: num(c.attrs.get(DW_AT.const_value)) ?? 0 });
        }
        break;
      case 'array':
        node.element = target();
        for (const c of unit.children(e)) {
          if (c.tag !== DW_TAG.subrange_type) continue;
          const count = num(c.attrs.get(DW_AT.count));
          const upper = num(c.attrs.get(DW_AT.upper_bound));
          const lower = num(c.attrs.get(DW_AT.lower_bound)) ?? 0;
          node.dims.push(count ?? (upper !== undefined ? upper - lower + 1 : undefined));
        }
        break;
      case 'function':
        node.returns = target();
        for (const c of unit.children(e)) {
          if (c.tag === DW_TAG.formal_parameter) node.params.push(this.typeOf(c));
          else if (c.tag === DW_TAG.unspecified_parameters) node.variadic = true;
        }
        break;
      case 'base':
        node.encoding = encodingName(num(e.attrs.get(DW_AT.encoding)) ?? 0);
        break;
      default:
        break;
    }
    return node;
  }

  private shell(tag: number, name: string | undefined, size: number | undefined, unit: Unit): TypeNode {
    switch (tag) {
      case DW_TAG.base_type: return { kind: 'base', name: name ?? '', encoding: '', byteSize: size ?? 0 };
      case DW_TAG.pointer_type: return { kind: 'pointer', target: VOID, byteSize: size ?? unit.addressSize };
      case DW_TAG.reference_type: return { kind: 'reference', target: VOID, byteSize: size ?? unit.addressSize };
      case DW_TAG.rvalue_reference_type: return { kind: 'rvalue-reference', target: VOID, byteSize: size ?? unit.addressSize };
      case DW_TAG.const_type: return { kind: 'const', target: VOID };
      case DW_TAG.volatile_type: return { kind: 'volatile', target: VOID };
      case DW_TAG.restrict_type: return { kind: 'restrict', target: VOID };
      case DW_TAG.atomic_type: return { kind: 'atomic', target: VOID };
      case DW_TAG.typedef: return { kind: 'typedef', name: name ?? '', target: VOID };
      case DW_TAG.structure_type: return { kind: 'struct', name, byteSize: size, members: [], declaration: false };
      case DW_TAG.class_type: return { kind: 'class', name, byteSize: size, members: [], declaration: false };
      case DW_TAG.union_type: return { kind: 'union', name, byteSize: size, members: [], declaration: false };
      case DW_TAG.enumeration_type: return { kind: 'enum', name, byteSize: size, base: undefined, enumerators: [] };
      case DW_TAG.array_type: return { kind: 'array', element: VOID, dims: [] };
      case DW_TAG.subroutine_type: return { kind: 'function', returns: VOID, params: [], variadic: false };
      case DW_TAG.unspecified_type: return { kind: 'base', name: name ?? 'void', encoding: '', byteSize: 0 };
      default: return { kind: 'unknown', tag, name };
    }
  }

  private members(unit: Unit, e: Entry): Member[] {
    const out: Member[] = [];
    for (const c of unit.children(e)) {
      if (c.tag !== DW_TAG.member) continue;
      const loc = c.attrs.get(DW_AT.data_member_location);
      const offset = loc && loc.k !== 'exprloc' && loc.k !== 'block' ? num(loc) ?? 0 : 0;
      const bitSize = num(c.attrs.get(DW_AT.bit_size));
      const m: Member = { name: unit.str(c.attrs.get(DW_AT.name)), type: this.typeOf(c), offset };
      if (bitSize === undefined) { out.push(m); continue; }
      const dataBit = num(c.attrs.get(DW_AT.data_bit_offset));
      // DWARF ≤4 DW_AT_bit_offset counts from the most significant bit of the storage unit.
      const legacy = num(c.attrs.get(DW_AT.bit_offset));
      const storage = (num(c.attrs.get(DW_AT.byte_size)) ?? 4) * 8;
      const bitOffset = dataBit ?? offset * 8 + (legacy !== undefined ? storage - legacy - bitSize : 0);
      out.push({ ...m, bitSize, bitOffset });
    }
    return out;
  }
}

function num(v: { k: string; v: unknown } | undefined): number | undefined {
  return v && (v.k === 'udata' || v.k === 'sdata') ? (v.v as number) : undefined;
}

export function encodingName(code: number): string {
  return DW_ATE[code] ?? `0x${code.toString(16)}`;
}

/** The C declarator name of a type, as llvm-dwarfdump 14 prints it next to DW_AT_type. */
export function typeName(t: TypeNode): string {
  return declare(t, '');
}

function declare(t: TypeNode, inner: string): string {
  const withInner = (base: string) => (inner === '' ? base : inner.startsWith('[') ? base + inner : `${base} ${inner}`);
  switch (t.kind) {
    case 'void': return withInner('void');
    case 'base': case 'typedef': return withInner(t.name);
    case 'struct': case 'class': case 'union': case 'enum':
      return withInner(t.name ?? `(anonymous ${t.kind === 'enum' ? 'enum' : t.kind === 'struct' ? 'struct' : t.kind})`);
    case 'unknown': return withInner(t.name ?? '<unknown>');
    case 'pointer': case 'reference': case 'rvalue-reference': {
      const sigil = t.kind === 'pointer' ? '*' : t.kind === 'reference' ? '&' : '&&';
      const next = sigil + inner;
      const wrap = t.target.kind === 'array' || t.target.kind === 'function';
      return declare(t.target, wrap ? `(${next})` : next);
    }
    case 'const': case 'volatile': case 'restrict': case 'atomic': {
      const q = t.kind === 'atomic' ? '_Atomic' : t.kind;
      // A qualified pointer reads "char *const": the qualifier joins the declarator.
      if (t.target.kind === 'pointer' || t.target.kind === 'reference') return declare(t.target, inner === '' ? q : `${q} ${inner}`);
      return `${q} ${declare(t.target, inner)}`;
    }
    case 'array': return declare(t.element, inner + t.dims.map((d) => `[${d ?? ''}]`).join(''));
    case 'function': {
      const params = t.params.map(typeName);
      if (t.variadic) params.push('...');
      return declare(t.returns, `${inner}(${params.join(', ')})`);
    }
  }
}

/** A multi-line rendering of a type and its members, expanding aggregates up to `depth` levels. */
export function formatType(t: TypeNode, depth = 2, indent = ''): string {
  const head = typeName(t);
  let body = t;
  while (body.kind === 'typedef' || body.kind === 'const' || body.kind === 'volatile') body = body.target;
  if (depth <= 0) return head;
  if (body.kind === 'struct' || body.kind === 'class' || body.kind === 'union') {
    const lines = body.members.map((m) => {
      const bits = m.bitSize !== undefined ? ` : ${m.bitSize} (bit ${m.bitOffset})` : '';
      return `${indent}  +${m.offset} ${m.name ?? '<anonymous>'}${bits}: ${formatType(m.type, depth - 1, indent + '  ')}`;
    });
    return `${head} (${body.byteSize ?? '?'} bytes) {\n${lines.join('\n')}\n${indent}}`;
  }
  if (body.kind === 'enum') return `${head} { ${body.enumerators.map((e) => `${e.name} = ${e.value}`).join(', ')} }`;
  return head;
}
