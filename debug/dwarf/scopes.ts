/**
 * The code scopes of one unit: subprograms, inlined subroutines and lexical
 * blocks with their live ranges, and the variables declared directly in
 * each (DWARF 5 §3.3–3.5, §4.1).
 *
 * Invariant: built in one pass over the unit's DIEs, on the unit's first
 * lookup (scope-index.ts turns it into the interval index lookups use).
 * Type DIEs are skipped whole.
 */

import { DW_TAG } from './constants.js';
import { entryRanges, type Range } from './ranges.js';
import type { DebugInfoOffset, Entry, Unit } from './unit.js';

export interface Scope {
  readonly offset: DebugInfoOffset;
  readonly tag: number;
  readonly ranges: readonly Range[];
  readonly children: Scope[];
  /** DW_TAG_variable and DW_TAG_formal_parameter DIEs directly inside this scope. */
  readonly variables: DebugInfoOffset[];
  readonly parent: Scope | null;
}

export interface UnitScopes {
  /** The unit's own scope (globals are its variables). */
  readonly root: Scope;
  /** Every (range, top-level function) pair, sorted by range start. */
  readonly byAddress: readonly { readonly begin: number; readonly end: number; readonly scope: Scope }[];
  /** Every subprogram and inlined subroutine, in DIE order. */
  readonly functions: readonly Scope[];
}

const CODE_SCOPES = new Set<number>([DW_TAG.subprogram, DW_TAG.inlined_subroutine, DW_TAG.lexical_block]);
const CONTAINERS = new Set<number>([
  DW_TAG.compile_unit, DW_TAG.partial_unit, DW_TAG.namespace, DW_TAG.subprogram,
  DW_TAG.inlined_subroutine, DW_TAG.lexical_block, DW_TAG.structure_type, DW_TAG.class_type,
]);

export function buildScopes(unit: Unit): UnitScopes {
  const rootEntry = unit.root;
  const root: Scope = { offset: rootEntry.offset, tag: rootEntry.tag, ranges: [], children: [], variables: [], parent: null };
  const functions: Scope[] = [];
  const byAddress: { begin: number; end: number; scope: Scope }[] = [];
  // An explicit stack instead of recursion: hostile nesting cannot overflow the JS stack.
  const stack: { scope: Scope; pos: number; end: boolean }[] = [{ scope: root, pos: rootEntry.next, end: !rootEntry.hasChildren }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.end) { stack.pop(); continue; }
    const e = unit.entryOrNull(top.pos);
    if (!e) { stack.pop(); if (stack.length > 0) stack[stack.length - 1]!.pos = top.pos + 1; continue; }
    top.pos = e.next;
    if (e.tag === DW_TAG.variable || e.tag === DW_TAG.formal_parameter) {
      if (top.scope.tag !== DW_TAG.subroutine_type) top.scope.variables.push(e.offset);
    }
    const scope = CODE_SCOPES.has(e.tag) ? addScope(unit, e, top.scope, functions, byAddress) : top.scope;
    if (!e.hasChildren) continue;
    if (!CONTAINERS.has(e.tag)) { top.pos = unit.skip(e); continue; }
    // Children end at a null entry; the parent's `pos` moves past it when this frame pops.
    stack.push({ scope, pos: e.next, end: false });
  }
  byAddress.sort((a, b) => a.begin - b.begin || b.end - a.end);
  return { root, byAddress, functions };
}

function addScope(unit: Unit, e: Entry, parent: Scope, functions: Scope[], byAddress: { begin: number; end: number; scope: Scope }[]): Scope {
  const scope: Scope = { offset: e.offset, tag: e.tag, ranges: entryRanges(unit, e), children: [], variables: [], parent };
  parent.children.push(scope);
  if (e.tag !== DW_TAG.lexical_block) functions.push(scope);
  if (e.tag === DW_TAG.subprogram && !CODE_SCOPES.has(parent.tag)) {
    for (const r of scope.ranges) if (r.end > r.begin) byAddress.push({ begin: r.begin, end: r.end, scope });
  }
  return scope;
}
