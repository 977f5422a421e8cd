/**
 * native-debug mode's tier router: which calls run compiled (checkpointed)
 * code and which compiled frames must deopt into the interpreter.
 *
 * Three ways a frame leaves compiled code (deopt/DESIGN.md):
 * - entry: a function the debugger is concerned with (a breakpoint in it,
 *   or stepping into calls) has its `compiled` entry removed, so calls from
 *   the host and the interpreter run it interpreted, and its entry word
 *   `P[1 + fi]` set, so compiled callers' direct calls deopt at its entry;
 * - request: a breakpoint set while compiled frames run (an import callback,
 *   a stop in the interpreter above compiled frames, a mode switch) marks
 *   every canonical entry active now (`deoptBelow`): their frames deopt at
 *   their next loop header or call return, those below a host frame when
 *   control returns to them (lazily). A chain entered while a request is
 *   still pending (an older chain below a host frame has yet to deopt)
 *   leaves at its first check too, since a taken check cannot decide to run
 *   on without slowing every check (passes/checkpoints.ts); it is finished in
 *   the interpreter. Another thread requests with
 *   `Atomics.compareExchange(P, 0, 0, 3)`;
 * - trap: the frames are handed over at the faulting instruction (DE.t).
 *
 * Invariant: `depth` counts canonical entries running (each compiled entry
 * is wrapped here), so a request made when nothing runs deopts nothing (a
 * breakpoint set before the run costs only its function's entry), and
 * P[0] returns to 0 once no requested chain is left.
 */
import type { Instance, WasmFunc } from '../../interpreter/index.js';
import { loadCompiled, ownFactory } from '../../compiler/index.js';
import { DeoptEntry, armEntries, type DeoptPolicy, type FlagArray } from './deopt-entry.js';
import { withInlineMap } from './source-maps.js';
import type { NativeDebugRequest } from './instance-core.js';

/** P[0] values: run on, pending (local request), unwinding, requested from another thread. */
export const enum Flag { Run = 0, Pending = 1, Unwinding = 2, External = 3 }

type Entry = (...args: unknown[]) => unknown;

export class NativeDebug implements DeoptPolicy {
  /** Canonical entries running now (compiled frames' chains on the stack). */
  depth = 0;
  /** Entries with index < deoptBelow must deopt at their next checkpoint. */
  deoptBelow = 0;
  /** Breakpoints (or other concerns) per function index. */
  readonly #concerns: Int32Array;
  /** Stepping into calls: every call runs interpreted. */
  #steppingIn = false;
  /** The wrapped canonical entries, by function index (undefined: imported or not compiled). */
  #entries: (Entry | undefined)[] = [];
  readonly #load: () => readonly (Entry | undefined)[];
  /** Memory grew since the code was loaded: load it afresh before the instance next runs native-debug (see `grown`). */
  #stale = false;
  /** Whether the instance runs native-debug now (otherwise this only finishes running chains). */
  active = false;

  /**
   * `load`: a fresh load of the instance's checkpointed code (its canonical
   * entries by function index); `ownCode`: each load runs a factory of its
   * own (compiler/link/load.ts ownFactory), so a fresh load is worth making
   * after a growth.
   */
  constructor(readonly instance: Instance, readonly entry: DeoptEntry, load: () => readonly (Entry | undefined)[], readonly ownCode: boolean) {
    this.#concerns = new Int32Array(instance.module.funcTypes.length);
    entry.policy = this;
    this.#load = load;
    this.#take(load());
  }

  #take(canonical: readonly (Entry | undefined)[]): void {
    this.#entries = [];
    for (const f of this.instance.funcs) {
      if (f.kind !== 'wasm' || f.instance !== this.instance) continue;
      const c = canonical[f.index];
      if (c !== undefined) this.#entries[f.index] = this.#wrap(c);
    }
  }

  /**
   * Memory 0 grew (instance-core.ts #grown says why fresh code is faster):
   * the calls that follow run a fresh load of the code, now if the instance
   * runs native-debug, else when it next does. Frames running finish in the
   * code they started in; both loads share P and DE, so a request or a
   * breakpoint reaches them alike.
   */
  grown(): void {
    this.#stale = true;
    if (this.active) this.activate(true);
  }

  get flag(): FlagArray { return this.entry.flag; }

  /** A canonical entry that keeps `depth` (the one compiled code's callers use is unwrapped: FN). */
  #wrap(c: Entry): Entry {
    return (...args: unknown[]): unknown => {
      this.depth++;
      try {
        return c(...args);
      } finally {
        this.#left();
      }
    };
  }

  #left(): void {
    const d = --this.depth;
    if (this.deoptBelow > d) this.deoptBelow = d;
    this.#settle();
  }

  /** P[0] back to run-on when no requested chain is left (leaves 2 and 3 alone). */
  #settle(): void {
    if (this.deoptBelow === 0 && this.flag[0] === Flag.Pending) this.flag[0] = Flag.Run;
  }

  /** Switches the instance's calls to (or away from) the checkpointed code. */
  activate(on: boolean): void {
    this.active = on;
    if (on && this.#stale) {
      this.#stale = false;
      this.#take(this.#load());
    }
    for (const f of this.instance.funcs) if (f.kind === 'wasm' && f.instance === this.instance) this.#route(f as WasmFunc);
  }

  #route(f: WasmFunc): void {
    const concerned = this.#steppingIn || this.#concerns[f.index]! > 0;
    if (this.active) f.compiled = concerned ? undefined : this.#entries[f.index] as WasmFunc['compiled'];
    const w = 1 + f.index;
    if (w >= this.flag.length || this.entry.every !== 0) return; // stress mode keeps every entry word set
    if (concerned) armEntries(this.flag);
    this.flag[w] = concerned ? 1 : 0;
  }

  /** Asks every compiled frame running now to deopt at its next checkpoint (nothing runs: nothing to do). */
  requestDeopt(): void {
    if (this.depth === 0) return;
    this.deoptBelow = this.depth;
    if (this.flag[0] === Flag.Run) this.flag[0] = Flag.Pending;
  }

  /** A breakpoint (or another reason to stop) now lies in function `fi`. */
  concern(fi: number): void {
    if (this.#concerns[fi]!++ === 0) this.#route(this.instance.funcs[fi] as WasmFunc);
    this.requestDeopt();
  }

  /** One reason less to stop in `fi`; with none left, new calls run compiled again. */
  unconcern(fi: number): void {
    if (this.#concerns[fi]! > 0 && --this.#concerns[fi]! === 0) this.#route(this.instance.funcs[fi] as WasmFunc);
  }

  /** Stepping on or off; `into`: calls may stop (step into, watchpoints), so every call runs interpreted. */
  stepping(on: boolean, into: boolean): void {
    const s = on && into;
    if (s === this.#steppingIn) return;
    this.#steppingIn = s;
    this.activate(this.active);
  }

  /** DeoptPolicy (stress mode): must this frame leave for the debugger (its function's entry, or a chain a request marked)? */
  decide(fi: number, _k: number, entry: boolean): boolean {
    if (entry && (this.#steppingIn || this.#concerns[fi]! > 0)) return true;
    return this.flag[0] !== Flag.Unwinding && this.depth - 1 < this.deoptBelow;
  }

  /** DeoptPolicy: a compiled frame leaves; another thread's request is taken up for every chain running now. */
  deopting(): void {
    const P = this.flag;
    if (P[0] === Flag.External) {
      this.deoptBelow = this.depth;
      P[0] = Flag.Pending;
    }
  }

  /** DeoptPolicy: the innermost chain was handed to the interpreter; what P[0] becomes. */
  resumed(): number {
    const chain = this.depth - 1;
    if (this.deoptBelow > chain) this.deoptBelow = Math.max(chain, 0);
    return this.deoptBelow > 0 ? Flag.Pending : Flag.Run;
  }
}

/** Compiles (once per module) and loads an instance's checkpointed code, and routes its calls. */
export function loadNativeDebug(r: NativeDebugRequest): NativeDebug {
  const c = r.module.checkpointed(r.kind);
  const entry = new DeoptEntry(c.frameMaps!, r.state, r.every, r.flag);
  let text: string | undefined = withInlineMap(c);
  const ownCode = ownFactory(text);
  // The text is kept for the reloads after growth, which only code with factories of its own gets.
  const load = (): readonly (Entry | undefined)[] => {
    const js = text ?? withInlineMap(c);
    if (!ownCode) text = undefined;
    return loadCompiled(js, r.state, c.lineOffsets, r.describe, { ...entry.env() }).C as never;
  };
  return new NativeDebug(r.state, entry, load, ownCode);
}
