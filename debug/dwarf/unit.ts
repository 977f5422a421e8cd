/**
 * `.debug_info` units and their DIEs (DWARF 5 §7.5): unit headers, a
 * depth-first cursor over entries, attribute values decoded per form.
 *
 * Invariant: nothing is decoded before it is asked for. A `Unit` reads its
 * header eagerly (a few bytes) and its abbreviations and root DIE on first
 * use; DIEs are decoded one at a time by offset. Every DIE offset handed out
 * is a `.debug_info` section offset (`DebugInfoOffset`), never unit-relative.
 */

import { parseAbbrevTable, type Abbrev, type AbbrevTable } from './abbrev.js';
import { DW_AT, DW_FORM, DW_UT, formName } from './constants.js';
import { DwarfError, Reader, stringAt } from './reader.js';
import type { DwarfSections } from './sections.js';

/** An offset into `.debug_info` (gimli `DebugInfoOffset`). */
export type DebugInfoOffset = number & { readonly __brand: 'DebugInfoOffset' };

export type AttrValue =
  | { readonly k: 'udata'; readonly v: number }
  | { readonly k: 'sdata'; readonly v: number }
  | { readonly k: 'addr'; readonly v: number }
  | { readonly k: 'addrx'; readonly v: number }
  | { readonly k: 'strp'; readonly v: number; readonly sec: string }
  | { readonly k: 'strx'; readonly v: number }
  | { readonly k: 'string'; readonly v: string }
  | { readonly k: 'ref'; readonly v: DebugInfoOffset }
  | { readonly k: 'sec'; readonly v: number }
  | { readonly k: 'block'; readonly v: Uint8Array }
  | { readonly k: 'exprloc'; readonly v: Uint8Array }
  | { readonly k: 'flag'; readonly v: boolean }
  | { readonly k: 'loclistx'; readonly v: number }
  | { readonly k: 'rnglistx'; readonly v: number }
  | { readonly k: 'other'; readonly v: number };

export interface Entry {
  readonly offset: DebugInfoOffset;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly attrs: ReadonlyMap<number, AttrValue>;
  /** Offset of the next DIE in the section (a child, a sibling, or a null entry). */
  readonly next: number;
}

export interface UnitHeader {
  readonly offset: DebugInfoOffset;
  readonly version: number;
  readonly unitType: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
  readonly abbrevOffset: number;
  /** Offset of the unit's first DIE. */
  readonly dieStart: number;
  /** Offset just past the unit. */
  readonly end: number;
}

/** Reads the unit header at `offset` (§7.5.1.1, versions 2–5). */
export function parseUnitHeader(info: Uint8Array, offset: number): UnitHeader {
  const r = new Reader(info, '.debug_info').at(offset);
  const { length, offsetSize } = r.initialLength();
  const end = r.pos + length;
  if (end > info.length) r.fail(`unit length 0x${length.toString(16)} runs past the section end`, offset);
  const version = r.u16();
  if (version < 2 || version > 5) r.fail(`unsupported DWARF version ${version}`, offset);
  let unitType: number = DW_UT.compile, addressSize: number, abbrevOffset: number;
  if (version >= 5) {
    unitType = r.u8();
    addressSize = r.u8();
    abbrevOffset = r.offset(offsetSize);
    if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) r.u64();
    else if (unitType === DW_UT.type || unitType === DW_UT.split_type) { r.u64(); r.offset(offsetSize); }
  } else {
    abbrevOffset = r.offset(offsetSize);
    addressSize = r.u8();
  }
  if (addressSize !== 4 && addressSize !== 8) r.fail(`unsupported address size ${addressSize}`, offset);
  if (r.pos > end) r.fail('unit header longer than the unit', offset);
  return { offset: offset as DebugInfoOffset, version, unitType, offsetSize, addressSize, abbrevOffset, dieStart: r.pos, end };
}

export class Unit {
  private abbrevs: AbbrevTable | undefined;
  private rootEntry: Entry | undefined;

  constructor(readonly header: UnitHeader, readonly sections: DwarfSections) {}

  get version(): number { return this.header.version; }
  get addressSize(): number { return this.header.addressSize; }

  /** The unit's root DIE (DW_TAG_compile_unit or similar). */
  get root(): Entry {
    return (this.rootEntry ??= this.entry(this.header.dieStart));
  }

  contains(offset: number): boolean {
    return offset >= this.header.dieStart && offset < this.header.end;
  }

  private abbrevTable(): AbbrevTable {
    const sec = this.sections['.debug_abbrev'];
    if (!sec) throw new DwarfError('no .debug_abbrev section', '.debug_abbrev', 0);
    return (this.abbrevs ??= parseAbbrevTable(sec, this.header.abbrevOffset));
  }

  /** The DIE at a section offset, or null for a null entry (end of siblings). */
  entryOrNull(offset: number): Entry | null {
    const r = new Reader(this.sections['.debug_info']!, '.debug_info', offset, this.header.end);
    if (!this.contains(offset)) r.fail(`DIE offset outside its unit at 0x${this.header.offset.toString(16)}`);
    const code = r.uleb();
    if (code === 0) return null;
    const abbrev = this.abbrevTable().get(code) ?? r.fail(`unknown abbreviation code ${code}`, offset);
    const attrs = this.readAttrs(r, abbrev);
    return { offset: offset as DebugInfoOffset, tag: abbrev.tag, hasChildren: abbrev.hasChildren, attrs, next: r.pos };
  }

  entry(offset: number): Entry {
    const e = this.entryOrNull(offset);
    if (!e) throw new DwarfError('expected a DIE, found a null entry', '.debug_info', offset);
    return e;
  }

  /** Offset of the first byte after `e` and all its descendants (iterative: no recursion on hostile nesting). */
  skip(e: Entry): number {
    if (!e.hasChildren) return e.next;
    const sib = e.attrs.get(DW_AT.sibling);
    if (sib?.k === 'ref' && sib.v > e.offset && sib.v <= this.header.end) return sib.v;
    let pos = e.next, depth = 1;
    while (depth > 0) {
      const child = this.entryOrNull(pos);
      if (!child) { pos += 1; depth--; continue; } // a null entry is the single byte 0
      pos = child.next;
      if (child.hasChildren) depth++;
    }
    return pos;
  }

  /** Children of `e`, in order (each decoded on demand). */
  *children(e: Entry): Generator<Entry> {
    if (!e.hasChildren) return;
    let pos = e.next;
    while (pos < this.header.end) {
      const child = this.entryOrNull(pos);
      if (!child) return;
      yield child;
      pos = this.skip(child);
    }
  }

  private readAttrs(r: Reader, abbrev: Abbrev): Map<number, AttrValue> {
    const attrs = new Map<number, AttrValue>();
    for (const spec of abbrev.specs) {
      attrs.set(spec.at, this.readValue(r, spec.form, spec.implicit));
    }
    return attrs;
  }

  /** Decodes one attribute value (§7.5.6). */
  private readValue(r: Reader, form: number, implicit: number): AttrValue {
    const h = this.header;
    switch (form) {
      case DW_FORM.addr: return { k: 'addr', v: r.uN(h.addressSize) };
      case DW_FORM.data1: return { k: 'udata', v: r.u8() };
      case DW_FORM.data2: return { k: 'udata', v: r.u16() };
      case DW_FORM.data4: return { k: 'udata', v: r.u32() };
      case DW_FORM.data8: return { k: 'udata', v: r.u64() };
      case DW_FORM.data16: return { k: 'block', v: r.bytesView(16) };
      case DW_FORM.udata: return { k: 'udata', v: r.uleb() };
      case DW_FORM.sdata: return { k: 'sdata', v: r.sleb() };
      case DW_FORM.implicit_const: return { k: 'sdata', v: implicit };
      case DW_FORM.flag: return { k: 'flag', v: r.u8() !== 0 };
      case DW_FORM.flag_present: return { k: 'flag', v: true };
      case DW_FORM.string: return { k: 'string', v: r.cstr() };
      case DW_FORM.strp: return { k: 'strp', v: r.offset(h.offsetSize), sec: '.debug_str' };
      case DW_FORM.line_strp: return { k: 'strp', v: r.offset(h.offsetSize), sec: '.debug_line_str' };
      case DW_FORM.strx: case DW_FORM.GNU_str_index: return { k: 'strx', v: r.uleb() };
      case DW_FORM.strx1: return { k: 'strx', v: r.u8() };
      case DW_FORM.strx2: return { k: 'strx', v: r.u16() };
      case DW_FORM.strx3: return { k: 'strx', v: r.u24() };
      case DW_FORM.strx4: return { k: 'strx', v: r.u32() };
      case DW_FORM.addrx: case DW_FORM.GNU_addr_index: return { k: 'addrx', v: r.uleb() };
      case DW_FORM.addrx1: return { k: 'addrx', v: r.u8() };
      case DW_FORM.addrx2: return { k: 'addrx', v: r.u16() };
      case DW_FORM.addrx3: return { k: 'addrx', v: r.u24() };
      case DW_FORM.addrx4: return { k: 'addrx', v: r.u32() };
      case DW_FORM.ref1: return this.ref(r.u8());
      case DW_FORM.ref2: return this.ref(r.u16());
      case DW_FORM.ref4: return this.ref(r.u32());
      case DW_FORM.ref8: return this.ref(r.u64());
      case DW_FORM.ref_udata: return this.ref(r.uleb());
      case DW_FORM.ref_addr:
        return { k: 'ref', v: r.offset(h.version <= 2 ? (h.addressSize as 4 | 8) : h.offsetSize) as DebugInfoOffset };
      case DW_FORM.ref_sig8: return { k: 'other', v: r.u64() };
      case DW_FORM.ref_sup4: return { k: 'other', v: r.u32() };
      case DW_FORM.ref_sup8: return { k: 'other', v: r.u64() };
      case DW_FORM.strp_sup: return { k: 'other', v: r.offset(h.offsetSize) };
      case DW_FORM.sec_offset: return { k: 'sec', v: r.offset(h.offsetSize) };
      case DW_FORM.exprloc: return { k: 'exprloc', v: r.bytesView(r.uleb()) };
      case DW_FORM.block1: return { k: 'block', v: r.bytesView(r.u8()) };
      case DW_FORM.block2: return { k: 'block', v: r.bytesView(r.u16()) };
      case DW_FORM.block4: return { k: 'block', v: r.bytesView(r.u32()) };
      case DW_FORM.block: return { k: 'block', v: r.bytesView(r.uleb()) };
      case DW_FORM.loclistx: return { k: 'loclistx', v: r.uleb() };
      case DW_FORM.rnglistx: return { k: 'rnglistx', v: r.uleb() };
      case DW_FORM.indirect: {
        const f = r.uleb();
        if (f === DW_FORM.indirect) r.fail('DW_FORM_indirect names itself');
        return this.readValue(r, f, f === DW_FORM.implicit_const ? r.sleb() : implicit);
      }
      default: return r.fail(`unknown attribute form ${formName(form)}`);
    }
  }

  private ref(unitRelative: number): AttrValue {
    return { k: 'ref', v: (this.header.offset + unitRelative) as DebugInfoOffset };
  }

  // ---- resolving indexed values (DWARF 5 §7.26–7.28) ----

  private baseOf(at: number, headerSize: number): number {
    const v = this.root.attrs.get(at);
    return v?.k === 'sec' || v?.k === 'udata' ? v.v : headerSize;
  }

  /** The string an attribute holds (strp, line_strp, strx, inline string), or undefined. */
  str(v: AttrValue | undefined): string | undefined {
    if (!v) return undefined;
    if (v.k === 'string') return v.v;
    if (v.k === 'strp') return stringAt(this.sections[v.sec], v.sec, v.v);
    if (v.k === 'strx') {
      const size = this.header.offsetSize;
      const base = this.baseOf(DW_AT.str_offsets_base, size === 4 ? 8 : 16);
      const sec = this.sections['.debug_str_offsets'];
      if (!sec) throw new DwarfError('DW_FORM_strx without .debug_str_offsets', '.debug_info', this.header.offset);
      const r = new Reader(sec, '.debug_str_offsets').at(base + v.v * size);
      return stringAt(this.sections['.debug_str'], '.debug_str', r.offset(size));
    }
    return undefined;
  }

  /** Entry `index` of this unit's `.debug_addr` contribution. */
  addrx(index: number): number {
    const sec = this.sections['.debug_addr'];
    if (!sec) throw new DwarfError('DW_FORM_addrx without .debug_addr', '.debug_info', this.header.offset);
    const base = this.baseOf(DW_AT.addr_base, 8);
    return new Reader(sec, '.debug_addr').at(base + index * this.addressSize).uN(this.addressSize);
  }

  /** An address attribute's value (addr or addrx), or undefined. */
  address(v: AttrValue | undefined): number | undefined {
    if (v?.k === 'addr') return v.v;
    if (v?.k === 'addrx') return this.addrx(v.v);
    return undefined;
  }

  /** The offset in `section` of list `index` of a DW_FORM_rnglistx/loclistx value (§7.28, §7.29). */
  listOffset(v: AttrValue, section: '.debug_rnglists' | '.debug_loclists'): number {
    const at = section === '.debug_rnglists' ? DW_AT.rnglists_base : DW_AT.loclists_base;
    const size = this.header.offsetSize;
    const base = this.baseOf(at, size === 4 ? 12 : 20);
    if (v.k === 'sec' || v.k === 'udata') return v.v;
    if (v.k !== 'loclistx' && v.k !== 'rnglistx') throw new DwarfError('list attribute of an unexpected form', '.debug_info', this.header.offset);
    const sec = this.sections[section];
    if (!sec) throw new DwarfError(`indexed list without ${section}`, '.debug_info', this.header.offset);
    return base + new Reader(sec, section).at(base + v.v * size).offset(size);
  }

  /** The CU's base address for v4 range and location lists (DW_AT_low_pc, 0 if absent). */
  get baseAddress(): number {
    return this.address(this.root.attrs.get(DW_AT.low_pc)) ?? 0;
  }
}

/** Reads every unit header in `.debug_info`; a bad header ends the walk (the next unit's offset is unknown). */
export function unitHeaders(info: Uint8Array | undefined): { headers: UnitHeader[]; error: DwarfError | null } {
  const headers: UnitHeader[] = [];
  if (!info) return { headers, error: null };
  let offset = 0;
  while (offset < info.length) {
    try {
      const h = parseUnitHeader(info, offset);
      headers.push(h);
      offset = h.end;
    } catch (e) {
      if (e instanceof DwarfError) return { headers, error: e };
      throw e;
    }
  }
  return { headers, error: null };
}
