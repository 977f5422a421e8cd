/**
 * Bad or missing debug information: modules without DWARF or with a
 * separate debug file, a corrupt unit among good ones, and a deterministic
 * fuzz loop of truncated and bit-flipped sections. Only DwarfError may
 * escape, and every call terminates.
 */

import { describe, expect, it } from 'vitest';
import { Dwarf, DwarfError, debugInfoSource, formatLineTables, formatType, typeName, type DwarfSections } from '../../../debug/dwarf/index.js';
import { loadFixture } from './normalize.js';
import { readSections } from './wasm-sections.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('modules without embedded DWARF', () => {
  it('answers "nothing known" for a module with only a name section', () => {
    const source = debugInfoSource([{ name: 'name', data: Uint8Array.of(0, 1, 0) }]);
    expect(source.hasDwarf).toBe(false);
    const dwarf = Dwarf.load(source.sections);
    expect([dwarf.findLineInfo(5), dwarf.findFunction(5), dwarf.allFunctions(), dwarf.variablesAt(5), dwarf.errors])
      .toEqual([null, null, [], [], []]);
  });

  it('reports an external_debug_info URL and ignores embedded sections then', () => {
    const { customs } = readSections(loadFixture('shapes-O0-dwarf4').bytes);
    const source = debugInfoSource([...customs, { name: 'external_debug_info', data: text('shapes.debug.wasm') }]);
    expect(source).toMatchObject({ externalDebugInfo: 'shapes.debug.wasm', hasDwarf: false });
  });
});

/** Runs every lookup a user might make; returns the error if any was thrown. */
function exercise(sections: DwarfSections): unknown {
  const dwarf = Dwarf.load(sections);
  try {
    for (const pc of [3, 0x20, 0x80, 0x150, 0x300]) {
      dwarf.findLineInfo(pc);
      dwarf.findFunction(pc);
      dwarf.variablesAt(pc);
    }
    dwarf.buildIndex();
    formatLineTables(dwarf.lineTables());
    for (const f of dwarf.allFunctions()) dwarf.getParameters(f);
    for (const v of dwarf.allVariables()) {
      formatType(v.type());
      // Called directly, outside the guarded bulk queries: may throw DwarfError only.
      try { typeName(dwarf.typeOf(v.offset)); } catch (e) { if (!(e instanceof DwarfError)) throw e; }
    }
    for (const v of dwarf.globals()) formatType(v.type(), 4);
    return null;
  } catch (e) {
    return e;
  }
}

describe('corrupt debug sections', () => {
  it('keeps every other unit usable when one unit is corrupt', () => {
    const { bytes } = loadFixture('withlibc-O2-dwarf5');
    const { customs } = readSections(bytes);
    const sections = { ...debugInfoSource(customs).sections };
    const good = Dwarf.load(sections);
    const victim = good.units()[3]!;
    const info = Uint8Array.from(sections['.debug_info']!);
    info[victim.header.dieStart] = 0x7f; // an abbreviation code the unit's table does not define
    const dwarf = Dwarf.load({ ...sections, '.debug_info': info });
    const fns = dwarf.allFunctions();
    expect(fns.length).toBeGreaterThan(good.allFunctions().length - 20);
    expect(dwarf.errors).toHaveLength(1);
    expect(dwarf.errors[0]!.message).toMatch(/unknown abbreviation code 127 \(in \.debug_info at offset 0x[0-9a-f]+\)/);
    expect(dwarf.findFunction(fns.find((f) => f.name === 'main')!.ranges[0]!.begin)?.function.name).toBe('main');
  });

  it('survives a few hundred truncated and bit-flipped sections with only DwarfError', () => {
    let seed = 0x2545f491;
    const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
    const failures: string[] = [];
    let errors = 0;
    const started = performance.now();
    for (const name of ['shapes-O2-dwarf4', 'shapes-O2-dwarf5', 'shapes-O2-dwarf5-aranges']) {
      const base = debugInfoSource(readSections(loadFixture(name).bytes).customs).sections;
      const names = Object.keys(base);
      for (let i = 0; i < 200; i++) {
        const victim = names[rand(names.length)]!;
        const original = base[victim]!;
        let mutated: Uint8Array;
        if (rand(3) === 0) mutated = original.subarray(0, rand(original.length));
        else {
          mutated = Uint8Array.from(original);
          for (let k = 1 + rand(4); k > 0; k--) mutated[rand(mutated.length)]! ^= 1 << rand(8);
        }
        const e = exercise({ ...base, [victim]: mutated });
        if (e instanceof DwarfError) errors++;
        else if (e !== null) failures.push(`${name} ${victim} #${i}: ${String(e)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(errors).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(20_000); // 600 runs: a hang would show here
  });
});
