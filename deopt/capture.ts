/**
 * Captures: what a compiled frame hands over at a checkpoint, its id and its
 * JS values in frame-map order (frame-map.ts), and the conversions between
 * a capture and one canonical interpreter frame (DESIGN.md invariant 6).
 *
 * `decodeFrame` is the deopt direction. `encodeFrame` is the compiled
 * representation's reference semantics (i64 split into int32 halves, …):
 * the round-trip tests use it to stand in for compiled code, and the
 * checkpoint pass's golden tests can compare against it.
 *
 * Invariant: decode(encode(frame)) equals frame value for value (an i64's
 * halves are exact; numbers and references pass through untouched, so f32 /
 * f64 NaN payloads survive).
 */
import type { CodeOffset, FrameState, Instance, Value } from '../interpreter/index.js';
import { checkpointOf, DeoptError, type Checkpoint, type FrameMaps, type SlotRef } from './frame-map.js';

/** What a compiled frame hands over at checkpoint `id`. */
export interface Capture {
  readonly id: number;
  /** The JS values of the frame's locals then live stack slots, in frame-map order. */
  readonly values: readonly unknown[];
}

/** An i64 from its int32 halves. */
export function i64FromHalves(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0));
}

function readValue(ref: SlotRef, values: readonly unknown[]): Value {
  const v = values[ref.at];
  return ref.conv === 'j' ? i64FromHalves(v as number, values[ref.at + 1] as number) : (v as Value);
}

function writeValue(ref: SlotRef, out: unknown[], v: Value): void {
  if (ref.conv === 'j') {
    const b = v as bigint;
    out[ref.at] = Number(BigInt.asIntN(32, b));
    out[ref.at + 1] = Number(BigInt.asIntN(32, b >> 32n));
  } else {
    out[ref.at] = v;
  }
}

/**
 * One interpreter frame from one capture. `paused`: the frame is a caller
 * whose callee unwound, so it stands at the after-call checkpoint's call
 * with the stack below the call's arguments (resume.ts's outer-frame form);
 * otherwise it continues at the checkpoint's resume offset.
 */
export function decodeFrame(cp: Checkpoint, capture: Capture, instance: Instance, paused: boolean): FrameState {
  if (paused && cp.call === undefined) {
    throw new DeoptError(`checkpoint ${cp.id} (${cp.kind}) cannot hold a caller paused at a call`, cp.resume);
  }
  const width = paused ? cp.pausedWidth : cp.width;
  if (capture.values.length !== width) {
    throw new DeoptError(`checkpoint ${cp.id} of function ${cp.funcIndex} expects ${width} values, the capture has ${capture.values.length}`, cp.resume);
  }
  const stackRefs = paused ? cp.stack.slice(0, cp.stack.length - cp.results) : cp.stack;
  return {
    instance,
    funcIndex: cp.funcIndex,
    pc: paused ? cp.call! : cp.resume,
    locals: cp.locals.map((r) => readValue(r, capture.values)),
    stack: stackRefs.map((r) => readValue(r, capture.values)),
  };
}

/** The capture compiled code would hand over for `frame` at checkpoint `cp` (see `decodeFrame` for `paused`). */
export function encodeFrame(cp: Checkpoint, frame: FrameState, paused: boolean): Capture {
  const pc: CodeOffset | undefined = paused ? cp.call : cp.resume;
  if (frame.funcIndex !== cp.funcIndex || frame.pc !== pc) {
    throw new DeoptError(`frame of function ${frame.funcIndex} does not stand at checkpoint ${cp.id} of function ${cp.funcIndex}`, frame.pc);
  }
  const stackRefs = paused ? cp.stack.slice(0, cp.stack.length - cp.results) : cp.stack;
  if (frame.locals.length !== cp.locals.length || frame.stack.length !== stackRefs.length) {
    throw new DeoptError(`frame of function ${frame.funcIndex} has ${frame.locals.length} locals and ${frame.stack.length} stack values; checkpoint ${cp.id} maps ${cp.locals.length} and ${stackRefs.length}`, frame.pc);
  }
  const out = new Array<unknown>(paused ? cp.pausedWidth : cp.width);
  cp.locals.forEach((r, i) => writeValue(r, out, frame.locals[i]!));
  stackRefs.forEach((r, j) => writeValue(r, out, frame.stack[j]!));
  return { id: cp.id, values: out };
}

const expanded = new WeakMap<FrameMaps, Map<number, Checkpoint>>();

/** `checkpointOf` memoized per maps object: deopting a deep stack, or deopting often, expands each id once. */
export function cachedCheckpoint(maps: FrameMaps, id: number): Checkpoint {
  let cache = expanded.get(maps);
  if (cache === undefined) expanded.set(maps, (cache = new Map()));
  let cp = cache.get(id);
  if (cp === undefined) cache.set(id, (cp = checkpointOf(maps, id)));
  return cp;
}
