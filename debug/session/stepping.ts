/**
 * Source-level stepping decided at each instruction stop: step over / into /
 * out (finish) / until and stepi / nexti, with DWARF line-table semantics
 * (stop only where an is_stmt row starts, never on line 0, never twice on
 * the same line) and inlined frames (an inlined call is a frame: `next` runs
 * through it, `step` enters it, `finish` leaves it).
 *
 * Cost model: the interpreter stops only in frames at most `maxDepth()`
 * deep, so stepping over a call (or out of one) runs it at full speed.
 *
 * Invariant: `wants(pc, depth)` is pure apart from updating the step state
 * when a frame or an inlined call is left (the new "current line" is the
 * call's line, so the rest of that line is stepped over).
 */
import type { Dwarf } from '../dwarf/index.js';
import { DW_TAG } from '../dwarf/constants.js';
import type { DebugInfoOffset } from '../dwarf/unit.js';
import type { CodeMap } from './code-map.js';
import type { LineIndex, LineRowAt } from './lines.js';

export type StepKind = 'over' | 'into' | 'out' | 'until' | 'stepi' | 'nexti';

export interface StepState {
  kind: StepKind;
  /** Machine depth of the frame the step started in (updated when it returns). */
  depth: number;
  /** Inlined subroutine DIEs active at the start, outermost first. */
  chain: number[];
  file: string | undefined;
  line: number;
  /** `finish` of an inlined frame: the inlined subroutine DIE to leave. */
  outOf?: number;
  /** `step` entered a function without source: run until it returns to `depth`. */
  avoiding?: boolean;
}

export interface PcInfo {
  readonly row: LineRowAt | undefined;
  readonly chain: number[];
  readonly subprogram: number | undefined;
}

const MAX = Number.MAX_SAFE_INTEGER;

export class Stepper {
  private readonly cache = new Map<number, PcInfo>();
  private readonly prologues = new Map<number, number>();

  private readonly statements = new Map<number, Map<number, LineRowAt>>();

  constructor(
    private readonly dwarf: Dwarf, private readonly lines: LineIndex, private readonly code: CodeMap,
    private readonly hasSource: (file: string | undefined) => boolean,
  ) {}

  /** Where the target can stop for an offset (an instruction fused into the next stops there); set once a target attaches. */
  snap: (funcIndex: number, offset: number) => number = (_f, o) => o;

  /**
   * The statement (is_stmt row) that starts at `pc`: its row's address, or
   * the first stoppable instruction after it when the interpreter fused the
   * row's first instruction into the next.
   */
  statementAt(funcIndex: number, pc: number): LineRowAt | undefined {
    let m = this.statements.get(funcIndex);
    if (!m) {
      m = new Map();
      const body = this.code.body(funcIndex);
      if (body.length > 0) {
        for (const row of this.lines.statementsIn(this.code.start(funcIndex), body[body.length - 1]!.offset + 1)) {
          const at = this.snap(funcIndex, row.address);
          if (!m.has(at)) m.set(at, row);
        }
      }
      this.statements.set(funcIndex, m);
    }
    return m.get(pc);
  }

  /** Forgets stop positions (a new target may fuse differently). */
  reset(): void { this.statements.clear(); }

  /** Line row and inlined chain at a code offset (memoized: loops revisit the same offsets). */
  info(pc: number): PcInfo {
    let i = this.cache.get(pc);
    if (!i) {
      const at = this.dwarf.scopeChainAt(pc);
      const chain = at ? at.chain.filter((s) => s.tag === DW_TAG.inlined_subroutine).map((s) => s.offset) : [];
      i = { row: this.lines.rowAt(pc), chain, subprogram: at?.chain[0]?.offset };
      this.cache.set(pc, i);
    }
    return i;
  }

  start(kind: StepKind, pc: number, depth: number, outOf?: number): StepState {
    const i = this.info(pc);
    const s: StepState = { kind, depth, chain: i.chain, file: i.row?.file, line: i.row?.line ?? 0 };
    if (outOf !== undefined) s.outOf = outOf;
    return s;
  }

  /** The deepest frame the interpreter must stop in for this step. */
  maxDepth(s: StepState): number {
    if (s.kind === 'stepi' || (s.kind === 'into' && !s.avoiding)) return MAX;
    if (s.kind === 'out' && s.outOf === undefined) return s.depth - 1;
    return s.depth;
  }

  private afterPrologue(subprogram: number | undefined, pc: number): boolean {
    if (subprogram === undefined) return true;
    let end = this.prologues.get(subprogram);
    if (end === undefined) {
      const ranges = this.dwarf.functionInfo(subprogram as DebugInfoOffset).ranges;
      end = ranges.length ? this.lines.prologueEnd(Math.min(...ranges.map((r) => r.begin)), Math.max(...ranges.map((r) => r.end))) : 0;
      this.prologues.set(subprogram, end);
    }
    return pc >= end;
  }

  /** Whether the step is complete at `pc` in a frame `depth` deep; may update `s`. 'abandon': nothing to step in (no source). */
  wants(s: StepState, funcIndex: number, pc: number, depth: number): boolean | 'abandon' {
    switch (s.kind) {
      case 'stepi': return true;
      case 'nexti': return depth <= s.depth;
      case 'out':
        if (depth < s.depth) return true;
        return s.outOf !== undefined && depth === s.depth && !this.info(pc).chain.includes(s.outOf);
      default: break;
    }
    const i = this.info(pc);
    const row = i.row;
    if (depth > s.depth) {
      if (s.kind !== 'into' || s.avoiding) return false;
      if (!row || !this.hasSource(row.file)) { s.avoiding = true; return false; }
      return this.statementAt(funcIndex, pc) !== undefined && this.afterPrologue(i.subprogram, pc);
    }
    if (s.avoiding) s.avoiding = false;
    if (depth < s.depth) {
      // Returned into the caller, in the middle of its line: finish that line first.
      if (!row || !this.hasSource(row.file)) return 'abandon';
      s.depth = depth; s.chain = i.chain; s.file = row.file; s.line = row.line;
      if (s.kind === 'until') s.kind = 'over';
      return false;
    }
    const st = this.statementAt(funcIndex, pc);
    if (!st) return false;
    const common = prefixLength(s.chain, i.chain);
    if (common < s.chain.length) {
      // Left an inlined call: its caller's current line is the call's line.
      const exited = this.dwarf.functionInfo(s.chain[common]! as DebugInfoOffset);
      s.chain = i.chain.slice(0, common); s.file = exited.callFile; s.line = exited.callLine ?? 0;
    }
    if (i.chain.length > s.chain.length) return s.kind === 'into';
    if (st.line === s.line && (st.file === s.file || s.file === undefined)) return false;
    if (s.kind === 'until' && st.line < s.line && st.file === s.file) return false;
    return true;
  }
}

function prefixLength(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
