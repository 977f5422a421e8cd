/**
 * DWARF reader for WebAssembly modules: the public surface of debug/dwarf.
 *
 *   const dwarf = Dwarf.load(debugInfoSource(module.customs).sections);
 *   dwarf.findLineInfo(pc); dwarf.findFunction(pc); dwarf.variablesAt(pc);
 *
 * Addresses are code offsets (from the start of the Code section's
 * contents), as DWARF for WebAssembly defines them. Bad debug data raises or
 * records `DwarfError`, never anything else. Lookups build their indexes on
 * first use (or all at once with `dwarf.buildIndex()`); DW_OP_entry_value is
 * asked of the caller only with `entryValues: 'ask'` (see eval.ts).
 */

export { Dwarf, locationAt } from './dwarf.js';
export type { FunctionAt, FunctionInfo, LineInfo, VariableInfo } from './dwarf.js';
export { DwarfError } from './reader.js';
export { debugInfoSource, DWARF_SECTION_NAMES } from './sections.js';
export type { DebugInfoSource, DwarfSections } from './sections.js';
export { Evaluation, evaluateLocation } from './eval.js';
export type { EvaluationResult, LocationContext, Piece, PieceLocation, WasmLocation } from './eval.js';
export { decodeExpression, formatExpression } from './expr.js';
export type { Operation } from './expr.js';
export { formatType, typeName } from './types.js';
export type { Member, TypeNode } from './types.js';
export type { Location, LocationListEntry, Range } from './ranges.js';
export type { LineRow, LineTable } from './line.js';
export { formatLineTable, formatLineTables } from './line-dump.js';
export type { DebugInfoOffset, Unit } from './unit.js';
export { formatStackTrace, symbolize, symbolizeStack } from './stacktrace.js';
export type { SourceFrame } from './stacktrace.js';
export { dwarfFromModule, withDebugFile } from './module.js';
export type { ModuleDebugInfo } from './module.js';
