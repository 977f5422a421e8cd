/**
 * The interpreter's machine state: one typed-array value stack shared by all
 * frames of a thread, plus the call stack of saved frames (function, pc,
 * frame pointer, instance) as parallel arrays. Frames overlap in the stack
 * the way the calling convention wants: a callee's frame starts at its
 * caller's argument slots, so parameters become locals with no copying and
 * results land where the caller expects them.
 *
 * Invariant: slots [0, top) belong to activations in progress; a call from
 * the host (or re-entry through a host import) starts at `top`.
 */
import { Exhaustion } from '../errors.js';
import type { Instance } from './store.js';
import type { FlatFunc } from './flat-func.js';
import type { Ref } from './values.js';

/** Deepest call stack before "call stack exhausted" (a trap, never a JS RangeError). */
export const MAX_DEPTH = 40_000;
/** Slots of value stack at most (16M slots = 128 MiB). */
const MAX_SLOTS = 1 << 24;

export class Machine {
  buffer: ArrayBuffer;
  I32: Int32Array;
  F32: Float32Array;
  F64: Float64Array;
  /** Reference values, by slot (only reference-typed slots are read). */
  R: Ref[];
  /** Saved frames: entry d is the caller of frame d + 1. */
  depth = 0;
  csFunc: FlatFunc[] = [];
  csInst: Instance[] = [];
  csPc = new Int32Array(MAX_DEPTH + 1);
  csFp = new Int32Array(MAX_DEPTH + 1);
  /** 1 where the saved frame is paused in a call to a host function. */
  csHost = new Uint8Array(MAX_DEPTH + 1);
  /** First free slot. */
  top = 0;

  constructor(slots = 1 << 16) {
    this.buffer = new ArrayBuffer(slots * 8);
    this.I32 = new Int32Array(this.buffer);
    this.F32 = new Float32Array(this.buffer);
    this.F64 = new Float64Array(this.buffer);
    this.R = new Array<Ref>(slots).fill(null);
  }

  get capacity(): number {
    return this.F64.length;
  }

  /** Makes room for `slots` slots; throws Exhaustion past the limit. Replaces the views. */
  ensure(slots: number): void {
    if (slots <= this.capacity) return;
    if (slots > MAX_SLOTS) throw new Exhaustion('call stack exhausted');
    let n = this.capacity * 2;
    while (n < slots) n *= 2;
    const buffer = new ArrayBuffer(n * 8);
    new Int32Array(buffer).set(this.I32);
    this.buffer = buffer;
    this.I32 = new Int32Array(buffer);
    this.F32 = new Float32Array(buffer);
    this.F64 = new Float64Array(buffer);
    for (let i = this.R.length; i < n; i++) this.R.push(null);
  }
}

/** The machine of this thread (the interpreter is synchronous, so one suffices). */
export const machine = new Machine();
