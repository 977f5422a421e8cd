/**
 * `wasmflip dwarf lines|functions|variables FILE.wasm …`: static debug
 * information from a module's DWARF, as text or `--json`.
 *
 * Invariant: output goes only through `io`; a bad file or bad debug data is
 * one line on stderr and exit code 1; bad arguments are a UsageError (exit 2).
 */

import { decode, hex, type Module } from '../../../interpreter/index.js';
import {
  dwarfFromModule, formatExpression, formatLineTables, locationAt, withDebugFile, type ModuleDebugInfo, type VariableInfo,
} from '../../../debug/index.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { CommandFailure, describeWasmError, oneLine, readInput } from '../report.js';

/** Reads and decodes one file; a failure says which file and what (`x.wasm: malformed module: ...`). */
function decodeFile(path: string, io: CliIO): Module {
  const bytes = readInput(io, path);
  try {
    return decode(bytes);
  } catch (e) {
    const what = describeWasmError(e);
    if (what === undefined) throw e;
    throw new CommandFailure(`${path}: ${what}`);
  }
}

/** Reads and decodes FILE and its DWARF, following `external_debug_info` to a relative file. */
export function loadDebugInfo(path: string, io: CliIO): { module: Module; info: ModuleDebugInfo } {
  const module = decodeFile(path, io);
  let info = dwarfFromModule(module);
  if (info.externalDebugInfo !== null) {
    const url = info.externalDebugInfo;
    if (/^[a-z]+:\/\//i.test(url)) throw new CommandFailure(`${path}: debug information is in a separate file at ${JSON.stringify(url)}, which is not a local path`);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    info = withDebugFile(module, decodeFile(url.startsWith('/') ? url : dir + url, io));
  }
  return { module, info };
}

/** The one line a dwarf or addr2line failure prints. */
export function failureLine(command: string, e: unknown): string {
  return `wasmflip ${command}: ${oneLine(e instanceof Error ? e.message : String(e))}\n`;
}

/** "0x1f" or "31" → 31. */
export function parseOffset(text: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`not an offset: ${text}`);
  return n;
}

const json = (io: CliIO, value: unknown) => io.out(JSON.stringify(value, null, 2) + '\n');
const range = (r: { begin: number; end: number }) => `[${hex(r.begin)}, ${hex(r.end)})`;

/** Text: llvm-dwarfdump --debug-line's layout (per-table header, prologue, rows); --json: one record per row. */
function lines(info: ModuleDebugInfo, asJson: boolean, io: CliIO): void {
  const tables = info.dwarf.lineTables();
  if (!asJson) return io.out(formatLineTables(tables));
  const rows = [];
  for (const t of tables) {
    for (let i = 0; i < t.rowCount; i++) {
      const r = t.row(i);
      rows.push({ address: r.address, file: t.fileName(r.file), line: r.line, column: r.column, isStmt: r.isStmt, prologueEnd: r.prologueEnd, endSequence: r.endSequence });
    }
  }
  json(io, rows);
}

function functions(info: ModuleDebugInfo, asJson: boolean, io: CliIO): void {
  const fns = info.dwarf.allFunctions().filter((f) => f.ranges.length > 0);
  if (asJson) return json(io, fns);
  for (const f of fns) {
    const name = f.name ?? f.linkageName ?? '<anonymous>';
    const decl = f.declFile !== undefined ? `  ${f.declFile}:${f.declLine ?? 0}` : '';
    if (f.tag === 'subprogram') io.out(`${name} ${f.ranges.map(range).join(' ')}${decl}\n`);
    else io.out(`  inlined ${name} ${f.ranges.map(range).join(' ')}  called at ${f.callFile ?? '?'}:${f.callLine ?? 0}\n`);
  }
}

function describeLocation(v: VariableInfo, pc: number): string {
  if (!v.location) return '<optimized out>';
  const expr = locationAt(v.location, pc);
  return expr ? formatExpression(expr) : '<optimized out here>';
}

function variables(info: ModuleDebugInfo, pc: number, asJson: boolean, io: CliIO): number {
  const fn = info.dwarf.findFunction(pc);
  if (!fn) { io.err(`wasmflip dwarf: no function covers code offset ${hex(pc)}\n`); return 1; }
  const vars = info.dwarf.variablesAt(pc);
  if (asJson) {
    json(io, { function: fn.function, inlined: fn.inlined, variables: vars.map((v) => ({ ...v, type: undefined, location: describeLocation(v, pc) })) });
    return 0;
  }
  io.out(`${hex(pc)} in ${[fn.function, ...fn.inlined].map((f) => f.name ?? '?').join(' > ')}\n`);
  for (const v of vars) io.out(`  ${v.kind === 'parameter' ? 'param' : 'var'} ${v.name ?? '?'}: ${v.typeName} = ${describeLocation(v, pc)}\n`);
  return 0;
}

export const command: CliCommand = {
  name: 'dwarf',
  summary: 'show DWARF line tables, functions and variables of a module',
  usage: [
    'usage: wasmflip dwarf lines FILE.wasm [--json]',
    '       wasmflip dwarf functions FILE.wasm [--json]',
    '       wasmflip dwarf variables FILE.wasm OFFSET [--json]',
    'OFFSET is a code-section offset (DWARF addresses), decimal or 0x-hex.',
  ].join('\n'),
  run(args, io) {
    const asJson = args.includes('--json');
    const rest = args.filter((a) => a !== '--json');
    const unknown = rest.find((a) => a.startsWith('--'));
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    const [sub, file, ...more] = rest;
    if (sub === undefined || file === undefined) throw new UsageError('missing sub-command or FILE');
    if (sub !== 'lines' && sub !== 'functions' && sub !== 'variables') throw new UsageError(`unknown sub-command ${sub}`);
    if (sub === 'variables' ? more.length !== 1 : more.length !== 0) throw new UsageError(`wrong number of arguments for ${sub}`);
    const pc = sub === 'variables' ? parseOffset(more[0]!) : 0;
    try {
      const { info } = loadDebugInfo(file, io);
      if (!info.dwarf.hasDebugInfo) { io.err(`wasmflip dwarf: ${file} has no DWARF debug information\n`); return 1; }
      let code = 0;
      if (sub === 'lines') lines(info, asJson, io);
      else if (sub === 'functions') functions(info, asJson, io);
      else code = variables(info, pc, asJson, io);
      for (const e of info.dwarf.errors) io.err(`wasmflip dwarf: warning: ${e.message}\n`);
      return code;
    } catch (e) {
      io.err(failureLine('dwarf', e));
      return 1;
    }
  },
};
