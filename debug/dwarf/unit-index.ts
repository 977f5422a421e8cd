/**
 * The unit index: the first level of a function lookup, from code offset to
 * the units whose code may hold it. Built from `.debug_aranges` when the
 * section is present and sound (a hint: units it does not list fall back to
 * their own ranges), else from each unit's DW_AT_low_pc/high_pc/ranges (or
 * its functions' ranges when the unit has none).
 *
 * Invariant: ranges sorted by begin in typed arrays; a bad aranges set is
 * reported once (through `guard`) and then ignored whole, so a corrupt hint
 * can never hide a unit.
 */

import { parseAranges } from './aranges.js';
import { DwarfError } from './reader.js';
import type { Range } from './ranges.js';
import type { Unit } from './unit.js';

/**
 * How many earlier ranges a lookup may scan for one that still covers the
 * offset. The scan stops as soon as no earlier range reaches the offset
 * (prefix maximum of ends), so this only bounds hostile layouts; it matters
 * because `.debug_aranges` also lists data addresses, which interleave with
 * code offsets.
 */
export const UNIT_SCAN_LIMIT = 4096;

export class UnitIndex<S extends { readonly unit: Unit }> {
  constructor(
    readonly begins: Float64Array,
    readonly ends: Float64Array,
    readonly slots: readonly S[],
    /** Where the ranges came from. */
    readonly source: 'aranges' | 'units',
  ) {
    this.maxEnd = new Float64Array(ends.length);
    let m = -Infinity;
    ends.forEach((e, i) => { m = Math.max(m, e); this.maxEnd[i] = m; });
  }

  /** Per i, the largest end among ranges 0..i: no range at or before i covers pc ≥ maxEnd[i]. */
  readonly maxEnd: Float64Array;

  /** Index of the last range beginning at or before `pc` (-1 if none). */
  lastAtOrBefore(pc: number): number {
    const begins = this.begins;
    let lo = 0, hi = begins.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (begins[mid]! <= pc) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }
}

export function buildUnitIndex<S extends { readonly unit: Unit }>(
  slots: readonly S[],
  aranges: Uint8Array | undefined,
  ownRanges: (slot: S) => readonly Range[],
  guard: (f: () => null) => null,
): UnitIndex<S> {
  const items: { begin: number; end: number; slot: S }[] = [];
  const listed = new Set<S>();
  if (aranges) {
    const byOffset = new Map(slots.map((s) => [s.unit.header.offset as number, s]));
    guard(() => {
      const found = parseAranges(aranges).map((a) => ({ ...a, slot: byOffset.get(a.unitOffset) }));
      const stray = found.find((a) => !a.slot);
      if (stray) throw new DwarfError(`address range set names no unit (unit offset 0x${stray.unitOffset.toString(16)})`, '.debug_aranges', 0);
      for (const a of found) { items.push({ begin: a.begin, end: a.end, slot: a.slot! }); listed.add(a.slot!); }
      return null;
    });
  }
  for (const slot of slots) {
    if (listed.has(slot)) continue;
    guard(() => {
      for (const r of ownRanges(slot)) if (r.end > r.begin) items.push({ begin: r.begin, end: r.end, slot });
      return null;
    });
  }
  items.sort((a, b) => a.begin - b.begin);
  return new UnitIndex(
    Float64Array.from(items, (i) => i.begin), Float64Array.from(items, (i) => i.end),
    items.map((i) => i.slot), listed.size > 0 ? 'aranges' : 'units',
  );
}
