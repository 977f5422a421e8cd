/**
 * Address ranges and location lists of a DIE: DW_AT_low_pc/high_pc,
 * `.debug_ranges` (v4, §2.17.3), `.debug_rnglists` (v5, §2.17.3, §7.25),
 * `.debug_loc` (v4) and `.debug_loclists` (v5, §2.6.2, §7.29).
 *
 * Invariant: what leaves this file is live code only. An entry whose start
 * is a linker tombstone (≥ 0xfffffffe, or computed from a tombstoned base)
 * or 0 (dead code under older linkers; no wasm function starts at the
 * function-count byte) is dropped, never reported as code at address 0.
 */

import { DW_AT, DW_LLE, DW_RLE, isTombstone } from './constants.js';
import { DwarfError, Reader } from './reader.js';
import type { AttrValue, Entry, Unit } from './unit.js';

/** A half-open code-offset range `[begin, end)`. */
export interface Range {
  readonly begin: number;
  readonly end: number;
}

export interface LocationListEntry extends Range {
  readonly expr: Uint8Array;
}

const dead = (begin: number) => begin === 0 || isTombstone(begin);

/** The code ranges an entry covers (empty if it has none or all are dead). */
export function entryRanges(unit: Unit, e: Entry): Range[] {
  const low = e.attrs.get(DW_AT.low_pc);
  const high = e.attrs.get(DW_AT.high_pc);
  if (low && high) {
    const lo = unit.address(low);
    if (lo === undefined || dead(lo)) return [];
    const hi = high.k === 'addr' || high.k === 'addrx' ? unit.address(high)! : lo + numeric(high);
    return [{ begin: lo, end: hi }];
  }
  const ranges = e.attrs.get(DW_AT.ranges);
  if (!ranges) return [];
  if (unit.version < 5) return debugRanges(unit, numeric(ranges));
  return rnglist(unit, unit.listOffset(ranges, '.debug_rnglists'));
}

function numeric(v: AttrValue): number {
  return v.k === 'udata' || v.k === 'sdata' || v.k === 'sec' ? v.v : 0;
}

/** DWARF 4 `.debug_ranges`: (begin, end) pairs; begin = max address selects a new base. */
function debugRanges(unit: Unit, offset: number): Range[] {
  const sec = unit.sections['.debug_ranges'];
  if (!sec) throw new DwarfError('DW_AT_ranges without .debug_ranges', '.debug_info', unit.header.offset);
  const r = new Reader(sec, '.debug_ranges').at(offset);
  const size = unit.addressSize, max = size === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  let base = unit.baseAddress;
  const out: Range[] = [];
  for (;;) {
    const begin = r.uN(size), end = r.uN(size);
    if (begin === 0 && end === 0) return out;
    if (begin >= max) { base = end; continue; }
    if (!dead(base + begin) && !isTombstone(base)) out.push({ begin: base + begin, end: base + end });
  }
}

/** DWARF 5 `.debug_rnglists` entries (§2.17.3). */
function rnglist(unit: Unit, offset: number): Range[] {
  const sec = unit.sections['.debug_rnglists'];
  if (!sec) throw new DwarfError('DW_AT_ranges without .debug_rnglists', '.debug_info', unit.header.offset);
  const r = new Reader(sec, '.debug_rnglists').at(offset);
  const size = unit.addressSize;
  let base = unit.baseAddress;
  const out: Range[] = [];
  const add = (begin: number, end: number) => { if (!dead(begin)) out.push({ begin, end }); };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case DW_RLE.end_of_list: return out;
      case DW_RLE.base_addressx: base = unit.addrx(r.uleb()); break;
      case DW_RLE.startx_endx: add(unit.addrx(r.uleb()), unit.addrx(r.uleb())); break;
      case DW_RLE.startx_length: { const b = unit.addrx(r.uleb()); add(b, b + r.uleb()); break; }
      case DW_RLE.offset_pair: { const b = r.uleb(), e = r.uleb(); add(base + b, base + e); break; }
      case DW_RLE.base_address: base = r.uN(size); break;
      case DW_RLE.start_end: add(r.uN(size), r.uN(size)); break;
      case DW_RLE.start_length: { const b = r.uN(size); add(b, b + r.uleb()); break; }
      default: r.fail(`unknown range list entry kind ${kind}`, r.pos - 1);
    }
  }
}

export type Location =
  | { readonly kind: 'expr'; readonly expr: Uint8Array }
  | {
    readonly kind: 'list'; readonly offset: number; readonly entries: readonly LocationListEntry[];
    /** DW_LLE_default_location (DWARF 5): the expression wherever no entry applies. */
    readonly defaultExpr?: Uint8Array;
  };

/** The location of a variable or the frame base: a single expression, or a list (dead entries dropped). */
export function entryLocation(unit: Unit, e: Entry, at: number = DW_AT.location): Location | undefined {
  const v = e.attrs.get(at);
  if (!v) return undefined;
  if (v.k === 'exprloc' || v.k === 'block') return { kind: 'expr', expr: v.v };
  if (unit.version < 5) {
    const offset = numeric(v);
    return { kind: 'list', offset, entries: debugLoc(unit, offset) };
  }
  const offset = unit.listOffset(v, '.debug_loclists');
  const { entries, defaultExpr } = loclist(unit, offset);
  return defaultExpr ? { kind: 'list', offset, entries, defaultExpr } : { kind: 'list', offset, entries };
}

/** DWARF 4 `.debug_loc`: (begin, end, u16 length, expression) entries. */
function debugLoc(unit: Unit, offset: number): LocationListEntry[] {
  const sec = unit.sections['.debug_loc'];
  if (!sec) throw new DwarfError('location list without .debug_loc', '.debug_info', unit.header.offset);
  const r = new Reader(sec, '.debug_loc').at(offset);
  const size = unit.addressSize, max = size === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  let base = unit.baseAddress;
  const out: LocationListEntry[] = [];
  for (;;) {
    const begin = r.uN(size), end = r.uN(size);
    if (begin === 0 && end === 0) return out;
    if (begin >= max) { base = end; continue; }
    const expr = r.bytesView(r.u16());
    if (!dead(base + begin) && !isTombstone(base)) out.push({ begin: base + begin, end: base + end, expr });
  }
}

/** DWARF 5 `.debug_loclists` entries (§2.6.2), and the default location if the list has one. */
function loclist(unit: Unit, offset: number): { entries: LocationListEntry[]; defaultExpr?: Uint8Array } {
  const sec = unit.sections['.debug_loclists'];
  if (!sec) throw new DwarfError('location list without .debug_loclists', '.debug_info', unit.header.offset);
  const r = new Reader(sec, '.debug_loclists').at(offset);
  const size = unit.addressSize;
  let base = unit.baseAddress;
  const out: LocationListEntry[] = [];
  let defaultExpr: Uint8Array | undefined;
  const add = (begin: number, end: number) => {
    const expr = r.bytesView(r.uleb());
    if (!dead(begin)) out.push({ begin, end, expr });
  };
  for (;;) {
    const kind = r.u8();
    switch (kind) {
      case DW_LLE.end_of_list: return defaultExpr ? { entries: out, defaultExpr } : { entries: out };
      case DW_LLE.base_addressx: base = unit.addrx(r.uleb()); break;
      case DW_LLE.startx_endx: add(unit.addrx(r.uleb()), unit.addrx(r.uleb())); break;
      case DW_LLE.startx_length: { const b = unit.addrx(r.uleb()); add(b, b + r.uleb()); break; }
      case DW_LLE.offset_pair: { const b = r.uleb(), e = r.uleb(); add(base + b, base + e); break; }
      case DW_LLE.default_location: defaultExpr = r.bytesView(r.uleb()); break; // clang 14 never emits it
      case DW_LLE.base_address: base = r.uN(size); break;
      case DW_LLE.start_end: add(r.uN(size), r.uN(size)); break;
      case DW_LLE.start_length: { const b = r.uN(size); add(b, b + r.uleb()); break; }
      default: r.fail(`unknown location list entry kind ${kind}`, r.pos - 1);
    }
  }
}
