/**
 * `wasmflip run FILE.wasm --invoke NAME [ARGS...]`: instantiates a module and
 * calls one export, printing each result on its own line (format.ts).
 *
 * Invariant: whatever goes wrong (a malformed or invalid module, a missing
 * import or export, bad arguments, a trap) ends in exactly one line on
 * stderr saying what and where, and a non-zero exit code: 1 when the program
 * failed, 2 when the command line was wrong. Never a stack trace.
 */
import { createAotDeoptEngine, createAotEngine, engines, findEngine, type EngineInstance, type SpecEngine } from '../../spectest/index.js';
import { LEVELS, MODES, PRESETS, resolveSettings } from '../../api/levels.js';
import type { InstantiateOptions } from '../../api/instance.js';
import type { CliCommand, CliIO } from '../command.js';
import { readInvocation, type Invocation } from '../args.js';
import { ArgumentError, formatValue, parseValue } from '../format.js';
import { listNames, oneLine, readInput } from '../report.js';
import { createWasiHost, WasiError, WasiExit } from '../../wasi/index.js';

interface RunArgs extends Invocation {
  engine: string | undefined;
  mode: string | undefined;
  level: string | undefined;
  preset: string | undefined;
  onTrap: string | undefined;
  deoptEvery: string | undefined;
}

export const command: CliCommand = {
  name: 'run',
  summary: 'instantiate a module and call an export, printing its results',
  usage: [
    'usage: wasmflip run FILE.wasm --invoke NAME [ARGS...] [--engine ENGINE] [--mode MODE] [--level LEVEL | --preset PRESET]',
    '                    [--on-trap throw|flip] [--deopt-every N] [-- PROGRAM-ARGS...]',
    'ARGS are parsed by the export\'s parameter types: integers in decimal or 0x-hex (negative allowed),',
    'floats as decimals, inf, -inf, nan, nan:0xPAYLOAD, -0; i64 beyond 2^53 is exact.',
    'Results print one per line; a NaN prints with its bit pattern (nan:0x7fc00000).',
    'Without --invoke, a WASI command module\'s _start runs (PROGRAM-ARGS become its argv).',
    'MODE: native (compiled to JavaScript, the default), native-debug (compiled with checkpoints that can flip into the',
    'interpreter) or debug (the reference interpreter). ENGINE names the tier directly: aot or interp.',
    `LEVEL: ${LEVELS.join(', ')} (the mode follows from it); PRESET: ${PRESETS.join(', ')}.`,
    '--on-trap flip: a trap in native mode switches the instance to native-debug for the calls that follow.',
    '--deopt-every N (stress testing): compiled code with deopt checkpoints, every Nth one reached deopts into the interpreter.',
    'A trap, a link error or a bad module exits 1; a wrong command line exits 2; a WASI proc_exit, its code.',
  ].join('\n'),
  run(args, io) {
    return runCommand(parseArgs(args), io);
  },
};

function parseArgs(args: readonly string[]): RunArgs {
  let engine: string | undefined, mode: string | undefined, deoptEvery: string | undefined;
  let level: string | undefined, preset: string | undefined, onTrap: string | undefined;
  const inv = readInvocation(args, {
    '--engine': (v) => { engine = v; }, '--mode': (v) => { mode = v; }, '--deopt-every': (v) => { deoptEvery = v; },
    '--level': (v) => { level = v; }, '--preset': (v) => { preset = v; }, '--on-trap': (v) => { onTrap = v; },
  }, 'arguments go after --invoke NAME');
  return { ...inv, engine, mode, level, preset, onTrap, deoptEvery };
}

/** The engine for --engine / --mode; a string is a one-line error (exit 2). */
function pickEngine(r: RunArgs): SpecEngine | string {
  if (r.mode !== undefined && !(MODES as readonly string[]).includes(r.mode)) return `unknown mode ${JSON.stringify(r.mode)} (modes: ${MODES.join(', ')})`;
  let options: InstantiateOptions;
  try {
    const o = { mode: r.mode, level: r.level, preset: r.preset, onTrap: r.onTrap };
    resolveSettings(o); // says what is wrong with a level, preset or trap policy
    options = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as InstantiateOptions;
  } catch (e) {
    return (e as Error).message;
  }
  if (r.deoptEvery !== undefined) {
    const n = Number(r.deoptEvery);
    if (!/^\d+$/.test(r.deoptEvery) || !Number.isSafeInteger(n) || n < 1) return `--deopt-every takes a positive integer, got ${JSON.stringify(r.deoptEvery)}`;
    if (r.mode === 'debug' || (r.engine !== undefined && r.engine !== 'aot' && r.engine !== 'aot-deopt')) return '--deopt-every needs compiled code (--mode native, --engine aot or aot-deopt)';
    return createAotDeoptEngine(n);
  }
  const tuned = r.level !== undefined || r.preset !== undefined || r.onTrap !== undefined || r.mode === 'native-debug';
  if (tuned) {
    if (r.engine !== undefined && r.engine !== 'aot') return `--mode, --level, --preset and --on-trap choose the AOT runtime's settings; they cannot be combined with --engine ${r.engine}`;
    return createAotEngine(options);
  }
  // native (the default) runs compiled code; debug runs the interpreter.
  const name = r.engine ?? (r.mode === 'debug' ? 'interp' : 'aot');
  const entry = findEngine(name);
  if (entry === undefined) return `unknown engine ${JSON.stringify(name)} (engines: ${engines().map((e) => e.name).join(', ')})`;
  if (r.mode === 'debug' && entry.name !== 'interp') return `--mode debug runs the interpreter; it cannot be combined with --engine ${name}`;
  return entry.create();
}

function runCommand(r: RunArgs, io: CliIO): number {
  const fail = (code: number, msg: string): number => {
    io.err(`wasmflip run: ${oneLine(msg)}\n`);
    return code;
  };
  const engine = pickEngine(r);
  if (typeof engine === 'string') return fail(2, engine);
  const bytes = readInput(io, r.file);
  const describe = (e: unknown): string => {
    if (e instanceof WasiError) return e.message;
    const c = engine.classify(e);
    if (c === undefined) throw e; // not a Wasm error: main reports it as an internal error
    const what = { malformed: 'malformed module', invalid: 'invalid module', unlinkable: 'link error', trap: 'trap', exhaustion: 'trap', unsupported: 'not supported' }[c.kind];
    return `${what}: ${c.message}`;
  };
  let compiled: unknown;
  try {
    compiled = engine.compile(bytes);
  } catch (e) {
    return fail(1, `${r.file}: ${describe(e)}`);
  }
  // WASI preview1 is offered to every module; it answers only `wasi_snapshot_preview1` imports.
  const wasi = createWasiHost({ args: [r.file, ...r.programArgs], io });
  let inst: EngineInstance;
  try {
    inst = engine.instantiate(compiled, (m, n) => wasi.resolve(m, n));
    wasi.bind(inst);
  } catch (e) {
    wasi.flush();
    if (e instanceof WasiExit) return e.code;
    return fail(1, `${r.file}: ${describe(e)}`);
  }
  const name = r.invoke ?? (inst.funcType('_start') !== undefined ? '_start' : undefined);
  const exports = listNames(inst.exportList().filter((x) => x.kind === 'func').map((x) => x.name));
  if (name === undefined) return fail(2, `nothing to run: give --invoke NAME (exported functions: ${exports})`);
  const type = inst.funcType(name);
  if (type === undefined) {
    const other = inst.exportList().find((x) => x.name === name);
    const what = other ? `exports ${JSON.stringify(name)} as a ${other.kind}, not a function` : `has no exported function ${JSON.stringify(name)}`;
    return fail(2, `${r.file} ${what} (exported functions: ${exports})`);
  }
  if (r.values.length !== type.params.length) {
    return fail(2, `${JSON.stringify(name)} takes ${type.params.length} argument${type.params.length === 1 ? '' : 's'} (${type.params.join(', ') || 'none'}), got ${r.values.length}`);
  }
  let args: unknown[];
  try {
    args = r.values.map((v, i) => parseValue(type.params[i]!, v));
  } catch (e) {
    if (e instanceof ArgumentError) return fail(2, `argument of ${JSON.stringify(name)}: ${e.message}`);
    throw e;
  }
  let results: unknown[];
  try {
    results = inst.invoke(name, args);
  } catch (e) {
    wasi.flush();
    if (e instanceof WasiExit) return e.code;
    return fail(1, `${describe(e)} (calling ${JSON.stringify(name)})`);
  }
  wasi.flush();
  results.forEach((v, i) => io.out(formatValue(type.results[i]!, v) + '\n'));
  return 0;
}
