/**
 * The lookup API on the clang-built fixtures: lines, functions with their
 * inlined-call chains, parameters, variables in scope, type trees, location
 * evaluation and stack traces. Expected values come from the fixture's C
 * source (line numbers found by searching it) or llvm-dwarfdump's dump.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateLocation, formatStackTrace, formatType, locationAt, symbolize, type TypeNode } from '../../../debug/dwarf/index.js';
import { parseLineDump } from './dwarfdump.js';
import { FIXTURES, FIXTURE_NAMES, expectedDump, loadFixture } from './normalize.js';

const source = readFileSync(FIXTURES + 'shapes.c', 'utf8').split('\n');
/** 1-based line of the first source line containing `text`. */
const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;

describe.each(FIXTURE_NAMES)('findLineInfo on %s', (name) => {
  it('returns the row llvm-dwarfdump lists at every row address', () => {
    const { dwarf } = loadFixture(name);
    const tables = parseLineDump(expectedDump(name, 'line'));
    let checked = 0;
    for (const rows of tables.values()) {
      for (let i = 0; i + 1 < rows.length; i++) {
        const row = rows[i]!, next = rows[i + 1]!;
        if (row.flags.includes('end_sequence') || next.address === row.address) continue;
        const info = dwarf.findLineInfo(row.address);
        expect(info, `0x${row.address.toString(16)}`).toMatchObject({ line: row.line, column: row.column, isStmt: row.flags.includes('is_stmt') });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('finds nothing outside every sequence', () => {
    const { dwarf } = loadFixture(name);
    expect(dwarf.findLineInfo(0)).toBeNull();
    expect(dwarf.findLineInfo(0xffffffff)).toBeNull();
  });
});

describe('functions and inlined calls', () => {
  for (const name of ['shapes-O2-dwarf4', 'shapes-O2-dwarf5']) {
    it(`expands sq inlined into dist2 inlined into perimeter2 inlined into run (${name})`, () => {
      const { dwarf } = loadFixture(name);
      const sq = dwarf.allFunctions().find((f) => f.tag === 'inlined_subroutine' && f.name === 'sq' && f.ranges.length > 0)!;
      const pc = sq.ranges[0]!.begin;
      const at = dwarf.findFunction(pc)!;
      expect(at.function.name).toBe('run');
      expect(at.inlined.map((f) => f.name)).toEqual(['perimeter2', 'dist2', 'sq']);
      expect(at.inlined.map((f) => f.callLine)).toEqual([lineOf('perimeter2(s);'), lineOf('dist2(s->corners'), lineOf('sq(dx)')]);
      expect(at.inlined[2]!.declLine).toBe(lineOf('static inline int sq'));
      expect(at.inlined[0]!.callFile).toMatch(/shapes\.c$/);
      const frames = symbolize(dwarf, pc);
      expect(frames.map((f) => [f.function, f.inlined])).toEqual([['sq', true], ['dist2', true], ['perimeter2', true], ['run', false]]);
      expect(frames[1]!.line).toBe(lineOf('sq(dx)'));
      expect(formatStackTrace(dwarf, [pc])).toContain('in run at');
    });
  }

  it('reports a dead (gc-ed) out-of-line copy with no ranges instead of code at 0', () => {
    const { dwarf } = loadFixture('shapes-O2-dwarf5');
    const facts = dwarf.allFunctions().filter((f) => f.name === 'fact' && f.tag === 'subprogram');
    expect(facts.some((f) => f.ranges.length === 0)).toBe(true);
    for (const f of dwarf.allFunctions()) for (const r of f.ranges) expect(r.begin).toBeGreaterThan(0);
    expect(dwarf.findFunction(1)).toBeNull();
  });

  it('finds the recursive function and its parameter at -O0', () => {
    const { dwarf } = loadFixture('shapes-O0-dwarf4');
    const fact = dwarf.allFunctions().find((f) => f.name === 'fact')!;
    expect(fact.declLine).toBe(lineOf('int fact(int n)'));
    const at = dwarf.findFunction(fact.ranges[0]!.begin + 1)!;
    expect(at.function.name).toBe('fact');
    expect(at.inlined).toEqual([]);
    const params = dwarf.getParameters(at.function);
    expect(params.map((p) => [p.name, p.typeName])).toEqual([['n', 'int']]);
    expect(dwarf.getParameters(dwarf.allFunctions().find((f) => f.name === 'perimeter2')!).map((p) => p.typeName)).toEqual(['const shape *']);
  });
});

describe('variables in scope', () => {
  it('lists the innermost block first and every enclosing scope after it (-O0)', () => {
    const { dwarf } = loadFixture('shapes-O0-dwarf5');
    const t = dwarf.lineTables()[0]!;
    let pc = -1;
    for (let i = 0; i < t.rowCount; i++) if (t.row(i).line === lineOf('int odd = cell * 3')) { pc = t.row(i).address; break; }
    expect(pc).toBeGreaterThan(0);
    const names = dwarf.variablesAt(pc).map((v) => v.name);
    expect(names.slice(0, 1)).toEqual(['odd']);
    for (const n of ['cell', 'c', 'r', 'total', 'rows', 'cols']) expect(names).toContain(n);
    expect(names.indexOf('cell')).toBeLessThan(names.indexOf('rows'));
    expect(dwarf.blocksAt(pc).length).toBeGreaterThanOrEqual(3);
  });

  it('evaluates a -O0 parameter as frame base (a Wasm local) + offset into memory', () => {
    const { dwarf } = loadFixture('shapes-O0-dwarf4');
    const fact = dwarf.allFunctions().find((f) => f.name === 'fact')!;
    const pc = fact.ranges[0]!.begin + 4;
    const n = dwarf.variablesAt(pc).find((v) => v.name === 'n')!;
    const expr = locationAt(n.location, pc)!;
    const frameBase = dwarf.frameBase(fact.offset)!;
    const locals: number[] = [];
    const fb = evaluateLocation(frameBase, { local: (i) => { locals.push(i); return 4096; } });
    expect(fb).toEqual([{ location: { kind: 'value', value: 4096n } }]);
    const pieces = evaluateLocation(expr, { frameBase: () => 4096 });
    expect(pieces.length).toBe(1);
    expect(pieces[0]!.location.kind).toBe('memory');
    expect(locals.length).toBe(1);
  });

  it('gives -O2 variables location lists naming Wasm locals or operand-stack slots', () => {
    const { dwarf } = loadFixture('shapes-O2-dwarf4');
    const lists = dwarf.allVariables().filter((v) => v.location?.kind === 'list');
    expect(lists.length).toBeGreaterThan(5);
    for (const v of lists) {
      if (v.location?.kind !== 'list') continue;
      for (const e of v.location.entries) {
        expect(e.begin).toBeGreaterThan(0);
        expect(locationAt(v.location, e.begin)).toBe(e.expr);
      }
    }
  });
});

describe('types', () => {
  const global = (name: string): TypeNode => {
    const { dwarf } = loadFixture('shapes-O0-dwarf5');
    return dwarf.globals().find((v) => v.name === name)!.type();
  };

  it('resolves struct members with offsets, bitfields, arrays, unions and enums', () => {
    const shape = global('g_shape');
    if (shape.kind !== 'struct') throw new Error(`expected a struct, got ${shape.kind}`);
    expect(shape.members.map((m) => m.name)).toEqual(['corners', 'next', 'label', 'dirty', 'area', 'flags', 'color', 'grid']);
    const member = (n: string) => shape.members.find((m) => m.name === n)!;
    expect(member('next').offset).toBe(32); // after struct point corners[4] (4 × 8 bytes)
    const grid = member('grid').type;
    expect(grid.kind === 'array' && grid.dims).toEqual([2, 3]);
    const flags = member('flags').type;
    if (flags.kind !== 'struct') throw new Error('flags');
    expect(flags.members.map((m) => [m.name, m.bitSize, m.bitOffset])).toEqual([
      ['ready', 1, 0], ['mode', 3, 1], ['level', 4, 4], ['rest', undefined, undefined],
    ]);
    const color = member('color').type;
    expect(color.kind === 'enum' && color.enumerators).toEqual([{ name: 'RED', value: 0 }, { name: 'GREEN', value: 5 }, { name: 'BLUE', value: -1 }]);
    const next = member('next').type;
    expect(next.kind === 'pointer' && next.target).toBe(shape); // recursive type: the same node, not a copy
    expect(formatType(shape)).toContain('+48 flags: flags (8 bytes)');
  });

  it('names function pointers, qualifiers and typedefs as C declarators', () => {
    expect(formatType(global('g_op'))).toBe('binop');
    const op = global('g_op');
    expect(op.kind === 'typedef' && formatType(op.target)).toBe('int (*)(int, int)');
    expect(formatType(global('table'))).toBe('const int[5]');
  });
});
