/**
 * Pass 5, source-map: maps every generated line that came from an
 * instruction back to it. With DWARF line info (options.lineInfo) the
 * original position is the C/C++ file, line and column; without it, the
 * source is the module's disassembly (`wasm://<name>.wat`, embedded as the
 * map's source content), one instruction per line, so a JS debugger shows
 * readable Wasm and a stack trace names the function and offset.
 *
 * Why last: it only reads the finished text's line → offset table.
 */
import { SourceMapGenerator, type RawSourceMap } from 'source-map';
import { disassembleFunc, type Module } from '../../interpreter/core.js';
import type { CompileOptions } from '../types.js';
import type { ModuleText } from './emit-module.js';

/** The disassembly of every defined function and the line (1-based) of each code offset in it. */
export function disassembly(module: Module): { text: string; lineOf: Map<number, number> } {
  const lines: string[] = [];
  const lineOf = new Map<number, number>();
  for (let i = module.importedFuncCount; i < module.funcTypes.length; i++) {
    for (const l of disassembleFunc(module, i).split('\n')) {
      lines.push(l);
      const m = /^\s*0x([0-9a-f]+)\s/.exec(l);
      if (m) lineOf.set(parseInt(m[1]!, 16), lines.length);
    }
  }
  return { text: lines.join('\n') + '\n', lineOf };
}

/**
 * Builds the map for `text` placed at generated line `lineShift` + 1
 * (e.g. 2 when a `new Function` header or an import line precedes it).
 */
export function sourceMap(module: Module, text: ModuleText, options: CompileOptions, lineShift = 0): RawSourceMap {
  const gen = new SourceMapGenerator({ file: options.fileName ?? 'module.js' });
  const wat = options.lineInfo === undefined ? disassembly(module) : undefined;
  const watName = 'wasm://' + sanitize(module.names.module ?? 'module') + '.wat';
  if (wat !== undefined) gen.setSourceContent(watName, wat.text);
  text.offsets.forEach((off, i) => {
    if (off < 0) return;
    const column = text.lines[i]!.length - text.lines[i]!.trimStart().length;
    const generated = { line: i + 1 + lineShift, column };
    if (options.lineInfo !== undefined) {
      const pos = options.lineInfo(off);
      if (pos !== undefined) gen.addMapping({ generated, original: { line: pos.line, column: pos.column }, source: pos.file });
      return;
    }
    let line = wat!.lineOf.get(off);
    if (line === undefined) return;
    gen.addMapping({ generated, original: { line, column: 0 }, source: watName });
  });
  return gen.toJSON();
}

/** Module names go into a URL: keep only harmless characters. */
function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'module';
}
