/**
 * The gdb/lldb-style command language over a DebugSession: break, tbreak,
 * delete, disable, enable, condition, ignore, dprintf, watch/rwatch/awatch,
 * run, continue, next, step, finish, until, stepi, nexti, backtrace, frame,
 * up, down, info (locals|args|frame|breakpoints|registers), print[/FMT],
 * set var, x/NFU, list, disassemble, catch trap on|off, catch syscall [NAME...],
 * kill, quit, help.
 *
 * I/O-free: text goes out through `host.out`, source lines come from
 * `host.readSource`, and starting or killing the program is the host's job.
 * Invariant: a wrong command prints one error line and the session goes on;
 * `execute` says whether the stopped program should resume.
 */
import type { Breakpoint, WatchKind } from '../session/breakpoints.js';
import type { Format } from '../session/format.js';
import type { DebugSession, StoppedEvent } from '../session/session.js';
import { frameVariables, readVariable } from '../session/frames.js';
import { breakpointTable, breakpointWhat, disassembleAround, frameLine, hex, showAddress, sourceLine } from './render.js';
import { examine } from './examine.js';
import { catchTitle } from '../session/catch.js';

export interface ConsoleHost {
  out(text: string): void;
  /** The lines of a source file as DWARF names it, or undefined when it cannot be found. */
  readSource(file: string): string[] | undefined;
  /** Starts the program; returns when it has finished (stops happen inside). */
  run(): void;
  /** Abandons the running program (unwinds it). */
  kill(): void;
}

export type Outcome = 'stay' | 'resume' | 'quit';

/** Thrown by a host to end the session from inside a command (quit, kill): `execute` lets it through. */
export class SessionEnd extends Error {
  override readonly name = 'SessionEnd';
}

const WATCH_NAMES: Record<WatchKind, string> = { watch: 'Watchpoint', rwatch: 'Read watchpoint', awatch: 'Access watchpoint' };

export class DebugConsole {
  private history = 0;
  private listNext: { file: string; line: number } | undefined;
  private lastFrameKey: string | undefined;

  constructor(readonly session: DebugSession, private readonly host: ConsoleHost) {}

  private out(text: string): void { this.host.out(text); }

  /** Prints where the program stopped and why (called from the session's `stopped` event). */
  describeStop(e: StoppedEvent): void {
    const s = this.session;
    const frames = s.frames();
    const f = frames[0];
    const bp = e.hitBreakpointIds.length ? s.breakpoint(e.hitBreakpointIds[0]!) : undefined;
    let header = false;
    if (e.reason === 'breakpoint' && e.syscall !== undefined) { this.out(`\nCatchpoint ${e.hitBreakpointIds.join(', ')} (returned from syscall ${e.syscall}), `); header = true; }
    else if (e.reason === 'breakpoint') { this.out(`\n${bp?.temporary ? 'Temporary breakpoint' : 'Breakpoint'} ${e.hitBreakpointIds.join(', ')}, `); header = true; }
    else if (e.reason === 'exception') { this.out(`\nProgram received trap: ${e.text}.\n`); header = true; }
    else if (e.reason === 'pause') { this.out('\nProgram paused.\n'); header = true; }
    else if (e.reason === 'data breakpoint' && e.watch) {
      const w = e.watch;
      this.out(`\n${WATCH_NAMES[w.kind]} ${w.id}: ${w.spec}\n\n`);
      this.out(w.old !== undefined ? `Old value = ${w.old}\nNew value = ${w.value}\n` : `Value = ${w.value}\n`);
      header = true;
    } else if (e.reason === 'finish') header = true;
    if (!f) return;
    const key = `${f.wasm.depth}:${f.fn?.offset ?? f.wasm.funcIndex}`;
    if (header || key !== this.lastFrameKey) {
      const line = frameLine(s, f, e.reason === 'finish' || (f.line !== undefined && s.stepper.statementAt(f.wasm.funcIndex, f.wasm.pc) === undefined)).replace(/^#0  /, '');
      this.out(e.reason === 'breakpoint' ? `${line}\n` : `${line}\n`);
    }
    this.lastFrameKey = key;
    // A stop inside a line (stepi, nexti) shows its address, as gdb does.
    const midLine = e.reason === 'step' && !header && key === this.lastFrameKey && s.stepper.statementAt(f.wasm.funcIndex, f.wasm.pc) === undefined;
    if (midLine && f.line !== undefined) this.out(`${hex(f.wasm.pc)}\t`);
    if (f.line !== undefined) this.out(sourceLine((p) => this.host.readSource(p), f.file, f.line));
    else this.out(`${hex(f.wasm.pc)} in ${f.name} ()\n`);
    if (f.file !== undefined && f.line !== undefined) this.listNext = { file: f.file, line: Math.max(1, f.line - 5) };
    if (e.finished?.value !== undefined) this.out(`Value returned is $${++this.history} = ${e.finished.value}\n`);
  }

  /** Runs one command line. */
  execute(line: string): Outcome {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return 'stay';
    const m = /^([a-z]+)(\/\S*)?\s*(.*)$/i.exec(text);
    if (!m) { this.out(`Undefined command: "${text}".  Try "help".\n`); return 'stay'; }
    const [, word, slash, rest] = m as unknown as [string, string, string | undefined, string];
    try {
      return this.dispatch(word!.toLowerCase(), slash, rest.trim());
    } catch (e) {
      if (e instanceof SessionEnd) throw e;
      this.out(`${(e as Error).message}\n`);
      return 'stay';
    }
  }

  private needStopped(): void {
    if (!this.session.isRunning) throw new Error('The program is not being run.');
  }

  private dispatch(cmd: string, slash: string | undefined, arg: string): Outcome {
    const s = this.session;
    switch (cmd) {
      case 'b': case 'break': case 'br': return this.breakCmd(arg, false);
      case 'tbreak': return this.breakCmd(arg, true);
      case 'dprintf': return this.dprintf(arg);
      case 'watch': case 'rwatch': case 'awatch': {
        if (!arg) throw new Error(`Argument required (expression to compute).`);
        const bp = s.addWatchpoint(arg, cmd);
        if (typeof bp === 'string') throw new Error(bp);
        this.out(`${WATCH_NAMES[cmd]} ${bp.id}: ${arg}\n`);
        return 'stay';
      }
      case 'd': case 'delete': {
        const ids = this.ids(arg);
        if (ids.length === 0) for (const b of s.breakpoints()) s.deleteBreakpoint(b.id);
        for (const id of ids) if (!s.deleteBreakpoint(id)) this.out(`No breakpoint number ${id}.\n`);
        return 'stay';
      }
      case 'disable': case 'enable': {
        const ids = this.ids(arg);
        for (const id of ids.length ? ids : s.breakpoints().map((b) => b.id)) if (!s.setEnabled(id, cmd === 'enable')) this.out(`No breakpoint number ${id}.\n`);
        return 'stay';
      }
      case 'condition': {
        const m = /^(\d+)\s*(.*)$/.exec(arg);
        if (!m) throw new Error('Argument required (breakpoint number).');
        const bp = this.bp(Number(m[1]));
        bp.condition = m[2] ? m[2] : undefined;
        if (!m[2]) this.out(`Breakpoint ${bp.id} now unconditional.\n`);
        return 'stay';
      }
      case 'ignore': {
        const m = /^(\d+)\s+(\d+)$/.exec(arg);
        if (!m) throw new Error('Argument required (a breakpoint number and a count).');
        const bp = this.bp(Number(m[1]));
        bp.ignoreCount = Number(m[2]);
        this.out(bp.ignoreCount === 0 ? `Will stop next time breakpoint ${bp.id} is reached.\n` : `Will ignore next ${bp.ignoreCount} crossings of breakpoint ${bp.id}.\n`);
        return 'stay';
      }
      case 'r': case 'run': case 'start':
        if (s.isRunning) throw new Error('The program is already running (kill it first).');
        this.lastFrameKey = undefined;
        this.host.run();
        return 'stay';
      case 'c': case 'continue': case 'cont': {
        this.needStopped();
        const n = arg ? Number(arg) : 1;
        const bp = s.frames().length && n > 1 ? this.currentBreakpoint() : undefined;
        if (bp) { bp.ignoreCount = n - 1; this.out(`Will ignore next ${n - 1} crossings of breakpoint ${bp.id}.  Continuing.\n`); }
        s.continue();
        return 'resume';
      }
      case 'n': case 'next': this.needStopped(); s.next(); return 'resume';
      case 's': case 'step': this.needStopped(); s.stepIn(); return 'resume';
      case 'si': case 'stepi': this.needStopped(); s.stepInstruction(false); return 'resume';
      case 'ni': case 'nexti': this.needStopped(); s.stepInstruction(true); return 'resume';
      case 'fin': case 'finish': {
        this.needStopped();
        const f = s.selectedFrame();
        if (!f) throw new Error('No stack.');
        if (f.wasm.depth === 0 && !f.inlined) throw new Error('"finish" not meaningful in the outermost frame.');
        this.out(`Run till exit from ${frameLine(s, f, showAddress(f, s.frames()))}\n`);
        s.stepOut();
        return 'resume';
      }
      case 'u': case 'until': case 'advance': {
        this.needStopped();
        if (!arg) { s.until(); return 'resume'; }
        const bp = s.addBreakpoint(arg, { temporary: true });
        if (typeof bp === 'string') throw new Error(bp);
        s.continue();
        return 'resume';
      }
      case 'bt': case 'backtrace': case 'where': {
        this.needStopped();
        const frames = s.frames();
        const limit = arg ? Number(arg) : frames.length;
        for (const f of frames.slice(0, limit)) this.out(frameLine(s, f, showAddress(f, frames)) + '\n');
        if (limit < frames.length) this.out('(More stack frames follow...)\n');
        return 'stay';
      }
      case 'f': case 'frame': return this.selectFrame(arg ? Number(arg) : s.selected);
      case 'up': return this.selectFrame(s.selected + (arg ? Number(arg) : 1));
      case 'down': return this.selectFrame(s.selected - (arg ? Number(arg) : 1));
      case 'i': case 'info': return this.info(arg);
      case 'p': case 'print': case 'call': case 'inspect': return this.print(slash, arg);
      case 'set': {
        const m = /^(?:var|variable)\s+(.*)$/.exec(arg);
        if (!m) throw new Error('usage: set var LVALUE = EXPR');
        this.needStopped();
        s.evaluate(m[1]!);
        return 'stay';
      }
      case 'x': this.needStopped(); this.out(examine(s, slash, arg)); return 'stay';
      case 'l': case 'list': return this.list(arg);
      case 'disassemble': case 'disas': {
        this.needStopped();
        const f = s.selectedFrame();
        if (!f) throw new Error('No frame selected.');
        this.out(disassembleAround(s, f.wasm.funcIndex, f.wasm.pc));
        return 'stay';
      }
      case 'catch': {
        const sys = /^syscall(?:\s+(.*))?$/.exec(arg);
        if (sys) {
          const bp = s.addCatchpoint(sys[1] ? sys[1].trim().split(/\s+/) : []);
          if (typeof bp === 'string') throw new Error(bp);
          this.out(`Catchpoint ${bp.id} (${catchTitle(bp.syscalls!)})\n`);
          return 'stay';
        }
        const m = /^trap(?:\s+(on|off))?$/.exec(arg);
        if (!m) throw new Error('usage: catch trap [on|off] | catch syscall [NAME...]');
        s.catchTraps = m[1] !== 'off';
        this.out(`Stopping at traps is ${s.catchTraps ? 'on' : 'off'}.\n`);
        return 'stay';
      }
      case 'k': case 'kill':
        this.needStopped();
        this.host.kill();
        return 'resume';
      case 'q': case 'quit': return 'quit';
      case 'h': case 'help':
        this.out('Commands: break tbreak delete disable enable condition ignore dprintf watch rwatch awatch run continue next step finish until stepi nexti backtrace frame up down info print set x list disassemble catch kill quit\n');
        this.out('catch syscall [NAME...] stops when those WASI calls (any, without names) return; catch trap on|off.\n');
        return 'stay';
      default:
        this.out(`Undefined command: "${cmd}".  Try "help".\n`);
        return 'stay';
    }
  }

  private ids(arg: string): number[] {
    if (!arg) return [];
    return arg.split(/\s+/).map((x) => {
      if (!/^\d+$/.test(x)) throw new Error(`Convenience variable must have integer value.\nArgs must be numbers or '$' variables.`);
      return Number(x);
    });
  }

  private bp(id: number): Breakpoint {
    const bp = this.session.breakpoint(id);
    if (!bp) throw new Error(`No breakpoint number ${id}.`);
    return bp;
  }

  private currentBreakpoint(): Breakpoint | undefined {
    const pc = this.session.frames()[0]?.wasm.pc;
    return this.session.breakpoints().find((b) => b.locations.some((l) => l.address === pc));
  }

  private breakCmd(arg: string, temporary: boolean): Outcome {
    const s = this.session;
    let spec = arg, condition: string | undefined;
    const m = /^(.*?)\s+if\s+(.*)$/.exec(arg);
    if (m) { spec = m[1]!; condition = m[2]!; }
    if (!spec) {
      const f = s.selectedFrame();
      if (!f) throw new Error('No default breakpoint location now selected.');
      spec = `*${f.wasm.pc}`;
    }
    const bp = s.addBreakpoint(spec, condition !== undefined ? { temporary, condition } : { temporary });
    if (typeof bp === 'string') throw new Error(bp);
    this.announce(bp, temporary ? 'Temporary breakpoint' : 'Breakpoint');
    return 'stay';
  }

  private announce(bp: Breakpoint, what: string): void {
    if (bp.message) this.out(`Note: ${bp.message}.\n`);
    const first = bp.locations[0];
    if (!first) { this.out(`${what} ${bp.id} (${bp.spec}) pending.\n`); return; }
    const row = this.session.lines.rowAt(first.address);
    const where = row && row.line ? `: file ${row.file}, line ${row.line}.` : '.';
    this.out(`${what} ${bp.id} at ${hex(first.address)}${where}${bp.locations.length > 1 ? ` (${bp.locations.length} locations)` : ''}\n`);
  }

  private dprintf(arg: string): Outcome {
    const m = /^([^,]+),\s*"((?:[^"\\]|\\.)*)"\s*(?:,(.*))?$/.exec(arg);
    if (!m) throw new Error('Format string required: dprintf LOCATION,"format",ARGS...');
    const format = JSON.parse(`"${m[2]}"`) as string;
    const args = m[3] ? splitArgs(m[3]) : [];
    const bp = this.session.addBreakpoint(m[1]!.trim(), { log: { format, args } });
    if (typeof bp === 'string') throw new Error(bp);
    this.announce(bp, 'Dprintf');
    return 'stay';
  }

  private selectFrame(n: number): Outcome {
    this.needStopped();
    const s = this.session;
    const frames = s.frames();
    if (!Number.isInteger(n) || n < 0) throw new Error('Bottom (innermost) frame selected; you cannot go down.');
    if (n >= frames.length) throw new Error('Initial frame selected; you cannot go up.');
    s.selected = n;
    const f = frames[n]!;
    this.out(frameLine(s, f, showAddress(f, frames)) + '\n');
    this.out(sourceLine((p) => this.host.readSource(p), f.file, f.line));
    return 'stay';
  }

  private info(arg: string): Outcome {
    const s = this.session;
    const what = arg.split(/\s+/)[0] ?? '';
    if (/^b(reak(points)?)?$|^watch(points)?$/.test(what)) { this.out(breakpointTable(s)); return 'stay'; }
    this.needStopped();
    const f = s.selectedFrame();
    if (!f) throw new Error('No frame selected.');
    const t = s.targetOrNull()!;
    if (what === 'locals' || what === 'args') {
      const vars = frameVariables(s.dwarf, f, what === 'args' ? 'parameter' : 'variable');
      if (vars.length === 0) this.out(what === 'args' ? 'No arguments.\n' : 'No locals.\n');
      for (const v of vars) {
        const val = readVariable(s.dwarf, t, f, v);
        this.out(`${v.name ?? '?'} = ${typeof val === 'string' ? val : s.format(val, 'natural')}\n`);
      }
      return 'stay';
    }
    if (what === 'frame') {
      const frames = s.frames();
      this.out(`Stack level ${f.index}, Wasm function ${f.wasm.funcIndex} (${s.code.funcName(f.wasm.funcIndex)}), pc = ${hex(f.wasm.pc)}${f.file ? ` in ${f.name} (${f.file}:${f.line})` : ''}\n`);
      if (f.inlined) this.out(` inlined into frame ${f.index + 1}\n`);
      if (f.index + 1 < frames.length) this.out(` called by frame at level ${f.index + 1}\n`);
      if (f.index > 0) this.out(` caller of frame at level ${f.index - 1}\n`);
      this.out(` Wasm frame ${f.wasmIndex} (machine depth ${f.wasm.depth}), ${f.wasm.localTypes.length} locals\n`);
      return 'stay';
    }
    if (what === 'registers' || what === 'reg' || what === 'all-registers') {
      const wf = f.wasm;
      this.out(`pc             ${hex(wf.pc)}\n`);
      wf.localTypes.forEach((type, i) => this.out(`${`$local${i}`.padEnd(15)}${type.padEnd(5)}${String(wf.local(i))}\n`));
      wf.stack().forEach((e, i) => this.out(`${`$stack${i}`.padEnd(15)}${e.type.padEnd(5)}${String(e.value)}\n`));
      for (let i = 0; i < t.globalCount(); i++) { const g = t.global(i)!; this.out(`${`$global${i}`.padEnd(15)}${g.type.padEnd(5)}${String(g.value)}\n`); }
      return 'stay';
    }
    throw new Error(`Undefined info command: "${arg}".  Try "help info".`);
  }

  private print(slash: string | undefined, arg: string): Outcome {
    this.needStopped();
    const fmt = (slash ? slash.slice(1) : '') as string;
    const formats: Record<string, Format> = { '': 'natural', x: 'x', d: 'd', c: 'c', t: 't', o: 'o', u: 'u' };
    const f = formats[fmt];
    if (f === undefined) throw new Error(`Undefined output format "${fmt}".`);
    if (!arg) throw new Error('Argument required (expression to compute).');
    const v = this.session.evaluate(arg);
    this.out(`$${++this.history} = ${this.session.format(v, f)}\n`);
    return 'stay';
  }

  private list(arg: string): Outcome {
    const s = this.session;
    let file: string | undefined, first: number | undefined;
    if (arg) {
      const m = /^(?:(.+):)?(\d+)$/.exec(arg);
      if (m) { file = m[1] ?? this.listNext?.file ?? s.selectedFrame()?.file; first = Math.max(1, Number(m[2]) - 5); }
      else {
        const bp = s.addBreakpoint(arg, { temporary: true });
        if (typeof bp === 'string') throw new Error(bp);
        s.deleteBreakpoint(bp.id);
        const row = bp.locations[0] ? s.lines.rowAt(bp.locations[0].address) : undefined;
        if (!row) throw new Error(`Function "${arg}" not defined.`);
        file = row.file; first = Math.max(1, row.line - 5);
      }
    } else if (this.listNext) { file = this.listNext.file; first = this.listNext.line; }
    if (file === undefined || first === undefined) throw new Error('No default source file; use list FILE:LINE.');
    const lines = this.host.readSource(file);
    if (!lines) throw new Error(`${file}: No such file or directory.`);
    if (first > lines.length) throw new Error(`Line number ${first} out of range; "${file}" has ${lines.length} lines.`);
    const last = Math.min(lines.length, first + 9);
    for (let n = first; n <= last; n++) this.out(`${n}\t${lines[n - 1]}\n`);
    this.listNext = { file, line: last + 1 };
    return 'stay';
  }
}

/** Splits dprintf arguments at top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export { breakpointWhat };
