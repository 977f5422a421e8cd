/**
 * Differential fuzzing of the tiers against V8's own WebAssembly: random
 * valid modules from binaryen's translate-to-fuzz (`wasm-opt -ttf` over
 * seeded bytes: the same seed gives the same module for a given binaryen),
 * run by each engine from a fresh instance, each export called in order
 * with zero arguments, recording what the program shows the outside: the
 * values it logs through its imports, every result or trap, then the
 * exported globals and a hash of memory. Engines must record the same.
 *
 * The modules come with binaryen's hang limit (a global every loop and call
 * counts down, trapping at zero), so every call ends. Their imports are
 * binaryen's fuzzing-support functions: logs, calls back into exports and
 * into function references (here with a budget: a module can otherwise
 * recurse through the host without end), reads and writes of its exported
 * table, and sleep. Function references cross as JS functions, called with
 * as many zeros as their `length`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decode, type Module } from '../../interpreter/index.js';
import { instantiateSync } from '../../runtime/api/api.js';
import type { InstantiateOptions } from '../../runtime/api/instance-core.js';

// The project's lib settings (ES2023, no DOM) do not declare WebAssembly; this is the part used.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  RuntimeError: new () => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** The WebAssembly 2.0 features wasmflip runs, as wasm-opt flags (no SIMD). */
const FEATURES = ['--enable-sign-ext', '--enable-nontrapping-float-to-int', '--enable-bulk-memory', '--enable-multivalue', '--enable-mutable-globals', '--enable-reference-types'];

const WASM_OPT = join(dirname(createRequire(import.meta.url).resolve('binaryen')), 'bin', 'wasm-opt');

/** The module binaryen makes of seed `seed`'s bytes (xorshift32). */
export function fuzzModule(seed: number): Uint8Array {
  let s = Math.imul(seed, 2654435761) >>> 0 || 1;
  const input = new Uint8Array(6000);
  for (let i = 0; i < input.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    input[i] = s & 255;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wasmflip-fuzz-'));
  try {
    writeFileSync(join(dir, 'in.dat'), input);
    execFileSync(process.execPath, [WASM_OPT, join(dir, 'in.dat'), '-ttf', ...FEATURES, '-o', join(dir, 'out.wasm')], { stdio: 'ignore' });
    return new Uint8Array(readFileSync(join(dir, 'out.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Engine = 'v8' | { readonly name: string; readonly options: InstantiateOptions };

/** A value as the record shows it: NaNs alike (their payloads may differ between conforming engines), -0 apart from 0, references by kind. */
function show(v: unknown): string {
  if (typeof v === 'function') return 'function';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  return String(v);
}

function zeroArgs(m: Module, funcIndex: number): unknown[] {
  return m.types[m.funcTypes[funcIndex]!]!.params.map((t) => (t === 'i64' ? 0n : t === 'funcref' || t === 'externref' ? null : 0));
}

/** The fuzzing-support `-catch` imports' answer: 1 when `run` throws, else 0. */
function failed(run: () => unknown): number {
  try {
    run();
    return 0;
  } catch {
    return 1;
  }
}

/** What `engine` shows running `bytes`: one line per event. A trap is `trap` (V8's messages differ from the spec's). */
export function record(bytes: Uint8Array, engine: Engine): string[] {
  const m = decode(bytes);
  const funcs = m.exports.filter((e) => e.kind === 'func');
  const log: string[] = [];
  let exports: Record<string, unknown> = {};
  let budget = 200;
  const spend = (): void => {
    if (--budget < 0) throw new Error('fuzz harness: host call budget spent');
  };
  const callRef = (f: unknown): unknown => {
    spend();
    if (typeof f !== 'function') throw new Error('fuzz harness: a null function reference');
    return (f as (...a: unknown[]) => unknown)(...new Array<number>(f.length).fill(0));
  };
  const table = (): { get(i: number): unknown; set(i: number, v: unknown): void } => exports['table'] as never;
  const callExport = (i: number): unknown => {
    spend();
    const e = funcs[i];
    if (e === undefined) throw new Error(`fuzz harness: no export ${i}`);
    return (exports[e.name] as (...a: unknown[]) => unknown)(...zeroArgs(m, e.index));
  };
  const imports = {
    'fuzzing-support': {
      'log-i32': (x: unknown) => void log.push(`log i32 ${show(x)}`),
      'log-i64': (x: unknown) => void log.push(`log i64 ${show(x)}`),
      'log-f32': (x: unknown) => void log.push(`log f32 ${show(x)}`),
      'log-f64': (x: unknown) => void log.push(`log f64 ${show(x)}`),
      'call-export': (i: number) => void callExport(i),
      'call-export-catch': (i: number) => failed(() => callExport(i)),
      sleep: (_ms: number, id: number) => id,
      'table-get': (i: number) => table().get(i >>> 0),
      'table-set': (i: number, f: unknown) => table().set(i >>> 0, f),
      'call-ref': (f: unknown) => void callRef(f),
      'call-ref-catch': (f: unknown) => failed(() => callRef(f)),
    },
  };
  try {
    exports = engine === 'v8'
      ? new wasm.Instance(new wasm.Module(bytes), imports).exports
      : (instantiateSync(bytes, imports, engine.options).instance.exports as Record<string, unknown>);
  } catch (e) {
    return [`instantiate: ${e instanceof wasm.RuntimeError || (e instanceof Error && e.name === 'Trap') ? 'trap' : String(e)}`];
  }
  for (const e of funcs) {
    log.push(`call ${e.name}`);
    try {
      log.push(`=> ${show((exports[e.name] as (...a: unknown[]) => unknown)(...zeroArgs(m, e.index)))}`);
    } catch {
      log.push('trap');
    }
  }
  for (const e of m.exports) {
    if (e.kind === 'global') log.push(`global ${e.name} ${show((exports[e.name] as { value: unknown }).value)}`);
    if (e.kind === 'memory') {
      const b = new Uint8Array((exports[e.name] as { buffer: ArrayBuffer }).buffer);
      let h = 0x811c9dc5;
      for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 16777619);
      log.push(`memory ${e.name} ${b.length} bytes, hash ${h >>> 0}`);
    }
  }
  return log;
}

/** The first line where `b` differs from `a`, with both sides, or null. */
export function firstDifference(a: readonly string[], b: readonly string[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i}: ${a[i] ?? '(end)'} | ${b[i] ?? '(end)'}`;
  }
  return null;
}
