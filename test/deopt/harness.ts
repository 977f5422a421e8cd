/**
 * The deopt round-trip harness: stands in for compiled code, so deopt/ can be
 * tested before the checkpoint pass exists. A call runs in the interpreter
 * with debug hooks that stop at checkpoint places (function entry, loop
 * headers, after calls: the frame map's resume offsets); at every `every`-th
 * one it captures the whole stack, ENCODES each frame the way compiled code
 * would hand it over (`encodeFrame`: i64 as int32 halves, callers paused at
 * their call), decodes the chain with `deoptFrames` and checks the decoded
 * frames equal the captured ones; then it abandons the run (a sentinel thrown
 * from the hook) and continues with `resume` from the decoded frames, where
 * the next stops go on the same way. The final results must equal an
 * uninterrupted run's.
 *
 * Invariant: the hooks and breakpoints it installs are removed when it
 * returns or throws, so other suites see a clean interpreter.
 */
import {
  captureFrames, clearBreakpoint, currentDepth, f64ToBits, hooks, invoke, resume, setBreakpoint,
  type CodeOffset, type FrameState, type FuncInstance, type Instance, type LiveFrame, type Value,
} from '../../interpreter/index.js';
import {
  cachedCheckpoint, checkpointIndex, checkpointOf, deoptFrames, encodeFrame,
  type Capture, type FrameMaps,
} from '../../deopt/index.js';

export interface StressOptions {
  /** Deopt at every `every`-th checkpoint reached (1: at every one). */
  readonly every: number;
  /** `step`: stop before every instruction and pick the checkpoint places; `break`: breakpoints on them (fast). */
  readonly mode: 'step' | 'break';
  /** After this many deopts the run finishes without stops (keeps long kernels quick). */
  readonly maxDeopts?: number;
}

export interface StressResult {
  readonly results: Value[];
  readonly deopts: number;
  /** Checkpoints reached, by kind. */
  readonly reached: Record<string, number>;
  /** Deepest chain of frames rebuilt at once. */
  readonly maxFrames: number;
}

class Abandon {
  constructor(readonly frames: FrameState[]) {}
}

/** Same value, bit for bit where JS can tell (NaN payloads through their f64 bits, -0 from 0). */
export function sameValue(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a)) return Number.isNaN(b) && f64ToBits(a) === f64ToBits(b);
  return Object.is(a, b);
}

/** Why two frame lists differ, or null when they are equal. */
export function frameDiff(got: readonly FrameState[], want: readonly FrameState[]): string | null {
  if (got.length !== want.length) return `${got.length} frames, expected ${want.length}`;
  for (let k = 0; k < got.length; k++) {
    const g = got[k]!, w = want[k]!;
    const where = `frame ${k} (function ${w.funcIndex} at ${w.pc})`;
    if (g.instance !== w.instance || g.funcIndex !== w.funcIndex || g.pc !== w.pc) return `${where}: got function ${g.funcIndex} at ${g.pc}`;
    for (const [name, gs, ws] of [['local', g.locals, w.locals], ['stack', g.stack, w.stack]] as const) {
      if (gs.length !== ws.length) return `${where}: ${gs.length} ${name} values, expected ${ws.length}`;
      for (let i = 0; i < ws.length; i++) {
        if (!sameValue(gs[i]!, ws[i]!)) return `${where}: ${name} ${i} is ${String(gs[i])}, expected ${String(ws[i])}`;
      }
    }
  }
  return null;
}

/**
 * What compiled code would hand over for `frames` (outermost first), innermost
 * first; null when some frame is not at a checkpoint (a host call between).
 */
export function encodeStack(maps: FrameMaps, index: ReturnType<typeof checkpointIndex>, frames: readonly FrameState[]): Capture[] | null {
  const captures: Capture[] = [];
  for (let k = frames.length - 1; k >= 0; k--) {
    const f = frames[k]!;
    const paused = k < frames.length - 1;
    if (f.callingHost === true) return null;
    const id = paused ? index.afterCall(f.funcIndex, f.pc) : index.at(f.funcIndex, f.pc);
    if (id === undefined) return null;
    captures.push(encodeFrame(cachedCheckpoint(maps, id), f, paused));
  }
  return captures;
}

/** The innermost captured frame holds exactly the stack the frame map expects at its checkpoint. */
function assertStackHeight(maps: FrameMaps, id: number, top: FrameState): void {
  const cp = cachedCheckpoint(maps, id);
  if (top.stack.length !== cp.stack.length) {
    throw new Error(`checkpoint ${id}: captured ${top.stack.length} stack values, the frame map has ${cp.stack.length} (at offset ${top.pc})`);
  }
}

/** Every offset the harness stops at in `break` mode: the flag-checking checkpoints' resume offsets. */
function breakpointPlaces(maps: FrameMaps): { funcIndex: number; offset: CodeOffset }[] {
  const out: { funcIndex: number; offset: CodeOffset }[] = [];
  for (let id = 0; id < maps.count; id++) {
    const cp = checkpointOf(maps, id);
    if (cp.kind !== 'trap-site') out.push({ funcIndex: cp.funcIndex, offset: cp.resume });
  }
  return out;
}

/** Runs `func(args)` with forced deopts; see the file header. */
export function runWithDeopts(instance: Instance, maps: FrameMaps, func: FuncInstance, args: readonly Value[], options: StressOptions): StressResult {
  const index = checkpointIndex(maps);
  const reached: Record<string, number> = {};
  const maxDeopts = options.maxDeopts ?? Infinity;
  let seen = 0, deopts = 0, maxFrames = 0;
  // Where the last resume restarted (function, offset, depth): the first stop there is not a new arrival.
  let resumedAt: { funcIndex: number; offset: number; depth: number } | null = null;
  const placed: { funcIndex: number; offset: CodeOffset }[] = [];

  const onStop = (_reason: string, live: LiveFrame): void => {
    if (live.inst !== instance) return;
    const offset = live.ff.offsets[live.pc]!;
    // Only a stop before the whole instruction (its first flat instruction) is a checkpoint place.
    if (live.ff.pcAt(offset) !== live.pc) return;
    const r = resumedAt;
    resumedAt = null;
    if (r !== null && r.funcIndex === live.ff.funcIndex && r.offset === offset && r.depth === currentDepth()) return;
    const id = index.at(live.ff.funcIndex, offset);
    if (id === undefined) return;
    const kind = cachedCheckpoint(maps, id).kind;
    if (kind === 'trap-site') return;
    reached[kind] = (reached[kind] ?? 0) + 1;
    if (++seen % options.every !== 0 || deopts >= maxDeopts) return;
    const frames = captureFrames(live);
    assertStackHeight(maps, id, frames[frames.length - 1]!);
    const captures = encodeStack(maps, index, frames);
    if (captures === null) return;
    const decoded = deoptFrames(maps, captures, instance);
    const diff = frameDiff(decoded, frames);
    if (diff !== null) throw new Error(`deopt round trip at checkpoint ${id}: ${diff}`);
    maxFrames = Math.max(maxFrames, frames.length);
    throw new Abandon(decoded);
  };

  const saved = { ...hooks };
  hooks.onStop = onStop;
  hooks.mayStop = null;
  hooks.stepping = options.mode === 'step';
  hooks.stepMaxDepth = Number.MAX_SAFE_INTEGER;
  try {
    if (options.mode === 'break') {
      for (const p of breakpointPlaces(maps)) if (setBreakpoint(instance.module, p.funcIndex, p.offset) === p.offset) placed.push(p);
    }
    let pending: FrameState[] | null = null;
    for (;;) {
      try {
        const results = pending === null ? invoke(func, args) : resume(pending);
        return { results, deopts, reached, maxFrames };
      } catch (e) {
        if (!(e instanceof Abandon)) throw e;
        pending = e.frames;
        deopts++;
        const top = pending[pending.length - 1]!;
        resumedAt = { funcIndex: top.funcIndex, offset: top.pc, depth: pending.length - 1 };
        if (deopts >= maxDeopts) {
          hooks.stepping = false;
          for (const p of placed.splice(0)) clearBreakpoint(instance.module, p.funcIndex, p.offset);
        }
      }
    }
  } finally {
    for (const p of placed) clearBreakpoint(instance.module, p.funcIndex, p.offset);
    Object.assign(hooks, saved);
  }
}
