/**
 * Test helper: hand-assembled DWARF sections for hostile inputs that no
 * compiler writes (100k-deep type chains, cycles, lists that never end).
 * One DWARF 4 or 5 compile unit (32-bit format, 4-byte addresses) with
 * abbreviation table offset 0; DIEs are written in order and may refer to
 * each other by unit-relative offsets that the builder hands out.
 */

import { DW_AT, DW_FORM, DW_TAG } from '../../../debug/dwarf/constants.js';

export { DW_AT, DW_FORM, DW_TAG };

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
};
export const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
export const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
export const cstr = (s: string) => [...new TextEncoder().encode(s), 0];

export interface AbbrevSpec {
  readonly tag: number;
  readonly children: boolean;
  readonly attrs: readonly (readonly [at: number, form: number])[];
}

export class UnitBuilder {
  private readonly abbrevs: AbbrevSpec[] = [];
  private readonly body: number[] = [];

  constructor(readonly version: 4 | 5 = 4) {}

  /** Size of the unit header: DIE offsets below are unit-relative and start after it. */
  get headerSize(): number { return this.version >= 5 ? 12 : 11; }

  /** Unit-relative offset of the next DIE (what DW_FORM_ref4 values hold). */
  get here(): number { return this.headerSize + this.body.length; }

  abbrev(spec: AbbrevSpec): number {
    this.abbrevs.push(spec);
    return this.abbrevs.length;
  }

  /** Appends one DIE (abbreviation `code`, then its already-encoded attribute bytes); returns its offset. */
  die(code: number, ...attrBytes: number[][]): number {
    const at = this.here;
    this.body.push(...uleb(code));
    for (const b of attrBytes) for (const x of b) this.body.push(x);
    return at;
  }

  /** Raw bytes (a null entry is `end()`). */
  raw(bytes: readonly number[]): void {
    for (const b of bytes) this.body.push(b);
  }

  end(): void { this.body.push(0); }

  abbrevSection(terminate = true): Uint8Array {
    const out: number[] = [];
    this.abbrevs.forEach((a, i) => {
      out.push(...uleb(i + 1), ...uleb(a.tag), a.children ? 1 : 0);
      for (const [at, form] of a.attrs) out.push(...uleb(at), ...uleb(form));
      out.push(0, 0);
    });
    if (terminate) out.push(0);
    return Uint8Array.from(out);
  }

  infoSection(): Uint8Array {
    const header = this.version >= 5
      ? [...u16(5), 0x01, 4, ...u32(0)] // version, DW_UT_compile, address_size, abbrev_offset
      : [...u16(4), ...u32(0), 4]; // version, abbrev_offset, address_size
    const unit = [...header, ...this.body];
    const bytes = new Uint8Array(4 + unit.length);
    bytes.set(u32(unit.length), 0);
    bytes.set(unit, 4);
    return bytes;
  }
}
