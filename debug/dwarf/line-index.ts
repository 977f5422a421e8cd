/**
 * The one-time index behind `findLineInfo`: every line sequence of every
 * unit, sorted by start address, in flat typed arrays.
 *
 * Invariant: a lookup is two binary searches and no decoding: one over the
 * sequence starts, one over that sequence's row addresses (the rows of a
 * sequence are contiguous and ascending in its table's `address` column).
 * Nothing here is built until the first lookup; file names are resolved
 * once per (table, file) by the table's own memo.
 */

import { ROW_IS_STMT, type LineTable } from './line.js';

/** What `findLineInfo` reports (re-exported by dwarf.ts). */
export interface LineInfo {
  /** The row's address (≤ the offset asked about). */
  readonly address: number;
  readonly file: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
}

export class LineIndex {
  private constructor(
    private readonly tables: readonly LineTable[],
    /** Per sequence, sorted by start: start, end (exclusive), table, first row, end_sequence row. */
    private readonly starts: Float64Array,
    private readonly ends: Float64Array,
    private readonly tableOf: Uint32Array,
    private readonly firstRow: Uint32Array,
    private readonly lastRow: Uint32Array,
  ) {}

  static build(tables: readonly LineTable[]): LineIndex {
    const seqs: { start: number; end: number; t: number; first: number; last: number }[] = [];
    tables.forEach((table, t) => {
      for (const s of table.sequences) seqs.push({ start: s.start, end: s.end, t, first: s.firstRow, last: s.lastRow });
    });
    seqs.sort((a, b) => a.start - b.start);
    const n = seqs.length;
    const index = new LineIndex(tables, new Float64Array(n), new Float64Array(n), new Uint32Array(n), new Uint32Array(n), new Uint32Array(n));
    seqs.forEach((s, i) => {
      index.starts[i] = s.start; index.ends[i] = s.end; index.tableOf[i] = s.t;
      index.firstRow[i] = s.first; index.lastRow[i] = s.last;
    });
    return index;
  }

  get sequenceCount(): number { return this.starts.length; }

  /** The table and row covering `pc`, or null when no sequence does. */
  rowAt(pc: number): { table: LineTable; row: number } | null {
    const s = this.sequenceAt(pc);
    if (s < 0) return null;
    const table = this.tables[this.tableOf[s]!]!;
    const row = this.rowIn(table, s, pc);
    return row < 0 ? null : { table, row };
  }

  find(pc: number): LineInfo | null {
    const s = this.sequenceAt(pc);
    if (s < 0) return null;
    const t = this.tables[this.tableOf[s]!]!;
    const row = this.rowIn(t, s, pc);
    if (row < 0) return null;
    return {
      address: t.address[row]!, file: t.fileName(t.file[row]!), line: t.line[row]!,
      column: t.column[row]!, isStmt: (t.flags[row]! & ROW_IS_STMT) !== 0,
    };
  }

  /** The last sequence starting at or before `pc` if it also covers `pc`, else -1. */
  private sequenceAt(pc: number): number {
    const starts = this.starts;
    let lo = 0, hi = starts.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (starts[mid]! <= pc) lo = mid + 1; else hi = mid; }
    return lo > 0 && pc < this.ends[lo - 1]! ? lo - 1 : -1;
  }

  /** The last row of sequence `s` at or before `pc` (rows [first, last): last is the end_sequence row). */
  private rowIn(t: LineTable, s: number, pc: number): number {
    const address = t.address, first = this.firstRow[s]!;
    let a = first, b = this.lastRow[s]!;
    while (a < b) { const mid = (a + b) >>> 1; if (address[mid]! <= pc) a = mid + 1; else b = mid; }
    return a === first ? -1 : a - 1;
  }
}
