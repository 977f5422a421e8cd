/**
 * A wasmflip instance (without native-debug wired in: instance.ts adds it): the interpreter's Instance (the state both tiers
 * share: memories, tables, globals, the function index space) plus the
 * compiled code loaded against it, and the current mode.
 *
 * Modes (DESIGN.md "Modes"): `native` sets each defined function's
 * `compiled` entry to the plain compiled code, so every call (from the host,
 * the interpreter, another instance) runs it; `native-debug` sets them to the
 * code compiled with checkpoints, routed by NativeDebug (native-debug.ts:
 * functions with breakpoints run interpreted, running frames deopt on
 * request); `debug` clears them, so every call runs in the interpreter.
 * Switching copies nothing (invariant 5): new calls take the new tier at
 * once, native-debug frames already running switch at their next
 * checkpoint, interpreted frames finish interpreted.
 *
 * A trap in native mode names the function and instruction, and the C file
 * and line when the module has DWARF; with `onTrap: 'flip'` it also switches
 * the instance to native-debug for the calls that follow.
 */
import { instantiateState, Trap, type ExternVal, type ImportObject, type ImportResolver, type Instance, type Module, type WasmFunc } from '../../interpreter/core.js';
import { callFunc, loadCompiled, ownFactory, type CheckpointKind, type LoadedCode } from '../../compiler/native.js';
import type { WasmflipModule } from './module.js';
import { Global, Memory, Table, hostAdapter, unwrap, wrapFunc } from './wrappers.js';
import type { DeoptEntry } from './deopt-entry.js';
import type { NativeDebug } from './native-debug.js';
import { parseMode, resolveSettings, type Level, type Mode, type OnTrap, type Preset } from './levels.js';

export type { Mode } from './levels.js';

export interface InstantiateOptions {
  /** Which tier runs calls (default: the level's or preset's mode, else `native`). */
  readonly mode?: Mode;
  /** The debug support the instance offers (levels.ts; default `control`). */
  readonly level?: Level;
  /** A named bundle of level, mode and trap policy (levels.ts PRESET_INFO). */
  readonly preset?: Preset;
  /** `flip`: a trap in native mode switches the instance to native-debug for the calls that follow. */
  readonly onTrap?: OnTrap;
  /**
   * Stress mode for deopt (issue 6): compiled code with checkpoints, and
   * every Nth checkpoint reached deopts the running compiled frames into the
   * interpreter, which finishes the call (deopt-entry.ts). Implies
   * native-debug's code in place of native's. Default off.
   */
  readonly deoptEvery?: number;
  /**
   * native-debug's flag array (`flagWords(module)` Int32 words over a
   * SharedArrayBuffer), when another thread must be able to interrupt
   * compiled code from the start: it stores 3 into word 0 (remote debugging).
   */
  readonly deoptFlag?: Int32Array;
}

/** How many Int32 words native-debug's flag array has for a module (word 0 and one per function). */
export function flagWords(module: { funcTypes: readonly unknown[] }): number {
  return 1 + module.funcTypes.length;
}

/** What native-debug.ts's loader needs to compile, load and route checkpointed code for an instance. */
export interface NativeDebugRequest {
  readonly module: WasmflipModule;
  readonly state: Instance;
  readonly kind: CheckpointKind;
  readonly every: number;
  readonly flag: Int32Array | undefined;
  readonly describe: (offset: number) => string | undefined;
}

let nativeDebugLoader: ((r: NativeDebugRequest) => NativeDebug) | undefined;

/** Wires in native-debug mode (instance.ts); the `static` entry point leaves it out. */
export function enableNativeDebug(loader: (r: NativeDebugRequest) => NativeDebug): void {
  nativeDebugLoader = loader;
}

/** A trap that left compiled code, as `onTrap` saw it. */
export interface TrapRecord {
  readonly error: Error;
  /** The mode the instance was in when it trapped. */
  readonly mode: Mode;
}

export class WasmflipInstance {
  readonly exports: Readonly<Record<string, unknown>>;
  readonly level: Level;
  readonly preset: Preset | undefined;
  readonly onTrap: OnTrap;
  #mode: Mode = 'debug';
  #native: LoadedCode | undefined;
  #nativeDebug: NativeDebug | undefined;
  /** Growths of memory 0 seen since compiled code was first loaded (see #grown). */
  #growths = 0;
  #watchingGrowth = false;
  readonly #deoptEvery: number;
  readonly #deoptFlag: Int32Array | undefined;
  /** Traps that left the instance's code (newest last; at most 16 kept). */
  readonly traps: TrapRecord[] = [];

  constructor(readonly module: WasmflipModule, readonly state: Instance, options: InstantiateOptions = {}) {
    const deoptEvery = options.deoptEvery ?? 0;
    if (!(Number.isInteger(deoptEvery) && deoptEvery >= 0)) throw new TypeError(`deoptEvery must be a non-negative integer, got ${String(deoptEvery)}`);
    const settings = resolveSettings(options);
    this.level = settings.level;
    this.preset = settings.preset;
    this.onTrap = settings.onTrap;
    this.#deoptEvery = deoptEvery;
    this.#deoptFlag = options.deoptFlag;
    this.exports = exportsObject(state);
    this.mode = deoptEvery > 0 && settings.mode !== 'debug' ? 'native-debug' : settings.mode;
  }

  get mode(): Mode {
    return this.#mode;
  }

  /** Switches tier for the calls that follow (loading the code a compiled mode needs on first use). */
  set mode(value: Mode) {
    const mode = parseMode(value);
    const wasDebugging = this.#mode === 'native-debug';
    if (mode === 'native-debug') {
      this.#nativeDebug ??= this.#loadNativeDebug();
      this.#nativeDebug.activate(true);
    } else {
      this.#nativeDebug?.activate(false);
      if (mode === 'native') this.#native ??= this.#loadNative();
      for (const f of this.#ownFuncs()) f.compiled = mode === 'native' ? this.#enter(this.#native!.C[f.index]) : undefined;
    }
    this.#mode = mode;
    // Frames running checkpointed code leave it at their next checkpoint when the instance goes to debug.
    if (wasDebugging && mode === 'debug') this.#nativeDebug?.requestDeopt();
  }

  /** native-debug's router (undefined until the instance first runs native-debug). */
  get nativeDebug(): NativeDebug | undefined {
    return this.#nativeDebug;
  }

  /** The deopt entry of checkpointed code, once loaded (its `deopts` counts chains handed to the interpreter). */
  get deopt(): DeoptEntry | undefined {
    return this.#nativeDebug?.entry;
  }

  *#ownFuncs(): Iterable<WasmFunc> {
    for (const f of this.state.funcs) if (f.kind === 'wasm' && f.instance === this.state) yield f as WasmFunc;
  }

  /** A native canonical entry, wrapped to apply `onTrap` when it is `flip`. */
  #enter(c: WasmFunc['compiled']): WasmFunc['compiled'] {
    if (c === undefined || this.onTrap !== 'flip') return c;
    return (...args) => {
      try {
        return c(...args);
      } catch (e) {
        if (e instanceof Trap && this.#mode === 'native') {
          this.#record(e);
          this.mode = 'native-debug';
        }
        throw e;
      }
    };
  }

  #record(error: Error): void {
    this.traps.push({ error, mode: this.#mode });
    if (this.traps.length > 16) this.traps.shift();
  }

  #describe = (off: number): string | undefined => this.module.sourcePosition(off);

  #loadNative(): LoadedCode {
    if (ownFactory(this.module.code)) this.#watchGrowth();
    return loadCompiled(this.module.code, this.state, this.module.lineOffsets, this.#describe);
  }

  /**
   * Watching starts with the first load of code whose loads each run a
   * factory of their own, not in the constructor: `module.code` compiles,
   * which a debug-only instance (or one of a module the compiler cannot
   * take) must not do.
   */
  #watchGrowth(): void {
    const mem = this.state.mems[0];
    if (this.#watchingGrowth || mem === undefined) return;
    mem.onGrow.push(() => this.#grown());
    this.#watchingGrowth = true;
  }

  /**
   * After the 1st, 2nd, 4th, 8th… growth of memory 0, native and
   * native-debug load their code afresh, and the calls that follow (from
   * the host, the interpreter, other instances) run the new functions.
   * Why: compiled code holds the memory's DataView as a constant that V8
   * folds into optimized code (compiler/emit/memory.ts) until the first
   * growth; after it, the old functions are deoptimized and load it again,
   * and V8 may keep entering a loop's on-stack-replacement code compiled
   * early, before the feedback settled (vm: 1.08x of V8 before a growth,
   * 2.1x after; 1.39x with the views in module-level lets; native-debug@
   * control 2.79x after). New functions get their own constant and
   * their own tiering. Frames already running finish in the old functions,
   * which stay correct (they re-read the views). Powers of two bound the
   * reloads to log2 of the growths for a program whose heap grows steadily.
   * Only for module text each instance parses for itself (link/load.ts):
   * shared factories' functions are never specialized to one instance.
   */
  #grown(): void {
    this.#growths++;
    if ((this.#growths & (this.#growths - 1)) !== 0) return;
    if (this.#nativeDebug?.ownCode === true) this.#nativeDebug.grown(); // now, or when it next runs
    if (this.#native === undefined || !ownFactory(this.module.code)) return;
    if (this.#mode !== 'native') {
      this.#native = undefined; // loaded afresh when the instance goes back to native
      return;
    }
    this.#native = this.#loadNative();
    for (const f of this.#ownFuncs()) f.compiled = this.#enter(this.#native.C[f.index]);
  }

  #loadNativeDebug(): NativeDebug {
    if (nativeDebugLoader === undefined) throw new TypeError('native-debug mode is not in this entry point (import wasmflip rather than wasmflip/static)');
    // The inspection level needs no breakpoints: its code checks nothing in loops (traps keep their state).
    // Stress mode's code asks at every taken check whether to leave.
    const kind = this.#deoptEvery > 0 ? 'stress' : this.level === 'inspection' ? 'traps' : true;
    const debug = nativeDebugLoader({ module: this.module, state: this.state, kind, every: this.#deoptEvery, flag: this.#deoptFlag, describe: this.#describe });
    if (debug.ownCode) this.#watchGrowth();
    return debug;
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
function resolver(imports: ImportObject | ImportResolver | undefined, module: Module): ImportResolver {
  if (imports === undefined) return () => undefined;
  const find: ImportResolver = typeof imports === 'function'
    ? imports
    : (m, n) => {
      const ns = imports[m];
      return ns !== undefined && Object.prototype.hasOwnProperty.call(ns, n) ? ns[n] : undefined;
    };
  return (m, n, imp) => {
    const v = unwrap(find(m, n, imp));
    // A plain JS function for a function import: references cross as the JS API has them.
    if (typeof v !== 'function' || imp?.desc.kind !== 'func') return v;
    return hostAdapter(module.types[imp.desc.typeIndex]!, v as (...args: unknown[]) => unknown);
  };
}

/** Links, initialises (segments) and runs the start function in the chosen tier. */
export function instantiateModule(module: WasmflipModule, imports?: ImportObject | ImportResolver, options: InstantiateOptions = {}): WasmflipInstance {
  const state = instantiateState(module.module, resolver(imports, module.module));
  const instance = new WasmflipInstance(module, state, options);
  const start = module.module.start;
  if (start !== null) callFunc(state.funcs[start]!, []);
  return instance;
}
