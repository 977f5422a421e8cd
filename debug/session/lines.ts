/**
 * Line-table lookups the debugger needs beyond `Dwarf.findLineInfo`: where a
 * source line has code (is_stmt rows, for breakpoints), where a function's
 * prologue ends (DW_LNS_set_prologue_end, else its second row), and the row
 * that starts exactly at an offset (stepping stops only at row starts).
 *
 * Invariant: built once per Dwarf from its line tables; rows of line 0
 * (compiler-generated code) never count as a line's code.
 */
import type { Dwarf, LineInfo, LineTable } from '../dwarf/index.js';

const IS_STMT = 1, END_SEQUENCE = 4, PROLOGUE_END = 8;

interface Seq { start: number; end: number; table: LineTable; first: number; last: number }

/** A line-table row at an address: the same record the DWARF reader's findLineInfo gives. */
export type LineRowAt = LineInfo;

/** True when a DWARF file path names the file the user typed (suffix match on path components). */
export function fileMatches(dwarfPath: string | undefined, user: string): boolean {
  if (dwarfPath === undefined) return false;
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/\.\//g, '/');
  const a = norm(dwarfPath), b = norm(user);
  return a === b || a.endsWith('/' + b) || b.endsWith('/' + a);
}

export class LineIndex {
  private readonly seqs: Seq[] = [];
  private readonly names = new Map<LineTable, (string | undefined)[]>();

  constructor(readonly dwarf: Dwarf) {
    for (const table of dwarf.lineTables()) {
      for (const s of table.sequences) this.seqs.push({ start: s.start, end: s.end, table, first: s.firstRow, last: s.lastRow });
    }
    this.seqs.sort((a, b) => a.start - b.start);
  }

  private fileName(table: LineTable, index: number): string | undefined {
    let names = this.names.get(table);
    if (!names) this.names.set(table, (names = []));
    if (!(index in names)) names[index] = table.fileName(index);
    return names[index];
  }

  /** Every is_stmt row address of `line` (or, if it has none, of the next line with code) in files matching `file`. */
  lineAddresses(file: string, line: number): { line: number; addresses: number[]; fileSeen: boolean } {
    let best = Infinity, fileSeen = false;
    const hits: { line: number; address: number }[] = [];
    for (const s of this.seqs) {
      const t = s.table;
      for (let i = s.first; i < s.last; i++) {
        const l = t.line[i]!;
        if (l === 0 || (t.flags[i]! & (IS_STMT | END_SEQUENCE)) !== IS_STMT) continue;
        if (!fileMatches(this.fileName(t, t.file[i]!), file)) continue;
        fileSeen = true;
        if (l < line) continue;
        if (l < best) best = l;
        hits.push({ line: l, address: t.address[i]! });
      }
    }
    return { line: best, addresses: hits.filter((h) => h.line === best).map((h) => h.address).sort((a, b) => a - b), fileSeen };
  }

  private seqAt(pc: number): Seq | undefined {
    let lo = 0, hi = this.seqs.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.seqs[mid]!.start <= pc) lo = mid + 1; else hi = mid; }
    const s = this.seqs[lo - 1];
    return s && pc < s.end ? s : undefined;
  }

  /** The row covering `pc` (the last of several at one address). */
  rowAt(pc: number): LineRowAt | undefined {
    const s = this.seqAt(pc);
    if (!s) return undefined;
    const t = s.table;
    let a = s.first, b = s.last;
    while (a < b) { const mid = (a + b) >> 1; if (t.address[mid]! <= pc) a = mid + 1; else b = mid; }
    const i = a - 1;
    if (i < s.first) return undefined;
    // Several rows at one address: is_stmt if any of them is.
    let stmt = false;
    for (let j = i; j >= s.first && t.address[j] === t.address[i]; j--) if (t.flags[j]! & IS_STMT) stmt = true;
    return { address: t.address[i]!, file: this.fileName(t, t.file[i]!), line: t.line[i]!, column: t.column[i]!, isStmt: stmt };
  }

  /** The is_stmt rows (line > 0) with addresses in [low, high). */
  statementsIn(low: number, high: number): LineRowAt[] {
    const out: LineRowAt[] = [];
    for (const s of this.seqs) {
      if (s.end <= low || s.start >= high) continue;
      const t = s.table;
      for (let i = s.first; i < s.last; i++) {
        const a = t.address[i]!;
        if (a < low || a >= high || t.line[i] === 0 || !(t.flags[i]! & IS_STMT)) continue;
        out.push({ address: a, file: this.fileName(t, t.file[i]!), line: t.line[i]!, column: t.column[i]!, isStmt: true });
      }
    }
    return out.sort((a, b) => a.address - b.address);
  }

  /** Where the prologue of the function starting at `low` ends (gdb's breakpoint address for a function). */
  prologueEnd(low: number, high: number): number {
    const s = this.seqAt(low);
    if (!s) return low;
    const t = s.table;
    let second: number | undefined;
    for (let i = s.first; i < s.last; i++) {
      const a = t.address[i]!;
      if (a < low) continue;
      if (a >= high) break;
      if (t.flags[i]! & PROLOGUE_END) return a;
      if (second === undefined && a > low && t.line[i]! !== 0) second = a;
    }
    return second ?? low;
  }
}
