/**
 * Targeted hostile inputs no compiler writes: a 100k-deep pointer chain,
 * self-referential types, DIE nesting 100k deep, location and range lists
 * that never end, abbreviation tables that never end, sibling links that
 * point backwards, an abstract_origin cycle. Each must end quickly with a
 * DwarfError or a valid partial answer, called directly (not only through
 * the guarded bulk queries).
 */

import { describe, expect, it } from 'vitest';
import { Dwarf, DwarfError, formatType, typeName, type DebugInfoOffset } from '../../../debug/dwarf/index.js';
import { DW_AT, DW_FORM, DW_TAG, UnitBuilder, cstr, u32, uleb } from './synth.js';

/** Runs `f`, returning its value or the error it threw, and how long it took. */
function timed<T>(f: () => T): { value?: T; error?: unknown; ms: number } {
  const t = performance.now();
  try {
    const value = f();
    return { value, ms: performance.now() - t };
  } catch (error) {
    return { error, ms: performance.now() - t };
  }
}

/** One unit at section offset 0: unit-relative offsets are section offsets. */
const off = (rel: number) => rel as DebugInfoOffset;

/** A unit: CU root, a variable `v` of type `first`, then whatever `types` writes. */
function withVariable(types: (u: UnitBuilder, codes: Record<string, number>) => void, version: 4 | 5 = 4) {
  const u = new UnitBuilder(version);
  const codes = {
    cu: u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] }),
    variable: u.abbrev({ tag: DW_TAG.variable, children: false, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.type, DW_FORM.ref4]] }),
    pointer: u.abbrev({ tag: DW_TAG.pointer_type, children: false, attrs: [[DW_AT.type, DW_FORM.ref4]] }),
    typedef: u.abbrev({ tag: DW_TAG.typedef, children: false, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.type, DW_FORM.ref4]] }),
    base: u.abbrev({ tag: DW_TAG.base_type, children: false, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.byte_size, DW_FORM.data1]] }),
  };
  u.die(codes.cu);
  const variable = u.die(codes.variable, cstr('v'), u32(u.here + 2 + 4 + 1));
  types(u, codes);
  u.end();
  const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection() });
  return { dwarf, variable: off(variable) };
}

describe('hostile type graphs', () => {
  it('resolves a 100k-deep pointer chain without recursion and refuses to name it with a DwarfError', () => {
    const { dwarf, variable } = withVariable((u, c) => {
      const n = 100_000;
      for (let i = 0; i < n; i++) u.die(c.pointer!, u32(u.here + 5));
      u.die(c.base!, cstr('int'), [4]);
    });
    const resolved = timed(() => dwarf.typeOf(variable));
    expect(resolved.error).toBeUndefined();
    let depth = 0;
    for (let t = resolved.value!; t.kind === 'pointer'; t = t.target) depth++;
    expect(depth).toBe(100_000);
    const named = timed(() => typeName(resolved.value!));
    expect(named.error).toBeInstanceOf(DwarfError);
    expect(String(named.error)).toMatch(/nests deeper than 1000 declarators .*\(in \.debug_info at offset 0x[0-9a-f]+\)/);
    const described = timed(() => dwarf.variable(variable, 0 as DebugInfoOffset));
    expect(described.error).toBeInstanceOf(DwarfError);
    // Through the guarded bulk query: no answer for that variable, one recorded error.
    expect(dwarf.globals()).toEqual([]);
    expect(dwarf.errors.some((e) => /nests deeper/.test(e.message))).toBe(true);
    expect(resolved.ms + named.ms + described.ms).toBeLessThan(5000);
  });

  it('names a self-referential typedef by its name and stops formatting it', () => {
    const { dwarf, variable } = withVariable((u, c) => { u.die(c.typedef!, cstr('loop_t'), u32(u.here)); });
    const t = dwarf.typeOf(variable);
    expect(t.kind === 'typedef' && t.target).toBe(t);
    expect(typeName(t)).toBe('loop_t');
    expect(formatType(t)).toBe('loop_t');
    expect(dwarf.globals().map((v) => [v.name, v.typeName])).toEqual([['v', 'loop_t']]);
  });

  it('gives a DwarfError for a pointer to itself, called directly or through variable()', () => {
    const { dwarf, variable } = withVariable((u, c) => { u.die(c.pointer!, u32(u.here)); });
    const t = dwarf.typeOf(variable);
    expect(t.kind === 'pointer' && t.target).toBe(t);
    expect(() => typeName(t)).toThrow(DwarfError);
    expect(() => dwarf.variable(variable, 0 as DebugInfoOffset)).toThrow(DwarfError);
  });

  it('forgets a failed resolution: a type reference outside the unit fails every time, not just once', () => {
    const { dwarf, variable } = withVariable((u, c) => { u.die(c.pointer!, u32(u.here + 5)); u.die(c.pointer!, u32(0x7fff_0000)); });
    expect(() => dwarf.typeOf(variable)).toThrow(DwarfError);
    expect(() => dwarf.typeOf(variable)).toThrow(DwarfError);
  });
});

describe('hostile DIE trees and abbreviations', () => {
  it('walks 100k nested DIEs without overflowing the stack', () => {
    const u = new UnitBuilder();
    const cu = u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] });
    const fn = u.abbrev({ tag: DW_TAG.subprogram, children: true, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.low_pc, DW_FORM.addr], [DW_AT.high_pc, DW_FORM.data4]] });
    const block = u.abbrev({ tag: DW_TAG.lexical_block, children: true, attrs: [] });
    u.die(cu);
    u.die(fn, cstr('deep'), u32(0x10), u32(0x20));
    const n = 100_000;
    for (let i = 0; i < n; i++) u.die(block);
    for (let i = 0; i < n + 2; i++) u.end();
    const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection() });
    const r = timed(() => [dwarf.findFunction(0x18)?.function.name, dwarf.allFunctions().length, dwarf.variablesAt(0x18)]);
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual(['deep', 1, []]);
    expect(dwarf.errors).toEqual([]);
  });

  it('reports an abbreviation table that never ends (no terminating code 0)', () => {
    const u = new UnitBuilder();
    const cu = u.abbrev({ tag: DW_TAG.compile_unit, children: false, attrs: [] });
    u.die(cu);
    const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection(false) });
    expect(dwarf.allFunctions()).toEqual([]);
    expect(dwarf.errors.map((e) => e.message)).toEqual([expect.stringMatching(/truncated LEB128 \(in \.debug_abbrev/)]);
  });

  it('reports a DIE using an abbreviation code its table does not define', () => {
    const u = new UnitBuilder();
    u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] });
    u.die(1);
    u.raw(uleb(1)); // code 1 again: a compile_unit inside a compile_unit, harmless
    u.raw(uleb(9)); // undefined
    const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection() });
    expect(dwarf.allFunctions()).toEqual([]);
    expect(dwarf.errors[0]?.message).toMatch(/unknown abbreviation code 9/);
  });

  it('ignores a DW_AT_sibling that points backwards and still terminates', () => {
    const u = new UnitBuilder();
    const cu = u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] });
    const st = u.abbrev({ tag: DW_TAG.structure_type, children: true, attrs: [[DW_AT.sibling, DW_FORM.ref4]] });
    const member = u.abbrev({ tag: DW_TAG.member, children: false, attrs: [[DW_AT.name, DW_FORM.string]] });
    u.die(cu);
    const self = u.here;
    u.die(st, u32(self)); // sibling = itself
    u.die(member, cstr('m'));
    u.end();
    u.end();
    const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection() });
    const unit = dwarf.units()[0]!;
    expect([...unit.children(unit.root)].map((e) => e.offset)).toEqual([self]);
  });

  it('stops following an abstract_origin cycle', () => {
    const u = new UnitBuilder();
    const cu = u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] });
    const fn = u.abbrev({ tag: DW_TAG.subprogram, children: false, attrs: [[DW_AT.abstract_origin, DW_FORM.ref4], [DW_AT.low_pc, DW_FORM.addr], [DW_AT.high_pc, DW_FORM.data4]] });
    u.die(cu);
    u.die(fn, u32(u.here), u32(0x10), u32(4));
    u.end();
    const dwarf = Dwarf.load({ '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection() });
    expect(dwarf.findFunction(0x11)?.function).toMatchObject({ name: undefined, ranges: [{ begin: 0x10, end: 0x14 }] });
  });
});

describe('hostile lists', () => {
  /** A function [0x10, 0x40) holding `x`, located by list at offset 0 of `section`. */
  function listUnit(version: 4 | 5, section: '.debug_loc' | '.debug_loclists' | '.debug_ranges' | '.debug_rnglists', bytes: Uint8Array) {
    const u = new UnitBuilder(version);
    const isLoc = section.includes('loc');
    const cu = u.abbrev({ tag: DW_TAG.compile_unit, children: true, attrs: [] });
    const fn = u.abbrev({ tag: DW_TAG.subprogram, children: true, attrs: isLoc
      ? [[DW_AT.name, DW_FORM.string], [DW_AT.low_pc, DW_FORM.addr], [DW_AT.high_pc, DW_FORM.data4]]
      : [[DW_AT.name, DW_FORM.string], [DW_AT.ranges, DW_FORM.sec_offset]] });
    const v = u.abbrev({ tag: DW_TAG.variable, children: false, attrs: [[DW_AT.name, DW_FORM.string], [DW_AT.location, DW_FORM.sec_offset]] });
    u.die(cu);
    if (isLoc) u.die(fn, cstr('f'), u32(0x10), u32(0x30));
    else u.die(fn, cstr('f'), u32(0));
    u.die(v, cstr('x'), u32(0));
    u.end();
    u.end();
    const sections = { '.debug_info': u.infoSection(), '.debug_abbrev': u.abbrevSection(), [section]: bytes } as Record<string, Uint8Array>;
    if (!isLoc) sections['.debug_loc'] = sections['.debug_loclists'] = new Uint8Array(0);
    return Dwarf.load(sections);
  }

  const endless = (entry: number[], count: number) => Uint8Array.from({ length: entry.length * count }, (_, i) => entry[i % entry.length]!);

  it.each([
    ['.debug_loc (v4): entries up to the section end', 4, '.debug_loc', endless([...u32(0x10), ...u32(0x12), 1, 0, 0x30], 50_000)],
    ['.debug_loclists (v5): offset pairs up to the section end', 5, '.debug_loclists', endless([4, 0x10, 0x12, 1, 0x30], 50_000)],
    ['.debug_loclists (v5): base addresses forever', 5, '.debug_loclists', endless([6, ...u32(0x10)], 50_000)],
  ] as const)('ends a location list that never ends (%s) with a DwarfError', (_what, version, section, bytes) => {
    const dwarf = listUnit(version, section, bytes);
    const r = timed(() => dwarf.variablesAt(0x11));
    expect(r.value).toEqual([]); // the variable is dropped, the lookup still answers
    expect(dwarf.errors.map((e) => e.message)).toEqual([expect.stringMatching(/unexpected end of data/)]);
    expect(dwarf.findFunction(0x11)?.function.name).toBe('f');
    expect(r.ms).toBeLessThan(2000);
  });

  it.each([
    ['.debug_ranges (v4)', 4, '.debug_ranges', endless([...u32(0x10), ...u32(0x12)], 50_000)],
    ['.debug_rnglists (v5)', 5, '.debug_rnglists', endless([4, 0x10, 0x12], 50_000)],
  ] as const)('ends a range list that never ends (%s) with a DwarfError', (_what, version, section, bytes) => {
    const dwarf = listUnit(version, section, bytes);
    const r = timed(() => dwarf.findFunction(0x11));
    expect(r.error).toBeUndefined();
    expect(dwarf.errors.length).toBeGreaterThan(0);
    expect(dwarf.errors[0]!.message).toMatch(/unexpected end of data/);
    expect(r.ms).toBeLessThan(2000);
  });
});
