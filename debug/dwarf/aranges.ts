/**
 * `.debug_aranges` (DWARF 5 §6.1.2): per compile unit, the address ranges
 * its code occupies. clang writes it only with `-gdwarf-aranges`; when
 * present it is the unit-level lookup hint (no root DIE or range list has
 * to be read to know which unit holds an offset).
 *
 * Invariant: only live ranges leave this file (a tombstoned or 0 start and
 * empty ranges are dropped, as in ranges.ts); a malformed set raises
 * DwarfError and the caller falls back to the units' own ranges.
 */

import { isTombstone } from './constants.js';
import { Reader } from './reader.js';

export interface UnitAddressRange {
  /** `.debug_info` offset of the unit's header. */
  readonly unitOffset: number;
  readonly begin: number;
  readonly end: number;
}

export function parseAranges(section: Uint8Array): UnitAddressRange[] {
  const out: UnitAddressRange[] = [];
  let offset = 0;
  while (offset < section.length) {
    const r = new Reader(section, '.debug_aranges').at(offset);
    const { length, offsetSize } = r.initialLength();
    const end = r.pos + length;
    if (end > section.length) r.fail(`address range set runs past the section end`, offset);
    const set = r.at(r.pos, end);
    const version = set.u16();
    if (version !== 2) set.fail(`unsupported .debug_aranges version ${version}`, offset);
    const unitOffset = set.offset(offsetSize);
    const addressSize = set.u8();
    const segmentSize = set.u8();
    if (addressSize !== 4 && addressSize !== 8) set.fail(`unsupported address size ${addressSize}`, offset);
    if (segmentSize !== 0) set.fail(`segmented addresses are not supported`, offset);
    // Tuples start at a multiple of twice the address size from the set's start.
    const tuple = 2 * addressSize;
    set.pos = offset + Math.ceil((set.pos - offset) / tuple) * tuple;
    while (set.remaining >= tuple) {
      const begin = set.uN(addressSize), len = set.uN(addressSize);
      if (begin === 0 && len === 0) break;
      if (len > 0 && begin !== 0 && !isTombstone(begin)) out.push({ unitOffset, begin, end: begin + len });
    }
    offset = end; // always > offset: the initial length itself is 4 or 12 bytes
  }
  return out;
}
