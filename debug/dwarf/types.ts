/**
 * Types as a printable tree (DWARF 5 §5): base types, pointers and
 * references, qualifiers, typedefs, structs/classes/unions with member
 * offsets and bitfields, arrays with dimensions, enums with enumerators and
 * function types; plus the C-declarator name llvm-dwarfdump 14 prints
 * ("const char *", "int (*)(int, int)", "double[2][3]").
 *
 * Invariant: a type DIE is resolved once per Types instance and shared, so
 * recursive types (a struct holding a pointer to itself) become a cyclic
 * graph rather than an endless tree. Resolution is iterative (a work list of
 * nodes whose references are still to fill), so neither a hostile 100k-deep
 * chain nor a cycle can overflow the stack; a failed resolution leaves
 * nothing half-built behind. Printers are bounded: a declarator nested
 * deeper than MAX_DECLARATOR_DEPTH (only a cycle or hostile data gets
 * there) is a DwarfError, and formatType stops at its depth.
 */

import { DW_AT, DW_ATE, DW_TAG } from './constants.js';
import { DwarfError } from './reader.js';
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

/** How deeply a C declarator may nest before typeName gives up (real code stays in single digits). */
export const MAX_DECLARATOR_DEPTH = 1000;

/** The DIE offset each resolved node came from (for error messages). */
const origin = new WeakMap<TypeNode, number>();

/** Resolves type DIEs of one unit (references may lead into other units via `lookup`). */
export class Types {
  private readonly memo = new Map<number, TypeNode>();
  /** Nodes created but whose references are not filled yet. */
  private pending: { unit: Unit; entry: Entry; node: TypeNode }[] = [];

  constructor(private readonly lookup: (offset: number) => { unit: Unit; entry: Entry }) {}

  /** The type named by `e`'s DW_AT_type (void when absent). */
  typeOf(e: Entry): TypeNode {
    const ref = e.attrs.get(DW_AT.type);
    return ref?.k === 'ref' ? this.at(ref.v) : VOID;
  }

  /** The fully resolved type at a DIE offset. */
  at(offset: number): TypeNode {
    const known = this.memo.get(offset);
    if (known) return known;
    const created: number[] = [];
    try {
      const node = this.node(offset, created);
      for (let job = this.pending.pop(); job; job = this.pending.pop()) this.fill(job.unit, job.entry, job.node, created);
      return node;
    } catch (e) {
      // Nothing half-built may stay memoized: drop every node this call made.
      for (const o of created) this.memo.delete(o);
      this.pending = [];
      throw e;
    }
  }

  /** The node for a DIE: memoized, or a new shell queued for filling. */
  private node(offset: number, created: number[]): TypeNode {
    const known = this.memo.get(offset);
    if (known) return known;
    const { unit, entry } = this.lookup(offset);
    const node = this.shell(entry.tag, unit.str(entry.attrs.get(DW_AT.name)), num(entry.attrs.get(DW_AT.byte_size)), unit);
    this.memo.set(offset, node);
    created.push(offset);
    origin.set(node, offset);
    this.pending.push({ unit, entry, node });
    return node;
  }

  private ref(e: Entry, created: number[]): TypeNode {
    const ref = e.attrs.get(DW_AT.type);
    return ref?.k === 'ref' ? this.node(ref.v, created) : VOID;
  }

  /** Fills a shell's references (targets, members, enumerators, dimensions, parameters). */
  private fill(unit: Unit, e: Entry, node: TypeNode, created: number[]): void {
    const target = () => this.ref(e, created);
    switch (node.kind) {
      case 'pointer': case 'reference': case 'rvalue-reference':
      case 'const': case 'volatile': case 'restrict': case 'atomic': case 'typedef':
        (node as { target: TypeNode }).target = target();
        break;
      case 'struct': case 'class': case 'union':
        node.members = this.members(unit, e, created);
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
          if (c.tag === DW_TAG.formal_parameter) node.params.push(this.ref(c, created));
          else if (c.tag === DW_TAG.unspecified_parameters) node.variadic = true;
        }
        break;
      case 'base':
        node.encoding = encodingName(num(e.attrs.get(DW_AT.encoding)) ?? 0);
        break;
      default:
        break;
    }
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

  private members(unit: Unit, e: Entry, created: number[]): Member[] {
    const out: Member[] = [];
    for (const c of unit.children(e)) {
      if (c.tag !== DW_TAG.member) continue;
      const loc = c.attrs.get(DW_AT.data_member_location);
      const offset = loc && loc.k !== 'exprloc' && loc.k !== 'block' ? num(loc) ?? 0 : 0;
      const bitSize = num(c.attrs.get(DW_AT.bit_size));
      const m: Member = { name: unit.str(c.attrs.get(DW_AT.name)), type: this.ref(c, created), offset };
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
  return declare(t, '', 0);
}

function declare(t: TypeNode, inner: string, depth: number): string {
  if (depth > MAX_DECLARATOR_DEPTH) {
    throw new DwarfError(`type name nests deeper than ${MAX_DECLARATOR_DEPTH} declarators (a cycle?)`, '.debug_info', origin.get(t) ?? 0);
  }
  const d = depth + 1;
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
      return declare(t.target, wrap ? `(${next})` : next, d);
    }
    case 'const': case 'volatile': case 'restrict': case 'atomic': {
      const q = t.kind === 'atomic' ? '_Atomic' : t.kind;
      // A qualified pointer reads "char *const": the qualifier joins the declarator.
      if (t.target.kind === 'pointer' || t.target.kind === 'reference') return declare(t.target, inner === '' ? q : `${q} ${inner}`, d);
      return `${q} ${declare(t.target, inner, d)}`;
    }
    case 'array': return declare(t.element, inner + t.dims.map((n) => `[${n ?? ''}]`).join(''), d);
    case 'function': {
      const params = t.params.map((p) => declare(p, '', d));
      if (t.variadic) params.push('...');
      return declare(t.returns, `${inner}(${params.join(', ')})`, d);
    }
  }
}

/** A multi-line rendering of a type and its members, expanding aggregates up to `depth` levels. */
export function formatType(t: TypeNode, depth = 2, indent = ''): string {
  const head = typeName(t);
  let body = t;
  // Bounded: a self-referential typedef is a (hostile) cycle here.
  for (let hops = 0; hops <= MAX_DECLARATOR_DEPTH && (body.kind === 'typedef' || body.kind === 'const' || body.kind === 'volatile'); hops++) body = body.target;
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
