/**
 * Source maps for code loaded by `instantiate` (issue 3): when Node runs with
 * `--enable-source-maps` (process.sourceMapsEnabled), compiled module text is
 * built with its map and loaded with the map inline, so a trap's JavaScript
 * stack names the C file and line (DWARF) or the module's disassembly
 * (`wasm://….wat`). Otherwise nothing is built: maps cost compile time.
 *
 * Invariant: the map's generated lines count from the `new Function` header
 * (FUNCTION_HEADER_LINES), which is where V8 places the text.
 */
import type { Module } from '../../interpreter/core.js';
import { FUNCTION_HEADER_LINES, type CompiledModule, type CompileOptions } from '../../compiler/native.js';
import { dwarfFromModule } from '../../debug/dwarf/module.js';

/** Whether this process shows source-mapped stacks (node --enable-source-maps, or NODE_OPTIONS with it). */
export function sourceMapsWanted(): boolean {
  return typeof process !== 'undefined' && (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
}

/** A code offset's source position (0-based column), as the source-map pass reads it. */
export type LineInfo = NonNullable<CompileOptions['lineInfo']>;

/**
 * The DWARF line table as the source-map pass reads it (and, 1-based, what
 * native traps append); undefined without usable line info (the map then
 * shows the disassembly). The static level's DWARF reader alone: no debugger.
 */
export function dwarfLineInfo(module: Module): LineInfo | undefined {
  if (!module.customs.some((c) => c.name === '.debug_line')) return undefined;
  try {
    const { dwarf } = dwarfFromModule(module);
    return (offset) => {
      const row = dwarf.findLineInfo(offset);
      return row === null || row.file === undefined || row.line === 0 ? undefined : { file: row.file, line: row.line, column: Math.max(0, row.column - 1) };
    };
  } catch {
    return undefined;
  }
}

/** Compile options for code `instantiate` loads: with a map placed for `new Function` when maps are wanted (`lines` is read only then). */
export function loadOptions(lines: () => LineInfo | undefined): CompileOptions {
  if (!sourceMapsWanted()) return { sourceMap: false };
  return { sourceMap: true, sourceMapLineShift: FUNCTION_HEADER_LINES, lineInfo: lines(), fileName: 'module.js' };
}

let serial = 0;

/** The module text with its map inline (and a sourceURL naming it), or the text alone when it has no map. */
export function withInlineMap(compiled: CompiledModule): string {
  if (compiled.map === undefined) return compiled.js;
  const map = Buffer.from(JSON.stringify(compiled.map)).toString('base64');
  return `${compiled.js}\n//# sourceURL=wasmflip:///module-${++serial}.js\n//# sourceMappingURL=data:application/json;base64,${map}`;
}
