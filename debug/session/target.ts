/**
 * What the debugger core needs from whatever runs the program (DESIGN.md:
 * debug/ defines small inspection interfaces, runtime/ implements them). The
 * interpreter implements it in runtime/debug-target.ts; a compiled tier that
 * deopts into the interpreter can implement the same one.
 *
 * Invariant: frame and memory reads are valid only while the program is
 * stopped (inside the `onStop` callback); all values are canonical (i32 as an
 * int32 number, i64 as BigInt, f32/f64 as number). Depths are machine depths
 * (0 = the outermost Wasm frame), as `setStepping` takes them.
 */
import type { Module, Value, ValType } from '../../interpreter/index.js';

export type TargetStopReason = 'breakpoint' | 'step' | 'trap' | 'pause';

/** One Wasm activation while stopped. */
export interface TargetFrame {
  readonly funcIndex: number;
  /** Code offset of the next instruction (of the call in progress for outer frames). */
  readonly pc: number;
  /** Machine depth of this frame (0 = outermost). */
  readonly depth: number;
  /** Types of the parameters then the declared locals. */
  readonly localTypes: readonly ValType[];
  local(index: number): Value;
  /** The operand stack, bottom first (types from validation; `undefined` where unknown). */
  stack(): readonly { type: ValType; value: Value | undefined }[];
}

export interface DebugTarget {
  readonly module: Module;
  /** Called synchronously when the program stops; the program continues when it returns. */
  onStop: ((reason: TargetStopReason, trap?: Error) => void) | null;
  /**
   * Asked, before a breakpoint stop, whether a breakpoint at an offset in
   * [from, to] could stop now (a cheap pre-check a target may use to avoid
   * work for conditions that do not hold); counts nothing. Only the innermost
   * frame's pc and locals may be read while it runs.
   */
  mayStop: ((from: number, to: number) => boolean) | null;
  /** Every Wasm frame, innermost first (only while stopped). */
  frames(): readonly TargetFrame[];
  /** The innermost frame only: cheap (no operand-stack typing), for conditions and stepping. */
  top(): TargetFrame;
  /** The innermost frame's pc and locals without building a frame (compiled conditions, every hit). */
  topPc(): number;
  topLocal(index: number): Value;
  writeLocal(frame: TargetFrame, index: number, value: Value): void;
  /** Global `index` of the instance (canonical value and type). */
  global(index: number): { type: ValType; mutable: boolean; value: Value } | undefined;
  setGlobal(index: number, value: Value): void;
  globalCount(): number;
  /** The bytes of memory 0 (a fresh view: growth replaces it), or undefined without memory. */
  memory(): Uint8Array | undefined;
  /** Patches a breakpoint at the first instruction at/after `offset`; returns the offset used or null. */
  setBreakpoint(funcIndex: number, offset: number): number | null;
  clearBreakpoint(funcIndex: number, offset: number): void;
  /** Where execution can stop for `offset`: the first instruction at/after it that the target stops at. */
  stopOffset(funcIndex: number, offset: number): number;
  /** Stop before every instruction of frames at most `maxDepth` deep (or never, when `on` is false). */
  setStepping(on: boolean, maxDepth: number): void;
  /**
   * Called from inside a host function (an import) the program called: stop
   * ('step') before the next instruction any Wasm frame runs, which is the
   * caller's right after the call returns. Stepping goes on at every depth
   * (the session's next `setStepping` ends it) and frames running compiled
   * code leave it, so every frame can be inspected at that stop.
   */
  stopAtNextInstruction(): void;
}
