/**
 * `.debug_abbrev` (DWARF 5 §7.5.3): the table that says, per abbreviation
 * code, a DIE's tag, whether it has children, and its (attribute, form)
 * list. A table is parsed once per offset and shared by every unit using it.
 */

import { DW_FORM } from './constants.js';
import { Reader } from './reader.js';

export interface AttrSpec {
  readonly at: number;
  readonly form: number;
  /** The value of a DW_FORM_implicit_const attribute, stored in the abbreviation itself. */
  readonly implicit: number;
}

export interface Abbrev {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly specs: readonly AttrSpec[];
}

export type AbbrevTable = ReadonlyMap<number, Abbrev>;

export function parseAbbrevTable(section: Uint8Array, offset: number): AbbrevTable {
  const r = new Reader(section, '.debug_abbrev').at(offset);
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = r.uleb();
    if (code === 0) return table;
    const tag = r.uleb();
    if (tag === 0) r.fail(`abbreviation ${code} has tag 0`);
    const hasChildren = r.u8() !== 0;
    const specs: AttrSpec[] = [];
    for (;;) {
      const at = r.uleb();
      const form = r.uleb();
      if (at === 0 && form === 0) break;
      const implicit = form === DW_FORM.implicit_const ? r.sleb() : 0;
      specs.push({ at, form, implicit });
    }
    if (table.has(code)) r.fail(`duplicate abbreviation code ${code}`);
    table.set(code, { code, tag, hasChildren, specs });
  }
}
