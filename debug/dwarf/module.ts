/**
 * Glue between a decoded Module and the DWARF reader: picks the debug
 * sections out of `module.customs` (views, never copies) and keeps the Code
 * section's file offset, so file offsets (LLDB, V8, Chrome) and code offsets
 * (DWARF) convert in one place (`toCodeOffset` / `toFileOffset`).
 */

import type { FileOffset, Module } from '../../interpreter/index.js';
import { Dwarf } from './dwarf.js';
import { debugInfoSource } from './sections.js';

export interface ModuleDebugInfo {
  readonly dwarf: Dwarf;
  /** File offset of the Code section's contents (code offset 0). */
  readonly codeStart: FileOffset;
  /** Set when the module names a separate debug file; `dwarf` is then empty until `withDebugFile`. */
  readonly externalDebugInfo: string | null;
}

/** The module's own DWARF (empty, not an error, when it has none). */
export function dwarfFromModule(module: Module): ModuleDebugInfo {
  const source = debugInfoSource(module.customs);
  return { dwarf: Dwarf.load(source.sections), codeStart: module.codeStart, externalDebugInfo: source.externalDebugInfo };
}

/**
 * The DWARF of a separate debug file (a wasm container holding the
 * `.debug_*` sections, per tool-conventions Debugging.md) for the code of
 * `module`: addresses still count from `module`'s Code section.
 */
export function withDebugFile(module: Module, debugFile: Pick<Module, 'customs'>): ModuleDebugInfo {
  const source = debugInfoSource(debugFile.customs);
  return { dwarf: Dwarf.load(source.sections), codeStart: module.codeStart, externalDebugInfo: null };
}
