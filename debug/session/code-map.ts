/**
 * Code offsets ↔ functions of one module: which function holds an offset,
 * its name (name section, else `$funcN`), its instructions. DWARF addresses
 * and every address the debugger prints are code offsets (from the start of
 * the Code section's contents).
 *
 * Invariant: built once per module; every lookup is a binary search.
 */
import { instrIndexAt, type Instr, type Module } from '../../interpreter/core.js';

export class CodeMap {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(readonly module: Module) {
    for (const f of module.funcs) {
      this.starts.push(f.entryOffset);
      this.ends.push(f.body.length > 0 ? f.body[f.body.length - 1]!.offset + 1 : f.entryOffset + 1);
    }
  }

  /** The function index (imports counted) whose code holds `offset`, or -1. */
  funcAt(offset: number): number {
    let lo = 0, hi = this.starts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.starts[mid]! <= offset) lo = mid + 1; else hi = mid; }
    const i = lo - 1;
    if (i < 0 || offset >= this.ends[i]!) return -1;
    return i + this.module.importedFuncCount;
  }

  /** Code offset where function `funcIndex`'s entry starts (its body size). */
  start(funcIndex: number): number {
    return this.starts[funcIndex - this.module.importedFuncCount] ?? 0;
  }

  funcName(funcIndex: number): string {
    return this.module.names.funcs.get(funcIndex) ?? `$func${funcIndex}`;
  }

  /** A function by its name-section name or export name. */
  funcByName(name: string): number | undefined {
    for (const [i, n] of this.module.names.funcs) if (n === name && i >= this.module.importedFuncCount) return i;
    return this.module.exports.find((e) => e.name === name && e.kind === 'func')?.index;
  }

  body(funcIndex: number): readonly Instr[] {
    return this.module.funcs[funcIndex - this.module.importedFuncCount]?.body ?? [];
  }

  /** The instruction starting exactly at `offset` in `funcIndex`, if any. */
  instrAt(funcIndex: number, offset: number): Instr | undefined {
    const f = this.module.funcs[funcIndex - this.module.importedFuncCount];
    if (!f) return undefined;
    const i = instrIndexAt(f, offset);
    return i < 0 ? undefined : f.body[i];
  }
}
