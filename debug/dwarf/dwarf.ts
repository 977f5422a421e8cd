/**
 * The `Dwarf` façade (gimli's `Dwarf`): all DWARF sections of one module, and
 * the lookups users need — line info, the function and inlined calls at a
 * code offset, parameters, variables in scope, types.
 *
 * Invariants: `Dwarf.load` parses nothing. The first line lookup builds
 * the line index (every sequence, sorted, in typed arrays: line-index.ts);
 * the first function lookup builds the unit index (from `.debug_aranges`
 * when present, else each unit's ranges); the first lookup landing in a
 * unit builds that unit's scope interval index (scope-index.ts). After
 * that a lookup is binary searches plus memo reads, never DIE decoding:
 * the answer for each innermost range is computed once. A unit whose data
 * is corrupt is reported in `errors` and skipped: the rest stays usable.
 * Addresses are code offsets (Code section relative).
 */

import { DW_AT, DW_TAG } from './constants.js';
import { LineTable, parseLineTable } from './line.js';
import { LineIndex, type LineInfo } from './line-index.js';
import { entryLocation, entryRanges, type Location, type Range } from './ranges.js';
import { DwarfError } from './reader.js';
import { ScopeIndex, chainTo } from './scope-index.js';
import { buildUnitIndex, UNIT_SCAN_LIMIT, type UnitIndex } from './unit-index.js';
import { buildScopes, type Scope, type UnitScopes } from './scopes.js';
import type { DwarfSections } from './sections.js';
import { Types, typeName, type TypeNode } from './types.js';
import { unitHeaders, Unit, type DebugInfoOffset, type Entry } from './unit.js';

export type { LineInfo } from './line-index.js';

export interface FunctionInfo {
  readonly offset: DebugInfoOffset;
  readonly tag: 'subprogram' | 'inlined_subroutine';
  readonly name: string | undefined;
  readonly linkageName: string | undefined;
  readonly declFile: string | undefined;
  readonly declLine: number | undefined;
  readonly ranges: readonly Range[];
  /** For inlined subroutines: where the call was (in the caller's source). */
  readonly callFile: string | undefined;
  readonly callLine: number | undefined;
  readonly callColumn: number | undefined;
}

export interface FunctionAt {
  /** The out-of-line function whose code holds the offset. */
  readonly function: FunctionInfo;
  /** Inlined calls at the offset, outermost first (the last one is innermost). */
  readonly inlined: readonly FunctionInfo[];
}

export interface VariableInfo {
  readonly offset: DebugInfoOffset;
  readonly kind: 'parameter' | 'variable';
  readonly name: string | undefined;
  readonly typeName: string;
  readonly type: () => TypeNode;
  readonly location: Location | undefined;
  /** The DIE of the scope declaring it (subprogram, inlined subroutine, lexical block or unit). */
  readonly scope: DebugInfoOffset;
  readonly declLine: number | undefined;
}

interface UnitSlot {
  readonly unit: Unit;
  scopes?: UnitScopes | null;
  lines?: LineTable | null;
  index?: ScopeIndex | null;
  /** Per range of `index`: the answer of findFunction there (computed on first use). */
  answers?: (FunctionAt | null | undefined)[];
}

export class Dwarf {
  /** Errors met so far, one per affected unit or table; lookups skip what they name. */
  readonly errors: DwarfError[] = [];
  private slots: UnitSlot[] | undefined;
  private slotByUnit: Map<Unit, UnitSlot> | undefined;
  private lineIndex: LineIndex | undefined;
  private unitIndex: UnitIndex<UnitSlot> | undefined;
  private types: Types | undefined;

  private constructor(readonly sections: DwarfSections) {}

  /** Wraps the sections; parses nothing yet. */
  static load(sections: DwarfSections): Dwarf {
    return new Dwarf(sections);
  }

  get hasDebugInfo(): boolean {
    return this.sections['.debug_info'] !== undefined;
  }

  /** All units (headers read on first call). */
  units(): readonly Unit[] {
    return this.unitSlots().map((s) => s.unit);
  }

  private unitSlots(): UnitSlot[] {
    if (this.slots) return this.slots;
    const { headers, error } = unitHeaders(this.sections['.debug_info']);
    if (error) this.errors.push(error);
    this.slots = headers.map((h) => ({ unit: new Unit(h, this.sections) }));
    this.slotByUnit = new Map(this.slots.map((s) => [s.unit, s]));
    return this.slots;
  }

  private slotOf(unit: Unit): UnitSlot {
    this.unitSlots();
    const slot = this.slotByUnit!.get(unit);
    if (!slot) throw new DwarfError('unit does not belong to this Dwarf', '.debug_info', unit.header.offset);
    return slot;
  }

  private guard<T>(fallback: T, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof DwarfError) { this.errors.push(e); return fallback; }
      if (e instanceof RangeError) { this.errors.push(new DwarfError(`malformed data: ${e.message}`, '.debug_info', 0)); return fallback; }
      throw e;
    }
  }

  /** The unit holding a `.debug_info` offset. */
  unitOf(offset: number): Unit {
    const slots = this.unitSlots();
    let lo = 0, hi = slots.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (slots[mid]!.unit.header.offset <= offset) lo = mid + 1; else hi = mid; }
    const u = slots[lo - 1]?.unit;
    if (!u || !u.contains(offset)) throw new DwarfError('reference to a DIE outside every unit', '.debug_info', offset);
    return u;
  }

  /** The DIE at a `.debug_info` offset, with its unit. */
  entryAt(offset: number): { unit: Unit; entry: Entry } {
    const unit = this.unitOf(offset);
    return { unit, entry: unit.entry(offset) };
  }

  // ---- lines ----

  /** The line table of a unit (parsed on first use), or null if it has none or it is corrupt. */
  lineTable(unit: Unit): LineTable | null {
    return this.slotLines(this.slotOf(unit));
  }

  private slotLines(slot: UnitSlot): LineTable | null {
    if (slot.lines !== undefined) return slot.lines;
    slot.lines = this.guard(null, () => {
      const root = slot.unit.root;
      const stmt = root.attrs.get(DW_AT.stmt_list);
      if (!stmt || (stmt.k !== 'sec' && stmt.k !== 'udata')) return null;
      const compDir = slot.unit.str(root.attrs.get(DW_AT.comp_dir)) ?? '';
      return parseLineTable(this.sections, stmt.v, compDir, slot.unit.addressSize);
    });
    return slot.lines;
  }

  /** Every unit's line table (units without one are skipped). */
  lineTables(): LineTable[] {
    return this.unitSlots().map((s) => this.slotLines(s)).filter((t): t is LineTable => t !== null);
  }

  /** file, line, column and is_stmt of the row covering a code offset, or null. */
  findLineInfo(pc: number): LineInfo | null {
    return (this.lineIndex ??= LineIndex.build(this.lineTables())).find(pc);
  }

  // ---- functions and scopes ----

  /** The scope tree of a unit (built on first use); null if the unit is corrupt. */
  scopes(unit: Unit): UnitScopes | null {
    return this.slotScopes(this.slotOf(unit));
  }

  private slotScopes(slot: UnitSlot): UnitScopes | null {
    if (slot.scopes === undefined) slot.scopes = this.guard(null, () => buildScopes(slot.unit));
    return slot.scopes;
  }

  private slotIndex(slot: UnitSlot): ScopeIndex | null {
    if (slot.index === undefined) {
      const scopes = this.slotScopes(slot);
      slot.index = scopes ? this.guard(null, () => ScopeIndex.build(scopes)) : null;
      slot.answers = [];
    }
    return slot.index;
  }

  /** Where the unit index came from: `.debug_aranges` (a hint, when present and sound) or the units. */
  get unitIndexSource(): 'aranges' | 'units' {
    return (this.unitIndex ??= this.buildUnitIndex()).source;
  }

  private buildUnitIndex(): UnitIndex<UnitSlot> {
    return buildUnitIndex(this.unitSlots(), this.sections['.debug_aranges'], (slot) => {
      const ranges = entryRanges(slot.unit, slot.unit.root);
      // A unit without ranges of its own is indexed through its functions instead.
      return ranges.length > 0 ? ranges : (this.slotScopes(slot)?.byAddress ?? []);
    }, (f) => this.guard(null, f));
  }

  /** The unit and innermost scope range at `pc` (range index into the unit's ScopeIndex), or null. */
  private rangeAt(pc: number): { slot: UnitSlot; index: ScopeIndex; range: number } | null {
    const u = (this.unitIndex ??= this.buildUnitIndex());
    const last = u.lastAtOrBefore(pc);
    for (let i = last; i >= 0 && u.maxEnd[i]! > pc && i > last - UNIT_SCAN_LIMIT; i--) {
      if (pc >= u.ends[i]!) continue;
      const slot = u.slots[i]!;
      const index = this.slotIndex(slot);
      const range = index ? index.rangeAt(pc) : -1;
      if (range >= 0) return { slot, index: index!, range };
    }
    return null;
  }

  /** The scope chain (function, then inlined subroutines and blocks inwards) at a code offset. */
  scopeChainAt(pc: number): { unit: Unit; chain: Scope[] } | null {
    const at = this.rangeAt(pc);
    return at ? { unit: at.slot.unit, chain: chainTo(at.index.scopeOfRange(at.range)) } : null;
  }

  /** The function at a code offset and the inlined calls active there, or null. */
  findFunction(pc: number): FunctionAt | null {
    const at = this.rangeAt(pc);
    if (!at) return null;
    const answer = at.slot.answers![at.range];
    return answer !== undefined ? answer : this.answer(at.slot, at.index, at.range);
  }

  /** findFunction's answer for one range of a unit's scope index, computed once. */
  private answer(slot: UnitSlot, index: ScopeIndex, range: number): FunctionAt | null {
    const chain = chainTo(index.scopeOfRange(range));
    return (slot.answers![range] = this.guard(null, () => {
      const fns = chain.filter((s) => s.tag !== DW_TAG.lexical_block).map((s) => this.functionInfo(s.offset));
      return fns.length > 0 ? { function: fns[0]!, inlined: fns.slice(1) } : null;
    }));
  }

  /**
   * Builds every index now instead of on first use: the line index, the
   * unit index, and each unit's scope index with the answer for each of its
   * ranges (so no later lookup decodes anything). For callers that would
   * rather pay once up front, e.g. a debugger while a module loads.
   */
  buildIndex(): void {
    this.lineIndex ??= LineIndex.build(this.lineTables());
    this.unitIndex ??= this.buildUnitIndex();
    for (const slot of this.unitSlots()) {
      const index = this.slotIndex(slot);
      if (!index) continue;
      for (let i = 0; i < index.rangeCount; i++) if (slot.answers![i] === undefined) this.answer(slot, index, i);
    }
  }

  /** Every subprogram and inlined subroutine of every unit, in DIE order. */
  allFunctions(): FunctionInfo[] {
    const out: FunctionInfo[] = [];
    for (const slot of this.unitSlots()) {
      const scopes = this.slotScopes(slot);
      if (scopes) for (const s of scopes.functions) this.guard(null, () => out.push(this.functionInfo(s.offset)));
    }
    return out;
  }

  private readonly functionCache = new Map<number, FunctionInfo>();

  /** Describes the subprogram or inlined subroutine DIE at `offset` (memoized: lookups repeat). */
  functionInfo(offset: DebugInfoOffset): FunctionInfo {
    let info = this.functionCache.get(offset);
    if (!info) this.functionCache.set(offset, (info = this.describeFunction(offset)));
    return info;
  }

  private describeFunction(offset: DebugInfoOffset): FunctionInfo {
    const { unit, entry } = this.entryAt(offset);
    const declFile = this.attrFollow(unit, entry, DW_AT.decl_file);
    const callFile = entry.attrs.get(DW_AT.call_file);
    const declLine = this.attrFollow(unit, entry, DW_AT.decl_line);
    const udata = (v: { k: string; v: unknown } | undefined) => (v?.k === 'udata' || v?.k === 'sdata' ? (v.v as number) : undefined);
    return {
      offset,
      tag: entry.tag === DW_TAG.inlined_subroutine ? 'inlined_subroutine' : 'subprogram',
      name: this.name(unit, entry),
      linkageName: this.stringFollow(unit, entry, DW_AT.linkage_name) ?? this.stringFollow(unit, entry, DW_AT.MIPS_linkage_name),
      declFile: declFile ? this.fileName(declFile.unit, udata(declFile.value)) : undefined,
      declLine: udata(declLine?.value),
      ranges: entryRanges(unit, entry),
      callFile: this.fileName(unit, udata(callFile)),
      callLine: udata(entry.attrs.get(DW_AT.call_line)),
      callColumn: udata(entry.attrs.get(DW_AT.call_column)),
    };
  }

  /** An attribute of `e`, or of the DIE its DW_AT_abstract_origin / DW_AT_specification names (bounded chain). */
  attrFollow(unit: Unit, e: Entry, at: number): { unit: Unit; value: NonNullable<ReturnType<Entry['attrs']['get']>> } | undefined {
    let u = unit, cur = e;
    for (let hops = 0; hops < 8; hops++) {
      const v = cur.attrs.get(at);
      if (v) return { unit: u, value: v };
      const next = cur.attrs.get(DW_AT.abstract_origin) ?? cur.attrs.get(DW_AT.specification);
      if (next?.k !== 'ref') return undefined;
      ({ unit: u, entry: cur } = this.entryAt(next.v));
    }
    return undefined;
  }

  private stringFollow(unit: Unit, e: Entry, at: number): string | undefined {
    const found = this.attrFollow(unit, e, at);
    return found ? found.unit.str(found.value) : undefined;
  }

  /** DW_AT_name, through abstract origins and specifications. */
  name(unit: Unit, e: Entry): string | undefined {
    return this.stringFollow(unit, e, DW_AT.name);
  }

  private fileName(unit: Unit, index: number | undefined): string | undefined {
    if (index === undefined) return undefined;
    return this.lineTable(unit)?.fileName(index);
  }

  // ---- variables, parameters, types ----

  private typeResolver(): Types {
    return (this.types ??= new Types((o) => this.entryAt(o)));
  }

  /** The type a DIE's DW_AT_type names (through abstract origins). */
  typeOf(offset: DebugInfoOffset): TypeNode {
    const { unit, entry } = this.entryAt(offset);
    const t = this.attrFollow(unit, entry, DW_AT.type);
    return t?.value.k === 'ref' ? this.typeResolver().at(t.value.v) : { kind: 'void' };
  }

  /** Describes a DW_TAG_variable / DW_TAG_formal_parameter DIE. */
  variable(offset: DebugInfoOffset, scope: DebugInfoOffset): VariableInfo {
    const { unit, entry } = this.entryAt(offset);
    const type = this.typeOf(offset);
    const declLine = this.attrFollow(unit, entry, DW_AT.decl_line)?.value;
    return {
      offset,
      kind: entry.tag === DW_TAG.formal_parameter ? 'parameter' : 'variable',
      name: this.name(unit, entry),
      typeName: typeName(type),
      type: () => type,
      location: entryLocation(unit, entry),
      scope,
      declLine: declLine?.k === 'udata' ? declLine.v : undefined,
    };
  }

  /** The formal parameters of a subprogram or inlined subroutine, in order. */
  getParameters(fn: FunctionInfo | DebugInfoOffset): VariableInfo[] {
    const offset = typeof fn === 'number' ? fn : fn.offset;
    const { unit, entry } = this.entryAt(offset);
    const out: VariableInfo[] = [];
    for (const c of unit.children(entry)) {
      if (c.tag === DW_TAG.formal_parameter) out.push(this.variable(c.offset, offset));
    }
    return out;
  }

  /**
   * Variables and parameters in scope at a code offset, innermost scope
   * first, each with its location (an expression or a location list; see
   * `locationAt` for the entry live at the offset). Globals are not included.
   */
  variablesAt(pc: number): VariableInfo[] {
    const at = this.scopeChainAt(pc);
    if (!at) return [];
    const out: VariableInfo[] = [];
    for (const scope of [...at.chain].reverse()) {
      for (const v of scope.variables) this.guard(null, () => out.push(this.variable(v, scope.offset)));
    }
    return out;
  }

  /** Global variables of every unit. */
  globals(): VariableInfo[] {
    const out: VariableInfo[] = [];
    for (const slot of this.unitSlots()) {
      const scopes = this.slotScopes(slot);
      if (scopes) for (const v of scopes.root.variables) this.guard(null, () => out.push(this.variable(v, scopes.root.offset)));
    }
    return out;
  }

  /** Every variable and parameter DIE in a code scope or at unit level, in DIE order per scope. */
  allVariables(): VariableInfo[] {
    const out: VariableInfo[] = [];
    const walk = (s: Scope) => {
      for (const v of s.variables) this.guard(null, () => out.push(this.variable(v, s.offset)));
      s.children.forEach(walk);
    };
    for (const slot of this.unitSlots()) {
      const scopes = this.slotScopes(slot);
      if (scopes) walk(scopes.root);
    }
    return out;
  }

  /** The DW_AT_frame_base expression of a subprogram (clang: one Wasm local or global), or null. */
  frameBase(fn: DebugInfoOffset): Uint8Array | null {
    const { unit, entry } = this.entryAt(fn);
    const loc = entryLocation(unit, entry, DW_AT.frame_base);
    return loc?.kind === 'expr' ? loc.expr : null;
  }

  /** The lexical blocks active at a code offset, outermost first. */
  blocksAt(pc: number): { offset: DebugInfoOffset; ranges: readonly Range[] }[] {
    const chain = this.scopeChainAt(pc)?.chain ?? [];
    return chain.filter((s) => s.tag === DW_TAG.lexical_block).map((s) => ({ offset: s.offset, ranges: s.ranges }));
  }
}

/**
 * The expression of a location that applies at `pc`: the single
 * expression, the list entry covering `pc`, else the list's
 * DW_LLE_default_location; null means optimized out there.
 */
export function locationAt(location: Location | undefined, pc: number): Uint8Array | null {
  if (!location) return null;
  if (location.kind === 'expr') return location.expr;
  return location.entries.find((e) => pc >= e.begin && pc < e.end)?.expr ?? location.defaultExpr ?? null;
}
