/**
 * The shape of a function's flat code (predecode.ts makes it, run.ts runs it,
 * frames.ts and debug-hooks.ts read it): the code words and the side tables
 * that map every flat instruction back to Wasm offsets and frame slots.
 */
import type { FuncType, ValType } from '../syntax/types.js';

export interface FlatFunc {
  readonly funcIndex: number;
  readonly code: Int32Array;
  readonly offsets: Int32Array;
  /**
   * At each flat instruction's start, the offset of the Wasm instruction that
   * does its work (a trap's site); `offsets` holds where its group starts.
   */
  readonly sites: Int32Array;
  /**
   * The last Wasm offset each flat instruction accounts for: its site, or a
   * local.set / br_if folded into it. A breakpoint at offset o lands on the
   * first flat instruction whose end is at or after o.
   */
  readonly ends: Int32Array;
  readonly type: FuncType;
  readonly nparams: number;
  /** Parameters plus declared locals. */
  readonly nlocals: number;
  /** Slots a frame needs: locals, constant slots and the highest operand stack. */
  readonly frameSize: number;
  /** Slot of operand-stack height 0 (`nlocals` plus the constant slots). */
  readonly stackBase: number;
  /** Initial words of the constant slots, written at [nlocals, stackBase) on entry. */
  readonly consts: Int32Array;
  /** Types of the locals then the constant slots. */
  readonly slotTypes: readonly ValType[];
  readonly nresults: number;
  /** Types of params then locals. */
  readonly localTypes: readonly ValType[];
  /** Declared (non-parameter) locals of reference type, reset to null on entry. */
  readonly refLocals: Int32Array;
  /** Flat pc of the instruction at a code offset, or -1 (built on first use). */
  pcAt(offset: number): number;
  /** Original ops under breakpoints (debug-hooks.ts), by flat pc. */
  readonly breaks: Map<number, number>;
  /** 1 at the flat pc where a loop starts (the target of its back-edges). */
  readonly loopHeads: Uint8Array;
  /** Whether operands may be read from locals (see `predecode`). */
  readonly fused: boolean;
  /** At flat pcs where stack values are still pending locals: (height, local) pairs. */
  readonly pending: ReadonlyMap<number, Int32Array>;
}
