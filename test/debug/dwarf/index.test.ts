/**
 * The lookup indexes: at every code offset of every fixture, findLineInfo
 * and findFunction (binary searches over prebuilt arrays) give exactly what
 * a plain linear walk of the line rows and the scope tree gives; the
 * `.debug_aranges` hint is used when present and sound, and ignored (with
 * one recorded error) when not; DW_LLE_default_location applies where no
 * list entry does.
 */

import { describe, expect, it } from 'vitest';
import { Dwarf, debugInfoSource, formatExpression, locationAt } from '../../../debug/dwarf/index.js';
import type { Scope } from '../../../debug/dwarf/scopes.js';
import { FIXTURE_NAMES, loadFixture } from './normalize.js';
import { DW_AT, DW_FORM, DW_TAG, UnitBuilder, cstr, u32 } from './synth.js';
import { readSections } from './wasm-sections.js';

/** The row covering `pc` by a linear scan of every sequence. */
function linearLine(dwarf: Dwarf, pc: number) {
  for (const t of dwarf.lineTables()) {
    for (const s of t.sequences) {
      if (pc < s.start || pc >= s.end) continue;
      let found = -1;
      for (let i = s.firstRow; i < s.lastRow; i++) if (t.address[i]! <= pc) found = i;
      if (found >= 0) return { line: t.line[found]!, column: t.column[found]!, file: t.fileName(t.file[found]!) };
    }
  }
  return null;
}

const covers = (s: Scope, pc: number) => s.ranges.some((r) => pc >= r.begin && pc < r.end);

/** Function names from the outermost function inwards, by walking the scope trees from the top. */
function linearFunctions(dwarf: Dwarf, pc: number): (string | undefined)[] | null {
  for (const unit of dwarf.units()) {
    const scopes = dwarf.scopes(unit);
    const top = scopes?.root.children.find((s) => s.tag === DW_TAG.subprogram && covers(s, pc));
    if (!top) continue;
    const chain = [top];
    for (let cur = chain[0]!.children.find((c) => covers(c, pc)); cur; cur = cur.children.find((c) => covers(c, pc))) chain.push(cur);
    return chain.filter((s) => s.tag !== DW_TAG.lexical_block).map((s) => dwarf.functionInfo(s.offset).name);
  }
  return null;
}

describe.each(FIXTURE_NAMES)('the indexes of %s', (name) => {
  it('answer like a linear walk at every code offset', () => {
    const { dwarf } = loadFixture(name);
    const end = Math.max(...dwarf.lineTables().flatMap((t) => t.sequences.map((s) => s.end)));
    let lines = 0, functions = 0;
    for (let pc = 0; pc <= end + 1; pc++) {
      const line = dwarf.findLineInfo(pc);
      expect(line && { line: line.line, column: line.column, file: line.file }, `line at 0x${pc.toString(16)}`).toEqual(linearLine(dwarf, pc));
      const at = dwarf.findFunction(pc);
      const names = at && [at.function.name, ...at.inlined.map((f) => f.name)];
      expect(names, `function at 0x${pc.toString(16)}`).toEqual(linearFunctions(dwarf, pc));
      if (line) lines++;
      if (at) functions++;
    }
    expect(lines).toBeGreaterThan(end / 2);
    expect(functions).toBeGreaterThan(end / 2);
    expect(dwarf.errors).toEqual([]);
  });
});

describe('.debug_aranges', () => {
  it('is the unit index when present, and gives the same answers as the build without it', () => {
    const withAranges = loadFixture('shapes-O2-dwarf5-aranges').dwarf;
    const without = loadFixture('shapes-O2-dwarf5').dwarf;
    expect(withAranges.sections['.debug_aranges']).toBeDefined();
    expect([withAranges.unitIndexSource, without.unitIndexSource]).toEqual(['aranges', 'units']);
    for (let pc = 0; pc < 0x200; pc++) {
      const a = withAranges.findFunction(pc), b = without.findFunction(pc);
      expect(a && [a.function.name, ...a.inlined.map((f) => f.name)], `0x${pc.toString(16)}`).toEqual(b && [b.function.name, ...b.inlined.map((f) => f.name)]);
    }
  });

  it('falls back to the units’ own ranges when the aranges name no unit, recording one error', () => {
    const base = debugInfoSource(readSections(loadFixture('shapes-O2-dwarf5-aranges').bytes).customs).sections;
    const aranges = Uint8Array.from(base['.debug_aranges']!);
    aranges.set(u32(0x7777), 6); // debug_info_offset of the first set
    const dwarf = Dwarf.load({ ...base, '.debug_aranges': aranges });
    expect(dwarf.unitIndexSource).toBe('units');
    expect(dwarf.errors.map((e) => e.message)).toEqual([expect.stringMatching(/names no unit \(unit offset 0x7777\).*\.debug_aranges/)]);
    const run = loadFixture('shapes-O2-dwarf5').dwarf.allFunctions().find((f) => f.name === 'run')!;
    expect(dwarf.findFunction(run.ranges[0]!.begin)?.function.name).toBe('run');
  });
});

describe('DW_LLE_default_location', () => {
  it('applies wherever no entry of the list does', () => {
    const u = new UnitBuilder(5);
    const cu = u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] });
    const fn = u.abbrev({ tag: DW_TAG.subprogram, children: true, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.low_pc, DW_FORM.addr], [DW_AT.high_pc, DW_FORM.data4]] });
    const v = u.abbrev({ tag: DW_TAG.variable, children: false, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.location, DW_FORM.sec_offset]] });
    u.die(cu);
    u.die(fn, cstr('f'), u32(0x10), u32(0x30));
    u.die(v, cstr('x'), u32(0));
    u.end();
    u.end();
    // offset_pair [0x10, 0x14): lit1; default_location: lit7; end_of_list
    const loclists = Uint8Array.from([4, 0x10, 0x14, 1, 0x31, 5, 1, 0x37, 0]);
    const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection(), '.debug_loclists': loclists });
    const [x] = dwarf.variablesAt(0x11);
    expect(x?.location).toMatchObject({ kind: 'list', entries: [{ begin: 0x10, end: 0x14 }] });
    expect(formatExpression(locationAt(x!.location, 0x11)!)).toBe('DW_OP_lit1');
    expect(formatExpression(locationAt(x!.location, 0x20)!)).toBe('DW_OP_lit7');
    expect(dwarf.errors).toEqual([]);
  });
});
