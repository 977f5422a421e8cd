/**
 * The interpreter as a debugger target (debug/'s DebugTarget): breakpoints
 * patched into the flat code, stepping through the interpreter's hooks,
 * frames read off the machine while it is stopped inside `hooks.onStop`.
 *
 * Invariant: one target owns the interpreter's global hooks between
 * `install()` and `uninstall()`; the innermost frame is read straight from
 * the live registers (cheap, for conditions evaluated at every hit), outer
 * frames from `captureFrames` once per stop.
 */
import {
  captureFrames, clearBreakpoint, currentDepth, hooks, readLocal, setBreakpoint, writeLocal, operandTypesAt, stopStateIndex,
  type CodeOffset, type FrameState, type Instance, type LiveFrame, type Module, type Value, type ValType,
} from '../interpreter/index.js';
import type { DebugTarget, TargetFrame, TargetStopReason } from '../debug/index.js';

export class InterpreterTarget implements DebugTarget {
  onStop: ((reason: TargetStopReason, trap?: Error) => void) | null = null;
  mayStop: ((from: number, to: number) => boolean) | null = null;
  private live: LiveFrame | null = null;
  private captured: FrameState[] | null = null;
  private topFrame: TargetFrame | null = null;
  /** Offsets patched for breakpoints, so probes never remove them. */
  private readonly patched = new Set<number>();

  /**
   * `router`: native-debug's (runtime/api/native-debug.ts), told of every
   * breakpoint and step so the functions concerned run interpreted and
   * compiled frames deopt; absent in debug mode, where everything already runs here.
   */
  constructor(readonly instance: Instance, private readonly router?: TierRouter) {}

  get module(): Module { return this.instance.module; }

  /** Takes over the interpreter's debug hooks. */
  install(): void {
    hooks.mayStop = (live, from, to) => {
      if (this.mayStop === null) return true;
      this.live = live;
      this.topFrame = null;
      try {
        return this.mayStop(from, to);
      } finally {
        this.live = null;
        this.topFrame = null;
      }
    };
    hooks.onStop = (reason, live, trap) => {
      this.live = live;
      this.captured = null;
      this.topFrame = null;
      try {
        this.onStop?.(reason, trap);
      } finally {
        this.live = null;
        this.captured = null;
        this.topFrame = null;
      }
    };
  }

  uninstall(): void {
    hooks.onStop = null;
    hooks.mayStop = null;
    hooks.stepping = false;
    hooks.stepMaxDepth = Number.MAX_SAFE_INTEGER;
  }

  private liveFrame(): LiveFrame {
    if (!this.live) throw new Error('the program is not stopped');
    return this.live;
  }

  top(): TargetFrame {
    if (this.topFrame) return this.topFrame;
    const live = this.liveFrame();
    const depth = currentDepth();
    const ff = live.ff;
    const pc = ff.offsets[live.pc]!;
    const localTypes = this.localTypes(ff.funcIndex);
    let stack: { type: ValType; value: Value | undefined }[] | undefined;
    const frame: TargetFrame = {
      funcIndex: ff.funcIndex, pc, depth, localTypes,
      local: (i) => readLocal(live, depth, i),
      stack: () => (stack ??= this.stackOf(this.frameStates()[this.frameStates().length - 1]!)),
    };
    return (this.topFrame = frame);
  }

  private readonly typesOfLocals = new Map<number, ValType[]>();

  /** Parameters then declared locals of a function (cached: conditions read them at every hit). */
  private localTypes(funcIndex: number): ValType[] {
    let t = this.typesOfLocals.get(funcIndex);
    if (!t) {
      const m = this.module;
      t = [...m.types[m.funcTypes[funcIndex]!]!.params, ...m.funcs[funcIndex - m.importedFuncCount]!.locals];
      this.typesOfLocals.set(funcIndex, t);
    }
    return t;
  }

  topPc(): number {
    const live = this.liveFrame();
    return live.ff.offsets[live.pc]!;
  }

  topLocal(index: number): Value {
    return readLocal(this.liveFrame(), currentDepth(), index);
  }

  private frameStates(): FrameState[] {
    return (this.captured ??= captureFrames(this.liveFrame()));
  }

  private stackOf(f: FrameState): { type: ValType; value: Value | undefined }[] {
    const module = f.instance.module;
    const types = operandTypesAt(module, f.funcIndex, stopStateIndex(module, f.funcIndex, f.pc)) as ValType[];
    return f.stack.map((value, i) => ({ type: types[i] ?? 'i32', value }));
  }

  frames(): readonly TargetFrame[] {
    const states = this.frameStates();
    const live = this.liveFrame();
    const n = states.length;
    const out: TargetFrame[] = [this.top()];
    for (let i = n - 2; i >= 0; i--) {
      const f = states[i]!;
      const depth = i;
      const localTypes = this.localTypes(f.funcIndex);
      out.push({
        funcIndex: f.funcIndex, pc: f.pc, depth, localTypes,
        local: (k) => readLocal(live, depth, k),
        stack: () => f.stack.map((value) => ({ type: guessType(value), value })),
      });
    }
    return out;
  }

  writeLocal(frame: TargetFrame, index: number, value: Value): void {
    writeLocal(this.liveFrame(), frame.depth, index, value);
  }

  global(index: number): { type: ValType; mutable: boolean; value: Value } | undefined {
    const g = this.instance.globals[index];
    return g ? { type: g.type.type, mutable: g.type.mutable, value: g.value } : undefined;
  }

  setGlobal(index: number, value: Value): void {
    const g = this.instance.globals[index];
    if (g) g.value = value;
  }

  globalCount(): number { return this.instance.globals.length; }

  memory(): Uint8Array | undefined { return this.instance.mems[0]?.u8; }

  setBreakpoint(funcIndex: number, offset: number): number | null {
    const at = setBreakpoint(this.module, funcIndex, offset as CodeOffset);
    if (at !== null && !this.patched.has(at)) {
      this.patched.add(at);
      this.router?.concern(funcIndex);
    }
    return at;
  }

  clearBreakpoint(funcIndex: number, offset: number): void {
    if (this.patched.delete(offset)) this.router?.unconcern(funcIndex);
    clearBreakpoint(this.module, funcIndex, offset as CodeOffset);
  }

  /**
   * The flat code may fuse an instruction into the next (a superinstruction):
   * probing with setBreakpoint tells where execution can stop. The probe is
   * undone unless a real breakpoint sits there.
   */
  stopOffset(funcIndex: number, offset: number): number {
    const at = setBreakpoint(this.module, funcIndex, offset as CodeOffset);
    if (at === null) return offset;
    if (!this.patched.has(at)) clearBreakpoint(this.module, funcIndex, at);
    return at;
  }

  setStepping(on: boolean, maxDepth: number): void {
    hooks.stepping = on;
    hooks.stepMaxDepth = maxDepth;
    // Stepping over or out of calls never stops in a callee: callees may run compiled.
    this.router?.stepping(on, maxDepth >= INTO);
  }

  /**
   * From inside an import: stepping at every depth makes the interpreter stop
   * before the caller's next instruction (run.ts re-reads the hooks after a
   * host call) and routes new calls interpreted; a compiled caller deopts
   * right after the import returns, its compiled callers with it.
   */
  stopAtNextInstruction(): void {
    this.setStepping(true, INTO);
    this.router?.requestDeopt();
  }
}

/** What native-debug needs to hear from the debugger (runtime/api/native-debug.ts NativeDebug). */
export interface TierRouter {
  concern(funcIndex: number): void;
  unconcern(funcIndex: number): void;
  stepping(on: boolean, into: boolean): void;
  /** Every compiled frame running now deopts at its next checkpoint. */
  requestDeopt(): void;
}

/** stepMaxDepth at or past this is "every depth" (step into, watchpoints): deeper than any real stack. */
const INTO = 2 ** 31;

/** Outer frames' operand stacks (below a call) are shown by their JavaScript type. */
function guessType(v: Value | undefined): ValType {
  return typeof v === 'bigint' ? 'i64' : typeof v === 'number' && !Number.isInteger(v) ? 'f64' : 'i32';
}
