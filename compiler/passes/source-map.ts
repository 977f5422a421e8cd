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
  // The disassembly is the source of every instruction DWARF gives no line (all of them without DWARF):
  // an unmapped line would borrow the position of the nearest mapped one, often another function's.
  let wat: ReturnType<typeof disassembly> | undefined;
  const watName = 'wasm://' + sanitize(module.names.module ?? 'module') + '.wat';
  const watLineOf = (off: number): number | undefined => {
    if (wat === undefined) {
      wat = disassembly(module);
      gen.setSourceContent(watName, wat.text);
    }
    return wat.lineOf.get(off);
  };
  const nameAt = functionNames(module);
  let i = 0; // line of the text
  for (const piece of text.pieces) {
    for (const line of piece.includes('\n') ? piece.split('\n') : [piece]) mapLine(line, text.offsets[i]!, i++);
  }
  function mapLine(line: string, at: number, i: number): void {
    // A function's own line maps to its first instruction: stacks name a frame by where its function starts.
    const header = /^function f(\d+)\(/.exec(line);
    const first = header === null ? undefined : module.funcs[Number(header[1]) - module.importedFuncCount]?.body[0];
    const off = first !== undefined ? first.offset : at;
    if (off < 0) return;
    const column = line.length - line.trimStart().length;
    const generated = { line: i + 1 + lineShift, column };
    const name = nameAt(off);
    const named = name !== undefined ? { name } : {};
    const pos = options.lineInfo?.(off);
    if (pos !== undefined) {
      gen.addMapping({ generated, original: { line: pos.line, column: pos.column }, source: pos.file, ...named });
      return;
    }
    const watLine = watLineOf(off);
    if (watLine !== undefined) gen.addMapping({ generated, original: { line: watLine, column: 0 }, source: watName, ...named });
  }
  return gen.toJSON();
}

/**
 * The name-section name of the function holding a code offset, which a
 * source-mapped stack shows in place of the generated `f12`. Names are the
 * module's (untrusted): only plain printable ones without spaces are used,
 * so none can break or forge a stack-trace line.
 */
function functionNames(module: Module): (offset: number) => string | undefined {
  const starts = module.funcs.map((f) => f.entryOffset);
  return (offset) => {
    let lo = 0, hi = starts.length - 1, k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const name = k < 0 ? undefined : module.names.funcs.get(module.importedFuncCount + k);
    return name !== undefined && /^[\x21-\x7e]{1,200}$/.test(name) ? name : undefined;
  };
}

/** Module names go into a URL: keep only harmless characters. */
function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'module';
}
