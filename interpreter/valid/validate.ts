/**
 * `validate(module)`: module validation (spec 3.4, "Validation: Modules"),
 * in the reference validator's order: imports, function types, globals,
 * tables, memories, element and data segments, function bodies, start,
 * exports, then the single-memory rule of 2.0.
 *
 * Invariants: throws the first ValidationError, whose message starts with the
 * spec suite's text. Its offset is a code offset when `funcIndex` is set
 * (an instruction in that function), else a file offset (the constant
 * expression, or the start of the section holding the offending entry).
 * On success every Func has `heights` and `maxHeight` filled.
 */
import { ValidationError } from '../errors.js';
import type { ConstExpr, Limits, Module } from '../syntax/types.js';
import { validateConstExpr } from './const.js';
import { operandTypesAt as typesAt, operandTypesAtEach as typesAtEach, validateFunc, type Operand } from './func.js';

const SECTION = { import: 2, function: 3, table: 4, memory: 5, export: 7, start: 8 } as const;
const MAX_PAGES = 65536;

export function validate(m: Module): void {
  const fail = (message: string, sectionId: number): never => {
    throw new ValidationError(message, m.sections.find((s) => s.id === sectionId)?.start);
  };
  const checkLimits = (l: Limits, sectionId: number, pages: boolean): void => {
    if (pages && (l.min > MAX_PAGES || (l.max !== undefined && l.max > MAX_PAGES))) {
      fail(`memory size must be at most ${MAX_PAGES} pages (4GiB)`, sectionId);
    }
    if (l.max !== undefined && l.min > l.max) fail('size minimum must not be greater than maximum', sectionId);
  };

  for (const imp of m.imports) {
    const d = imp.desc;
    if (d.kind === 'func' && m.types[d.typeIndex] === undefined) fail(`unknown type ${d.typeIndex}`, SECTION.import);
    if (d.kind === 'table') checkLimits(d.type.limits, SECTION.import, false);
    if (d.kind === 'memory') checkLimits(d.type.limits, SECTION.import, true);
  }
  for (const f of m.funcs) if (m.types[f.typeIndex] === undefined) fail(`unknown type ${f.typeIndex}`, SECTION.function);

  for (const g of m.globals) validateConstExpr(m, g.init, g.type.type);
  for (const t of m.tables.slice(m.importedTableCount)) checkLimits(t.limits, SECTION.table, false);
  for (const mem of m.mems.slice(m.importedMemCount)) checkLimits(mem.limits, SECTION.memory, true);

  for (const seg of m.elems) {
    for (const init of seg.init) validateConstExpr(m, init, seg.type);
    if (seg.mode.kind === 'active') {
      const table = m.tables[seg.mode.table];
      if (table === undefined) failAt(m, seg.mode.offset, `unknown table ${seg.mode.table}`);
      if (table.elem !== seg.type) failAt(m, seg.mode.offset, 'type mismatch');
      validateConstExpr(m, seg.mode.offset, 'i32');
    }
  }
  for (const seg of m.datas) {
    if (seg.mode.kind === 'active') {
      if (seg.mode.memory >= m.mems.length) failAt(m, seg.mode.offset, `unknown memory ${seg.mode.memory}`);
      validateConstExpr(m, seg.mode.offset, 'i32');
    }
  }

  const ctx = { module: m, refs: declaredFuncRefs(m) };
  for (let i = 0; i < m.funcs.length; i++) validateFunc(ctx, m.importedFuncCount + i, m.funcs[i]!);

  if (m.start !== null) {
    const typeIndex = m.funcTypes[m.start];
    if (typeIndex === undefined) fail(`unknown function ${m.start}`, SECTION.start);
    const t = m.types[typeIndex]!;
    if (t.params.length !== 0 || t.results.length !== 0) fail('start function must not have parameters or results', SECTION.start);
  }

  const names = new Set<string>();
  for (const e of m.exports) {
    const size = { func: m.funcTypes.length, table: m.tables.length, memory: m.mems.length, global: m.globalTypes.length }[e.kind];
    if (e.index >= size) fail(`unknown ${e.kind === 'func' ? 'function' : e.kind} ${e.index}`, SECTION.export);
    if (names.has(e.name)) fail('duplicate export name', SECTION.export);
    names.add(e.name);
  }

  if (m.mems.length > 1) fail('multiple memories', SECTION.memory);
}

function failAt(m: Module, expr: ConstExpr, message: string): never {
  const first = expr[0];
  throw new ValidationError(message, first === undefined ? undefined : first.offset + m.codeStart);
}

/**
 * C.refs: the functions a body may name with `ref.func`, i.e. those
 * referenced anywhere in the module outside function bodies (exports,
 * global initialisers, element and data segments).
 */
function declaredFuncRefs(m: Module): Set<number> {
  const refs = new Set<number>();
  const scan = (expr: ConstExpr): void => {
    for (const instr of expr) if (instr.op === 'ref.func') refs.add(instr.index!);
  };
  for (const e of m.exports) if (e.kind === 'func') refs.add(e.index);
  for (const g of m.globals) scan(g.init);
  for (const seg of m.elems) {
    seg.init.forEach(scan);
    if (seg.mode.kind === 'active') scan(seg.mode.offset);
  }
  for (const seg of m.datas) if (seg.mode.kind === 'active') scan(seg.mode.offset);
  return refs;
}

/**
 * Operand types before instruction `instrIndex` of function `funcIndex` (a
 * defined function of a validated module). 'unknown' marks values of
 * unreachable code.
 */
export function operandTypesAt(m: Module, funcIndex: number, instrIndex: number): Operand[] {
  const func = m.funcs[funcIndex - m.importedFuncCount]!;
  return typesAt({ module: m, refs: refsOf(m) }, funcIndex, func, instrIndex);
}

/** `operandTypesAt` before each of `instrIndices` (ascending), in one pass over the function. */
export function operandTypesAtEach(m: Module, funcIndex: number, instrIndices: readonly number[]): Operand[][] {
  const func = m.funcs[funcIndex - m.importedFuncCount]!;
  return typesAtEach({ module: m, refs: refsOf(m) }, funcIndex, func, instrIndices);
}

/**
 * `operandTypesAt` at each of `instrIndices` (any order, repeats allowed,
 * negative ones left out), by instruction index, in one pass: what frame
 * maps ask at every checkpoint site of a function.
 */
export function operandTypesByIndex(m: Module, funcIndex: number, instrIndices: Iterable<number>): Map<number, Operand[]> {
  const stops = [...new Set(instrIndices)].filter((i) => i >= 0).sort((a, b) => a - b);
  const byIndex = new Map<number, Operand[]>();
  operandTypesAtEach(m, funcIndex, stops).forEach((types, k) => byIndex.set(stops[k]!, types));
  return byIndex;
}

/** declaredFuncRefs per module, for the queries above (a module with large element segments took seconds to rescan per query). */
const REFS = new WeakMap<Module, Set<number>>();
function refsOf(m: Module): Set<number> {
  let refs = REFS.get(m);
  if (refs === undefined) REFS.set(m, (refs = declaredFuncRefs(m)));
  return refs;
}
