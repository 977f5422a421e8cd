/**
 * Test helper: the reader's view of a module in the same normalized records
 * as `dwarfdump.ts` produces from llvm-dwarfdump, plus fixture loading.
 */

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Dwarf, debugInfoSource, formatExpression, type Location } from '../../../debug/dwarf/index.js';
import type { DumpFunction, DumpRow, DumpVariable } from './dwarfdump.js';
import { readSections } from './wasm-sections.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/dwarf/', import.meta.url));

export const FIXTURE_NAMES = [
  'shapes-O0-dwarf4', 'shapes-O0-dwarf5', 'shapes-O2-dwarf4', 'shapes-O2-dwarf5', 'shapes-O2-dwarf5-aranges',
  'withlibc-O2-dwarf5',
] as const;

export function loadFixture(name: string): { bytes: Uint8Array; dwarf: Dwarf; codeStart: number } {
  const bytes = new Uint8Array(readFileSync(FIXTURES + name + '.wasm'));
  const { customs, codeStart } = readSections(bytes);
  return { bytes, dwarf: Dwarf.load(debugInfoSource(customs).sections), codeStart };
}

/** A committed llvm-dwarfdump output (`expected/NAME.KIND.txt`, gzipped when large). */
export function expectedDump(name: string, kind: 'line' | 'info'): string {
  const base = `${FIXTURES}expected/${name}.${kind}.txt`;
  try {
    return readFileSync(base, 'utf8');
  } catch {
    return gunzipSync(readFileSync(base + '.gz')).toString('utf8');
  }
}

export function readerLines(dwarf: Dwarf): Map<number, DumpRow[]> {
  const out = new Map<number, DumpRow[]>();
  for (const t of dwarf.lineTables()) {
    const rows: DumpRow[] = [];
    for (let i = 0; i < t.rowCount; i++) {
      const r = t.row(i);
      const flags = [r.isStmt && 'is_stmt', r.basicBlock && 'basic_block', r.prologueEnd && 'prologue_end',
        r.epilogueBegin && 'epilogue_begin', r.endSequence && 'end_sequence'].filter(Boolean).join(' ');
      rows.push({ address: r.address, line: r.line, column: r.column, file: r.file, flags });
    }
    out.set(t.header.offset, rows);
  }
  return out;
}

export function readerFunctions(dwarf: Dwarf): DumpFunction[] {
  return dwarf.allFunctions().map((f) => ({
    offset: f.offset, tag: f.tag, name: f.name,
    ranges: f.ranges.map((r): [number, number] => [r.begin, r.end]),
    callFile: f.callFile, callLine: f.callLine,
  }));
}

function locationText(loc: Location | undefined, addressSize: number): string | undefined {
  if (!loc) return undefined;
  if (loc.kind === 'expr') return formatExpression(loc.expr, addressSize);
  return loc.entries.map((e) => `[0x${e.begin.toString(16)}, 0x${e.end.toString(16)}): ${formatExpression(e.expr, addressSize)}`).join('; ');
}

export function readerVariables(dwarf: Dwarf): DumpVariable[] {
  return dwarf.allVariables().map((v) => ({
    offset: v.offset, name: v.name, type: v.typeName, location: locationText(v.location, 4),
  }));
}
