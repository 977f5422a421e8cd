/**
 * Deopt proper: the captures a chain of compiled frames handed over while
 * unwinding become interpreter frames, and the interpreter continues them.
 *
 * The captures come innermost first, the order the unwinding produces them
 * (the frame that saw the pending flag hands over first, then each compiled
 * caller as the callee's return reaches its after-call checkpoint). Only the
 * first may stand anywhere; every later one is a caller whose callee
 * unwound, so it is paused at its call: pc = the call's offset, stack = what
 * lies below the arguments, which is the form `resume` expects of an outer
 * frame. The callee's results are delivered by the interpreter itself: the
 * innermost frame runs first and returns into the rebuilt caller, which then
 * continues after the call. The result is outermost first, as `resume` wants.
 *
 * Invariant: the chain holds compiled frames of one instance with no host
 * frame between them; frames below a host (import) call are not part of it
 * and deopt lazily when control returns to them (deopt/DESIGN.md).
 */
import { resume, type FrameState, type Instance, type Value } from '../interpreter/index.js';
import { cachedCheckpoint, decodeFrame, type Capture } from './capture.js';
import { DeoptError, type FrameMaps } from './frame-map.js';

/**
 * Interpreter frames, outermost first, from captures given innermost first.
 * `innerPaused`: the innermost is paused at its call too (its callee's frame
 * was lost to a JavaScript stack overflow; the trap is raised there).
 */
export function deoptFrames(maps: FrameMaps, captures: readonly Capture[], instance: Instance, innerPaused = false): FrameState[] {
  if (captures.length === 0) throw new DeoptError('deopt: no captured frames');
  const module = instance.module;
  const frames = new Array<FrameState>(captures.length);
  let inner: FrameState | undefined;
  for (let k = 0; k < captures.length; k++) {
    const capture = captures[k]!;
    const cp = cachedCheckpoint(maps, capture.id);
    const frame = decodeFrame(cp, capture, instance, k > 0 || innerPaused);
    if (inner !== undefined) {
      // The callee's results will land on top of the caller's stack: their count must match the call's.
      const calleeResults = module.types[module.funcTypes[inner.funcIndex]!]?.results.length;
      if (calleeResults !== cp.results) {
        throw new DeoptError(`deopt: function ${inner.funcIndex} returns ${calleeResults} values into a call of ${cp.results} results in function ${cp.funcIndex}`, cp.call);
      }
    }
    frames[captures.length - 1 - k] = frame;
    inner = frame;
  }
  return frames;
}

/**
 * Rebuilds the chain and runs it to completion in the interpreter; returns
 * the outermost frame's results (canonical values), which is what the export
 * entry that the host called returns.
 */
export function deoptAndResume(maps: FrameMaps, captures: readonly Capture[], instance: Instance): Value[] {
  return resume(deoptFrames(maps, captures, instance));
}
