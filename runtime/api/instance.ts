/**
 * A wasmflip instance: the interpreter's Instance (the state both tiers
 * share: memories, tables, globals, the function index space) plus the
 * compiled code loaded against it, and the current mode.
 *
 * Modes (DESIGN.md "Modes"): `native` sets each defined function's
 * `compiled` entry, so every call (from the host, from the interpreter, from
 * another instance) runs the compiled code; `debug` clears them, so every
 * call runs in the interpreter. Switching copies nothing (invariant 5) and
 * takes effect at the next call. A trap in native mode names the function
 * and instruction, and the C file and line when the module has DWARF.
 */
import { instantiate as instantiateState, type ExternVal, type ImportObject, type ImportResolver, type Instance, type WasmFunc } from '../../interpreter/index.js';
import { callFunc, loadCompiled, type LoadedCode } from '../../compiler/index.js';
import type { WasmflipModule } from './module.js';
import { Global, Memory, Table, unwrap, wrapFunc } from './wrappers.js';
import { DeoptEntry } from './deopt-entry.js';

export type Mode = 'native' | 'debug';

export interface InstantiateOptions {
  /** Which tier runs calls (default `native`; `debug` is the interpreter). */
  readonly mode?: Mode;
  /**
   * Stress mode for deopt (issue 6): native code compiled with checkpoints,
   * and every Nth checkpoint reached deopts the running compiled frames into
   * the interpreter, which finishes the call (deopt-entry.ts). Default off.
   */
  readonly deoptEvery?: number;
}

export class WasmflipInstance {
  readonly exports: Readonly<Record<string, unknown>>;
  #mode: Mode = 'debug';
  #code: LoadedCode | undefined;
  readonly #deoptEvery: number;
  /** The deopt entry of checkpointed code (with `deoptEvery`), once loaded. */
  deopt: DeoptEntry | undefined;

  constructor(readonly module: WasmflipModule, readonly state: Instance, mode: Mode, deoptEvery = 0) {
    if (!(Number.isInteger(deoptEvery) && deoptEvery >= 0)) throw new TypeError(`deoptEvery must be a non-negative integer, got ${String(deoptEvery)}`);
    this.#deoptEvery = deoptEvery;
    this.exports = exportsObject(state);
    this.mode = mode;
  }

  get mode(): Mode {
    return this.#mode;
  }

  /** Switches tier for the calls that follow (loading the compiled code on first use of native). */
  set mode(mode: Mode) {
    if (mode !== 'native' && mode !== 'debug') throw new TypeError(`unknown mode ${JSON.stringify(mode)} (modes: native, debug)`);
    if (mode === 'native') this.#code ??= this.#load();
    for (const f of this.state.funcs) {
      if (f.kind !== 'wasm' || f.instance !== this.state) continue;
      (f as WasmFunc).compiled = mode === 'native' ? this.#code!.C[f.index] : undefined;
    }
    this.#mode = mode;
  }

  #load(): LoadedCode {
    const describe = (off: number): string | undefined => this.module.sourcePosition(off);
    if (this.#deoptEvery === 0) return loadCompiled(this.module.code, this.state, this.module.lineOffsets, describe);
    const c = this.module.checkpointed;
    this.deopt = new DeoptEntry(c.frameMaps!, this.state, this.#deoptEvery);
    return loadCompiled(c.js, this.state, c.lineOffsets, describe, { ...this.deopt.env() });
  }
}

/** The `exports` object: functions as JS functions, memories/tables/globals as JS API objects. */
function exportsObject(state: Instance): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [name, ev] of state.exports) out[name] = wrapExtern(ev);
  return Object.freeze(out);
}

function wrapExtern(ev: ExternVal): unknown {
  switch (ev.kind) {
    case 'func': return wrapFunc(ev.value);
    case 'memory': return new Memory(ev.value);
    case 'table': return new Table(ev.value);
    case 'global': return new Global(ev.value);
  }
}

/** Import values as given by host JS (wrappers, plain functions, numbers) or by a resolver, unwrapped to store objects. */
function resolver(imports: ImportObject | ImportResolver | undefined): ImportResolver {
  if (imports === undefined) return () => undefined;
  if (typeof imports === 'function') return (m, n) => unwrap(imports(m, n));
  return (m, n) => {
    const ns = imports[m];
    return ns !== undefined && Object.prototype.hasOwnProperty.call(ns, n) ? unwrap(ns[n]) : undefined;
  };
}

/** Links, initialises (segments) and runs the start function in the chosen tier. */
export function instantiateModule(module: WasmflipModule, imports?: ImportObject | ImportResolver, options: InstantiateOptions = {}): WasmflipInstance {
  const state = instantiateState(module.module, resolver(imports), { runStart: false });
  const instance = new WasmflipInstance(module, state, options.mode ?? 'native', options.deoptEvery ?? 0);
  const start = module.module.start;
  if (start !== null) callFunc(state.funcs[start]!, []);
  return instance;
}
