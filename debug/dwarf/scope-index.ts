/**
 * The per-unit interval index behind `findFunction`, `variablesAt` and
 * `blocksAt`: every live range of every code scope (subprogram, inlined
 * subroutine, lexical block) of a unit in flat typed arrays, sorted by
 * begin (outer before inner on ties), each linked to the nearest earlier
 * range that encloses its start.
 *
 * Invariant: for properly nested ranges (what a compiler emits), the
 * innermost range holding `pc` is the last range beginning at or before
 * `pc`, or one of its enclosing links; so a lookup is a binary search plus
 * a walk of at most the nesting depth. Links always point to a smaller
 * index, so the walk ends even on hostile, overlapping ranges.
 */

import { DW_TAG } from './constants.js';
import type { Scope, UnitScopes } from './scopes.js';

export class ScopeIndex {
  private constructor(
    private readonly begins: Float64Array,
    private readonly ends: Float64Array,
    /** Index of the nearest earlier range enclosing this one's begin, or -1. */
    private readonly enclosing: Int32Array,
    private readonly scopeOf: readonly Scope[],
  ) {}

  get rangeCount(): number { return this.begins.length; }

  static build(scopes: UnitScopes): ScopeIndex {
    const items: { begin: number; end: number; depth: number; scope: Scope }[] = [];
    // Iterative walk: hostile nesting cannot overflow the JS stack.
    const work: { scope: Scope; depth: number }[] = scopes.root.children.map((scope) => ({ scope, depth: 0 }));
    while (work.length > 0) {
      const { scope, depth } = work.pop()!;
      for (const r of scope.ranges) if (r.end > r.begin) items.push({ begin: r.begin, end: r.end, depth, scope });
      for (const c of scope.children) work.push({ scope: c, depth: depth + 1 });
    }
    items.sort((a, b) => a.begin - b.begin || b.end - a.end || a.depth - b.depth);
    const n = items.length;
    const begins = new Float64Array(n), ends = new Float64Array(n), enclosing = new Int32Array(n);
    const open: number[] = []; // ranges enclosing the current begin, outermost first
    for (let i = 0; i < n; i++) {
      const it = items[i]!;
      begins[i] = it.begin; ends[i] = it.end;
      while (open.length > 0 && ends[open[open.length - 1]!]! <= it.begin) open.pop();
      enclosing[i] = open.length > 0 ? open[open.length - 1]! : -1;
      open.push(i);
    }
    return new ScopeIndex(begins, ends, enclosing, items.map((it) => it.scope));
  }

  /** Index of the innermost range holding `pc`, or -1. */
  rangeAt(pc: number): number {
    const begins = this.begins;
    let lo = 0, hi = begins.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (begins[mid]! <= pc) lo = mid + 1; else hi = mid; }
    let i = lo - 1;
    while (i >= 0 && this.ends[i]! <= pc) i = this.enclosing[i]!;
    return i;
  }

  scopeOfRange(i: number): Scope {
    return this.scopeOf[i]!;
  }
}

const CODE_SCOPES = new Set<number>([DW_TAG.subprogram, DW_TAG.inlined_subroutine, DW_TAG.lexical_block]);

/** The scope chain ending at `inner`: its code-scope ancestors, outermost (the function) first. */
export function chainTo(inner: Scope): Scope[] {
  const chain: Scope[] = [];
  for (let s: Scope | null = inner; s && CODE_SCOPES.has(s.tag); s = s.parent) chain.push(s);
  return chain.reverse();
}
