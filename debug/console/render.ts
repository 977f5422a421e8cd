/**
 * How the console shows things, gdb's way: frame lines
 * (`#1  0x000002c3 in dist2 (a=..., b=...) at ./prog.c:25`), stop
 * locations with their source line, the breakpoint table, `x` dumps.
 *
 * Invariant: pure text from session state; nothing here resumes the program.
 */
import { formatInstr } from '../../interpreter/index.js';
import type { Breakpoint } from '../session/breakpoints.js';
import { catchWhat } from '../session/catch.js';
import { frameVariables, readVariable, type SourceFrame } from '../session/frames.js';
import type { DebugSession } from '../session/session.js';
import { isAggregate } from '../session/values.js';


export const hex = (n: number, width = 8): string => `0x${n.toString(16).padStart(width, '0')}`;

/** `name=value` for each argument; aggregates print as `...` as gdb does in frame lines. */
export function frameArgs(session: DebugSession, f: SourceFrame): string {
  const t = session.targetOrNull();
  if (!t || !f.fn) return '';
  return frameVariables(session.dwarf, f, 'parameter').map((v) => {
    const val = readVariable(session.dwarf, t, f, v);
    const text = typeof val === 'string' ? val : isAggregate(val.type) ? '...' : session.format(val, 'natural').replace(/^\([^)]*\) /, '');
    return `${v.name ?? '?'}=${text}`;
  }).join(', ');
}

export function where(f: SourceFrame): string {
  return f.file !== undefined && f.line !== undefined ? ` at ${f.file}:${f.line}` : '';
}

/** A backtrace line; `withAddress` for frames whose pc is not at the start of their line (gdb's rule, simplified: outer real frames). */
export function frameLine(session: DebugSession, f: SourceFrame, withAddress: boolean): string {
  const addr = withAddress ? `${hex(f.wasm.pc)} in ` : '';
  return `#${f.index}  ${addr}${f.name} (${frameArgs(session, f)})${where(f)}${f.inlined ? ' [inlined]' : ''}`;
}

export function showAddress(f: SourceFrame, frames: readonly SourceFrame[]): boolean {
  // Outer Wasm frames are paused at a call (mid-line); an inlined frame shares its pc with the frame inside it.
  return f.wasmIndex > 0 && (f.index === 0 || frames[f.index - 1]!.wasmIndex !== f.wasmIndex);
}

/** `31\t  for (...)`, or why the line cannot be shown. */
export function sourceLine(readSource: (file: string) => string[] | undefined, file: string | undefined, line: number | undefined): string {
  if (file === undefined || line === undefined) return '';
  const lines = readSource(file);
  if (!lines) return `${line}\t${file}: No such file or directory.\n`;
  const text = lines[line - 1];
  return text === undefined ? `Line number ${line} out of range; "${file}" has ${lines.length} lines.\n` : `${line}\t${text}\n`;
}

export function breakpointWhat(session: DebugSession, bp: Breakpoint): string {
  if (bp.watch) return bp.spec;
  if (bp.syscalls) return catchWhat(bp.syscalls);
  return bp.locations.map((loc) => {
    const row = session.lines.rowAt(loc.address);
    const fn = session.stepper.info(loc.address);
    const name = fn.chain.length ? session.dwarf.functionInfo(fn.chain[fn.chain.length - 1]! as never).name : fn.subprogram !== undefined ? session.dwarf.functionInfo(fn.subprogram as never).name : session.code.funcName(loc.funcIndex);
    return `in ${name ?? session.code.funcName(loc.funcIndex)}${row && row.line ? ` at ${row.file}:${row.line}` : ''}`;
  }).join('; ');
}

export function breakpointTable(session: DebugSession): string {
  const bps = session.breakpoints();
  if (bps.length === 0) return 'No breakpoints or watchpoints.\n';
  const type = (b: Breakpoint) => b.kind === 'breakpoint' ? (b.log ? 'dprintf' : 'breakpoint') : b.kind === 'catchpoint' ? 'catchpoint' : b.kind === 'watch' ? 'watchpoint' : b.kind === 'rwatch' ? 'read watchpoint' : 'acc watchpoint';
  let out = 'Num     Type            Disp Enb Address    What\n';
  for (const b of bps) {
    const addr = b.locations.length === 1 ? hex(b.locations[0]!.address) : b.locations.length > 1 ? '<MULTIPLE>' : '';
    out += `${String(b.id).padEnd(8)}${type(b).padEnd(16)}${(b.temporary ? 'del' : 'keep').padEnd(5)}${(b.enabled ? 'y' : 'n').padEnd(4)}${addr.padEnd(11)}${breakpointWhat(session, b)}\n`;
    if (b.log) out += `        printf ${[JSON.stringify(b.log.format), ...b.log.args].join(',')}\n`;
    if (b.condition !== undefined) out += `\tstop only if ${b.condition}\n`;
    if (b.hitCount > 0) out += `\t${b.kind === 'catchpoint' ? 'catchpoint' : 'breakpoint'} already hit ${b.hitCount} time${b.hitCount === 1 ? '' : 's'}\n`;
    if (b.ignoreCount > 0) out += `\tignore next ${b.ignoreCount} hits\n`;
  }
  return out;
}

/** Wasm text of the instructions around `pc` in its function, `=>` marking the pc. */
export function disassembleAround(session: DebugSession, funcIndex: number, pc: number, before = 8, after = 8): string {
  const body = session.code.body(funcIndex);
  const at = Math.max(0, body.findIndex((i) => i.offset >= pc));
  const first = Math.max(0, at - before), last = Math.min(body.length, at + after + 1);
  const start = body[0]?.offset ?? 0;
  let out = `Dump of Wasm code for function ${session.code.funcName(funcIndex)} (index ${funcIndex}):\n`;
  for (let k = first; k < last; k++) {
    const ins = body[k]!;
    out += `${ins.offset === pc ? '=> ' : '   '}${hex(ins.offset)} <+${ins.offset - start}>:\t${formatInstr(session.module, ins, funcIndex)}\n`;
  }
  return out + 'End of dump.\n';
}
