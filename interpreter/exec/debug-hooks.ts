/**
 * What the debugger can ask of the interpreter: stop at breakpoints, stop
 * before instructions while stepping, stop at a trap before the stack
 * unwinds, and read or write any frame while stopped.
 *
 * Breakpoints are patched into the flat code (the op is replaced by
 * `Op.Break`, the original kept aside), so a run with no breakpoint and no
 * stepping pays only one well-predicted comparison per instruction. Stepping
 * applies to frames at most `stepMaxDepth` deep, so "step over" runs the
 * callee without calling the hook.
 *
 * The stop callback runs synchronously inside the interpreter: the program
 * is paused until it returns (DESIGN.md "a stopped program blocks its
 * thread"). While it runs, `captureFrames(live)` gives the whole stack.
 */
import type { Trap } from '../errors.js';
import type { CodeOffset } from '../syntax/offsets.js';
import type { Module } from '../syntax/types.js';
import { exactOfModule, fusedOfModule } from './flat-cache.js';
import type { FlatFunc } from './flat-func.js';
import type { LiveFrame } from './frames.js';
import { machine as M } from './machine.js';
import { Op } from './ops.js';
import { readSlot, writeSlot } from './slots.js';
import type { Value } from './values.js';

export type StopReason = 'breakpoint' | 'step' | 'trap' | 'pause';

export interface DebugHooks {
  /** Called when execution stops; returning continues it. */
  onStop: ((reason: StopReason, live: LiveFrame, trap?: Trap) => void) | null;
  /**
   * Asked when fused code reaches the group holding a breakpoint: may the
   * debugger stop at an offset in [from, to] now (is a condition true)? No
   * lets the group run on in fused code, so a condition that never holds
   * costs a call, not a move to the slower exact code. Absent means yes.
   */
  mayStop: ((live: LiveFrame, from: number, to: number) => boolean) | null;
  /** Stop before every instruction of frames at most `stepMaxDepth` deep. */
  stepping: boolean;
  /** Machine depth (0 = outermost Wasm frame) up to which stepping stops. */
  stepMaxDepth: number;
}

export const hooks: DebugHooks = { onStop: null, mayStop: null, stepping: false, stepMaxDepth: Number.MAX_SAFE_INTEGER };

/**
 * The pause request: word 0 of an Int32Array, nonzero to ask the running
 * program to stop ('pause') at the next loop header it jumps back to (a
 * program waiting in a host call stops when it next loops). Give it
 * a SharedArrayBuffer-backed array and another thread can interrupt a
 * program running in this one (Atomics.store + the stop clears it).
 */
export const pause: { flag: Int32Array<ArrayBufferLike> } = { flag: new Int32Array(1) };

export function setPauseFlag(flag: Int32Array<ArrayBufferLike>): void {
  pause.flag = flag;
}

/** The depth of the running frame while stopped (0 = outermost). */
export function currentDepth(): number {
  return M.depth;
}

/**
 * Sets a breakpoint on the first instruction at or after `offset` in function
 * `funcIndex` that has flat code; returns the offset used, or null when the
 * function has no instruction there. The exact code gets it at that
 * instruction; the fused code at the start of the group holding it, where
 * run.ts asks `hooks.mayStop` and, on yes, moves the frame to the exact code,
 * which runs on to the very instruction. So a breakpoint set while the
 * function runs (a hot loop) binds at once.
 */
export function setBreakpoint(module: Module, funcIndex: number, offset: CodeOffset): CodeOffset | null {
  const ex = exactOfModule(module, funcIndex);
  let pc = -1;
  for (let p = 0; p < ex.offsets.length && pc < 0; p++) if (ex.offsets[p]! >= offset) pc = p;
  if (pc < 0) return null;
  const at = ex.offsets[pc]! as CodeOffset;
  patch(ex, pc);
  const fused = fusedOfModule(module, funcIndex);
  const gpc = groupPc(fused, at);
  if (gpc >= 0) patch(fused, gpc);
  return at;
}

export function clearBreakpoint(module: Module, funcIndex: number, offset: CodeOffset): boolean {
  const ex = exactOfModule(module, funcIndex);
  if (!unpatch(ex, ex.pcAt(offset))) return false;
  const fused = fusedOfModule(module, funcIndex);
  const gpc = groupPc(fused, offset);
  // The fused group may hold another breakpoint's offset too: keep its patch while one remains.
  if (gpc >= 0 && !ex.offsets.some((o, p) => ex.breaks.has(p) && groupPc(fused, o) === gpc)) unpatch(fused, gpc);
  return true;
}

function patch(ff: FlatFunc, pc: number): boolean {
  if (ff.code[pc] === Op.Break) return false;
  ff.breaks.set(pc, ff.code[pc]!);
  ff.code[pc] = Op.Break;
  return true;
}

function unpatch(ff: FlatFunc, pc: number): boolean {
  const op = ff.breaks.get(pc);
  if (op === undefined) return false;
  ff.code[pc] = op;
  ff.breaks.delete(pc);
  return true;
}

/** The first fused instruction whose end is at or after `offset`: the one reached before `offset` runs. */
function groupPc(ff: FlatFunc, offset: number): number {
  for (let p = 0; p < ff.ends.length; p++) if (ff.ends[p]! >= offset) return p;
  return -1;
}

/** Frame `index` (0 = outermost) as the machine holds it while stopped. */
function frameAt(live: LiveFrame, index: number): { fp: number; types: readonly import('../syntax/types.js').ValType[] } {
  if (index === M.depth) return { fp: live.fp, types: live.ff.localTypes };
  return { fp: M.csFp[index]!, types: M.csFunc[index]!.localTypes };
}

/** Reads local `local` of frame `frame` (0 = outermost) while stopped. */
export function readLocal(live: LiveFrame, frame: number, local: number): Value {
  const { fp, types } = frameAt(live, frame);
  return readSlot(types[local]!, (fp + local) * 2);
}

/** Writes local `local` of frame `frame` (0 = outermost) while stopped; the program sees it when it continues. */
export function writeLocal(live: LiveFrame, frame: number, local: number, value: Value): void {
  const { fp, types } = frameAt(live, frame);
  writeSlot(types[local]!, (fp + local) * 2, value);
}
