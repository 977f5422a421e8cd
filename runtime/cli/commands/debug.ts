/**
 * `wasmflip debug FILE.wasm [--invoke NAME ARGS... | -- PROGRAM-ARGS...]
 * [--mode native-debug|debug] [--level LEVEL] [--source-dir DIR] [--batch FILE]`:
 * the command-line debugger. The program runs with WASI in native-debug mode
 * (compiled code that deopts into the interpreter at breakpoints, steps and
 * traps) or, with `--mode debug`, wholly in the interpreter; the two show the
 * same stops and values. The gdb-style console (debug/console) reads commands
 * before the run and at every stop.
 *
 * A stopped program blocks its thread (DESIGN.md), so input is read
 * synchronously: from the --batch file, or from stdin with fs.readSync.
 * In batch mode each command is echoed after the prompt, so a transcript is
 * exactly what an interactive session shows.
 *
 * Invariant: a wrong command prints one error line and the session goes on;
 * the end of input (or `quit`) ends the session, killing a stopped program.
 */
import { readSync } from 'node:fs';
import { dirname, isAbsolute, join, basename } from 'node:path';
import { decode, validate, DecodeError, ValidationError, Trap, Exhaustion, type Module } from '../../../interpreter/index.js';
import { WasmflipModule } from '../../api/module.js';
import { LEVELS, levelAtLeast, parseLevel, type Level } from '../../api/levels.js';
import { DebugConsole, DebugSession, SessionEnd, dwarfFromModule, type Dwarf } from '../../../debug/index.js';
import { InterpreterTarget } from '../../debug-target.js';
import { callProgram, prepareProgram } from '../../program.js';
import { createWasiHost, observeReturns, WasiError, WasiExit } from '../../wasi/index.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { readInvocation, type Invocation } from '../args.js';
import { formatValue } from '../format.js';
import { CommandFailure, describeWasmError, listNames, oneLine, readInput } from '../report.js';

const PROMPT = '(wasmflip) ';

interface DebugArgs extends Invocation {
  sourceDirs: string[];
  batch: string | undefined;
  mode: 'native-debug' | 'debug';
  level: Level;
}

export const command: CliCommand = {
  name: 'debug',
  summary: 'debug a module in the interpreter with gdb-style commands',
  usage: [
    'usage: wasmflip debug FILE.wasm [--invoke NAME ARGS... | -- PROGRAM-ARGS...] [--mode native-debug|debug] [--level LEVEL]',
    '                      [--source-dir DIR] [--batch FILE]',
    '--mode native-debug (the default) runs compiled code that flips into the interpreter at breakpoints, steps and traps;',
    `--mode debug runs everything in the interpreter. --level (${LEVELS.join(', ')}; default modify) limits what the session may do.`,
    'Commands: break FILE:LINE|FUNCTION|*OFFSET [if EXPR], tbreak, delete, disable, enable, condition, ignore,',
    'dprintf LOCATION,"fmt",ARGS, watch/rwatch/awatch EXPR, run, continue, next, step, finish, until, stepi, nexti,',
    'backtrace, frame N, up, down, info locals|args|frame|breakpoints|registers, print[/x|/d|/c|/t] EXPR,',
    'set var LVALUE = EXPR, x/NFU ADDR, list, disassemble, catch trap on|off, catch syscall [NAME...] (stops when',
    'those WASI calls return; without names, any), kill, quit.',
    'Addresses (*OFFSET, pc) are code offsets, as DWARF uses them. Expressions: C or JavaScript syntax over',
    'source variables, plus $localN, $globalN, $stackN, $sp, $pc and $i32(ADDR)-style memory reads.',
    '--batch FILE runs the commands in FILE, echoing each after the prompt.',
  ].join('\n'),
  run(args, io) {
    return debugCommand(parseArgs(args), io);
  },
};

function parseArgs(args: readonly string[]): DebugArgs {
  const sourceDirs: string[] = [];
  let batch: string | undefined;
  let mode: DebugArgs['mode'] = 'native-debug';
  let level: Level = 'modify';
  const inv = readInvocation(args, {
    '--source-dir': (v) => { sourceDirs.push(v); },
    '--batch': (v) => { batch = v; },
    '--mode': (v) => {
      if (v !== 'native-debug' && v !== 'debug') throw new UsageError(`--mode must be native-debug or debug for the debugger, got ${JSON.stringify(v)}`);
      mode = v;
    },
    '--level': (v) => {
      try { level = parseLevel(v); } catch (e) { throw new UsageError((e as Error).message); }
      if (!levelAtLeast(level, 'inspection')) throw new UsageError('--level static offers no debugging (use wasmflip run, or addr2line)');
    },
  }, 'program arguments go after --');
  return { ...inv, sourceDirs, batch, mode, level };
}

/** Thrown out of a stop to abandon the program (kill, quit, end of input). */
class Abandon extends SessionEnd {
  constructor(readonly quit: boolean) { super(quit ? 'quit' : 'killed'); }
}

/** Command lines from the --batch file or from stdin (synchronously). */
function lineSource(io: CliIO, batch: string | undefined): () => string | null {
  if (batch !== undefined) {
    const lines = new TextDecoder().decode(readInput(io, batch)).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let k = 0;
    return () => {
      if (k >= lines.length) return null;
      const line = lines[k++]!;
      io.out(PROMPT + line + '\n');
      return line;
    };
  }
  let pending = '';
  const buf = Buffer.alloc(4096);
  return () => {
    io.out(PROMPT);
    for (;;) {
      const nl = pending.indexOf('\n');
      if (nl >= 0) { const line = pending.slice(0, nl); pending = pending.slice(nl + 1); return line; }
      let n: number;
      try { n = readSync(0, buf, 0, buf.length, null); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        n = 0;
      }
      if (n === 0) { if (pending) { const line = pending; pending = ''; return line; } io.out('\n'); return null; }
      pending += buf.subarray(0, n).toString('utf8');
    }
  };
}

function sourceReader(io: CliIO, wasmFile: string, dirs: readonly string[]): (file: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  const roots = [...dirs, dirname(wasmFile), '.'];
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    const candidates = isAbsolute(file) ? [file, ...roots.map((d) => join(d, basename(file)))] : [...roots.map((d) => join(d, file)), ...roots.map((d) => join(d, basename(file)))];
    let found: string[] | undefined;
    for (const c of candidates) {
      try { found = new TextDecoder().decode(io.readFile(c)).split('\n'); break; } catch { /* try the next place */ }
    }
    cache.set(file, found);
    return found;
  };
}

function debugCommand(r: DebugArgs, io: CliIO): number {
  const bytes = readInput(io, r.file);
  let module: Module;
  try { module = decode(bytes); validate(module); } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) throw new CommandFailure(`${r.file}: ${describeWasmError(e)}`);
    throw e;
  }
  const next = lineSource(io, r.batch);
  const dwarf: Dwarf = dwarfFromModule(module).dwarf;
  const readSource = sourceReader(io, r.file, r.sourceDirs);
  let killed = false;
  let dbg!: DebugConsole;
  /** Reads and runs commands until one resumes the program (nested: at a stop) or input ends. */
  const loop = (nested: boolean): void => {
    for (;;) {
      const line = next();
      if (line === null) { if (nested) throw new Abandon(true); return; }
      const outcome = dbg.execute(line);
      if (outcome === 'quit') { if (nested) throw new Abandon(true); throw new Abandon(true); }
      if (killed) { killed = false; throw new Abandon(false); }
      if (outcome === 'resume' && nested) return;
    }
  };
  const session = new DebugSession(module, dwarf, {
    stopped: (e) => { dbg.describeStop(e); loop(true); },
    output: (t) => io.out(t),
  }, { hasSource: (f) => f !== undefined && readSource(f) !== undefined, level: r.level });
  dbg = new DebugConsole(session, {
    out: (t) => io.out(t),
    readSource,
    kill: () => { killed = true; },
    run: () => runProgram(r, bytes, module, session, io),
  });
  if (dwarf.units().length === 0) io.out(`(no debugging symbols found in ${r.file}: Wasm-level debugging only)\n`);
  try {
    loop(false);
  } catch (e) {
    if (!(e instanceof Abandon)) throw e;
  }
  return 0;
}

/** Instantiates with WASI in the chosen mode, attaches the interpreter target and runs the program to its end. */
function runProgram(r: DebugArgs, bytes: Uint8Array, module: Module, session: DebugSession, io: CliIO): void {
  // The host's stdio are terminals (line-buffered in wasi-libc), so the program's output interleaves with the debugger's.
  // Every WASI return is told to the session, for `catch syscall`.
  const wasi = observeReturns(createWasiHost({ args: [r.file, ...r.programArgs], io, stdin: () => new Uint8Array(0) }), (name) => session.syscallReturned(name));
  const prepared = prepareProgram(new WasmflipModule(bytes, module), wasi, { mode: r.mode, level: r.level }, r.invoke, r.values);
  if (!prepared.ok) {
    if (prepared.why === 'start') io.out(`cannot start the program: ${oneLine(prepared.message)}\n`);
    else if (prepared.why === 'args') io.out(`${prepared.message}\n`);
    else io.out(prepared.name === undefined ? `nothing to run: give --invoke NAME (exported functions: ${listNames(prepared.functions)})\n` : `no exported function ${JSON.stringify(prepared.name)}\n`);
    return;
  }
  const { program } = prepared;
  const { name, type } = program;
  const target = new InterpreterTarget(program.instance.state, program.instance.nativeDebug);
  target.install();
  session.attach(target);
  try {
    const results = callProgram(program);
    wasi.flush();
    if (results.length) io.out(`[${name} returned ${results.map((v, i) => formatValue(type.results[i]!, v)).join(', ')}]\n`);
    else io.out(`[program exited normally]\n`);
  } catch (e) {
    wasi.flush();
    if (e instanceof WasiExit) io.out(e.code === 0 ? '[program exited normally]\n' : `[program exited with code ${e.code}]\n`);
    else if (e instanceof Trap || e instanceof Exhaustion) io.out(`[program terminated by trap: ${oneLine(e.message)}]\n`);
    else if (e instanceof WasiError) io.out(`[program stopped: ${oneLine(e.message)}]\n`);
    else if (e instanceof Abandon) { io.out('[program killed]\n'); if (e.quit) throw e; }
    else throw e;
  } finally {
    session.detach();
    target.uninstall();
  }
}
