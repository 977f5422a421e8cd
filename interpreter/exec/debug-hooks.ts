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
import { flatOfModule } from './flat-cache.js';
import type { LiveFrame } from './frames.js';
import { machine as M } from './machine.js';
import { Op } from './ops.js';
import { readSlot, writeSlot } from './slots.js';
import type { Value } from './values.js';

export type StopReason = 'breakpoint' | 'step' | 'trap';

export interface DebugHooks {
  /** Called when execution stops; returning continues it. */
  onStop: ((reason: StopReason, live: LiveFrame, trap?: Trap) => void) | null;
  /** Stop before every instruction of frames at most `stepMaxDepth` deep. */
  stepping: boolean;
  /** Machine depth (0 = outermost Wasm frame) up to which stepping stops. */
  stepMaxDepth: number;
}

export const hooks: DebugHooks = { onStop: null, stepping: false, stepMaxDepth: Number.MAX_SAFE_INTEGER };

/** The depth of the running frame while stopped (0 = outermost). */
export function currentDepth(): number {
  return M.depth;
}

/**
 * Sets a breakpoint on the first instruction at or after `offset` in function
 * `funcIndex` that has flat code; returns the offset used, or null when the
 * function has no instruction there.
 */
export function setBreakpoint(module: Module, funcIndex: number, offset: CodeOffset): CodeOffset | null {
  const ff = flatOfModule(module, funcIndex);
  for (let pc = 0; pc < ff.offsets.length; pc++) {
    const o = ff.offsets[pc]!;
    if (o < offset) continue;
    if (ff.code[pc] !== Op.Break) {
      ff.breaks.set(pc, ff.code[pc]!);
      ff.code[pc] = Op.Break;
    }
    return o as CodeOffset;
  }
  return null;
}

export function clearBreakpoint(module: Module, funcIndex: number, offset: CodeOffset): boolean {
  const ff = flatOfModule(module, funcIndex);
  const pc = ff.pcAt(offset);
  const op = ff.breaks.get(pc);
  if (op === undefined) return false;
  ff.code[pc] = op;
  ff.breaks.delete(pc);
  return true;
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
