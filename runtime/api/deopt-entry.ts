/**
 * The runtime's deopt entry for code compiled with checkpoints
 * (compiler/passes/checkpoints.ts): the pending flag `P` and the `DE` object
 * the generated code calls. A checkpoint that sees P[0] !== 0 asks `DE.e`
 * (or `DE.a` after a call) whether to deopt; a yes stores the capture and
 * sets P[0] = 2, so each compiled caller hands over its own frame (paused at
 * its call) and returns. The canonical entry that the host called marked the
 * captures list on entry (`DE.m`); seeing P[0] === 2 it calls `DE.f(mark)`,
 * which takes the captures added since (innermost first), puts the flag back
 * and returns `deoptAndResume`'s results in the canonical entry's convention
 * (none: undefined, one: itself, several: an array), synchronously.
 *
 * Stress mode (`every` = N > 0): the flag stays 1 and every Nth checkpoint
 * reached deopts. Invariant: between host-visible calls the captures list is
 * empty and P[0] is back at its resting value (`DE.x` restores both when an
 * exception leaves a canonical entry).
 */
import { Exhaustion, resume, stopOffsetOf, type FrameState, type Instance, type Value } from '../../interpreter/index.js';
import type { CheckpointMaps } from '../../compiler/index.js';
import { cachedCheckpoint, deoptFrames, i64FromHalves, widthOf, type Capture, type FrameMaps, type SlotRef } from '../../deopt/index.js';

export interface DeoptEnv {
  readonly P: Int32Array;
  readonly DE: DeoptEntry;
}

/** Who decides, outside stress mode, which checkpoints deopt (native-debug.ts). */
export interface DeoptPolicy {
  /** Does the frame at checkpoint row `k` of function `fi` deopt? `entry`: the function's entry checkpoint. */
  decide(fi: number, k: number, entry: boolean): boolean;
  /** The innermost chain was just handed to the interpreter: P[0]'s value from now on. */
  resumed(): number;
}

export class DeoptEntry {
  /** The pending flag (shared memory, so another thread may set it with Atomics.store). */
  readonly flag: Int32Array;
  readonly #captures: Capture[] = [];
  readonly #maps: FrameMaps;
  /** firstId by function index (-1: no checkpoints). */
  readonly #firstId: Int32Array;
  /** After-call rows: the capture width of the frame paused at its call, by id. */
  readonly #pausedWidth: Int32Array;
  /** Each function's checkpoint rows, by function index (the row kind tells an entry). */
  readonly #rows: (readonly (readonly unknown[])[] | undefined)[] = [];
  #seen = 0;
  /** Deopts taken (chains resumed in the interpreter). */
  deopts = 0;
  /** native-debug's decisions (without one and outside stress mode, every checkpoint that sees the flag deopts). */
  policy: DeoptPolicy | undefined;

  /** `shared`: the flag array to use (another thread holds it too), else a new one. */
  constructor(maps: CheckpointMaps, readonly instance: Instance, readonly every: number, shared?: Int32Array) {
    this.flag = shared ?? new Int32Array(new SharedArrayBuffer(4));
    this.#maps = maps as unknown as FrameMaps;
    const funcCount = instance.module.funcTypes.length;
    this.#firstId = new Int32Array(funcCount).fill(-1);
    this.#pausedWidth = new Int32Array(maps.count);
    for (const f of maps.funcs) {
      this.#firstId[f.func] = f.firstId;
      this.#rows[f.func] = f.rows;
      const lw = widthOf(f.locals);
      f.rows.forEach((row, k) => {
        if (row[0] === 2) this.#pausedWidth[f.firstId + k] = lw + widthOf(row[2].slice(0, row[2].length - row[3]));
      });
    }
    if (this.resting !== 0) this.flag[0] = this.resting; // a shared flag may already hold another thread's request
  }

  /** P[0] between deopts: 1 in stress mode (every checkpoint consults `e`), else 0. */
  get resting(): number {
    return this.every > 0 ? 1 : 0;
  }

  /** What the factory takes besides makeEnv's names. */
  env(): DeoptEnv {
    return { P: this.flag, DE: this };
  }

  /** Whether this checkpoint deopts (stress: every Nth; otherwise the policy's answer, or yes). */
  #decide(fi: number, k: number): boolean {
    if (this.every > 0) return ++this.#seen % this.every === 0;
    if (this.policy === undefined) return true;
    const rows = this.#rows[fi];
    return this.policy.decide(fi, k, rows !== undefined && rows[k]?.[0] === 0);
  }

  /** Entry / loop-header checkpoint of function `fi`, row `k`. */
  e(fi: number, k: number, values: unknown[]): boolean {
    if (!this.#decide(fi, k)) return false;
    values.shift(); // the leading null that keeps the array generic (passes/checkpoints.ts)
    this.#captures.push({ id: this.#firstId[fi]! + k, values });
    this.flag[0] = 2;
    return true;
  }

  /** After-call checkpoint: a callee unwound (P[0] === 2: hand over the frame paused at the call), or a fresh decision. */
  a(fi: number, k: number, values: unknown[]): boolean {
    const id = this.#firstId[fi]! + k;
    if (this.flag[0] === 2) {
      values.shift();
      values.length = this.#pausedWidth[id]!;
      this.#captures.push({ id, values });
      return true;
    }
    return this.e(fi, k, values);
  }

  /** A canonical entry's mark: where its chain's captures will start. */
  m(): number {
    return this.#captures.length;
  }

  /** The chain that unwound into a canonical entry, resumed in the interpreter; its results in the entry's convention. */
  f(mark: number): unknown {
    const captures = this.#captures.splice(mark);
    this.flag[0] = this.policy !== undefined && this.every === 0 ? this.policy.resumed() : this.resting;
    this.deopts++;
    deoptFrames(this.#maps, captures, this.instance); // validates the chain (widths, result counts)
    const frames = captures.map((c, k) => this.#frame(c, k > 0)).reverse();
    // Workaround (interpreter/exec/frames.ts callPcAt looks the call up by its own offset, which has no
    // flat pc when the call shares a group with a `block` / `loop` before it): name paused callers by
    // the group's offset, where the interpreter keeps the call.
    const module = this.instance.module;
    for (let i = 0; i < frames.length - 1; i++) {
      const f = frames[i]!;
      frames[i] = { ...f, pc: stopOffsetOf(module, f.funcIndex, f.pc) };
    }
    const rs = resume(frames);
    return rs.length === 0 ? undefined : rs.length === 1 ? rs[0] : rs;
  }

  /**
   * `decodeFrame` (deopt/capture.ts) with generic arrays: its `Array.map`
   * builds an unboxed double array when every value is a number, which
   * quiets signalling NaNs (f64 spec assertions caught it). The chain was
   * validated by `deoptFrames`; this only redoes the value copy.
   */
  #frame(capture: Capture, paused: boolean): FrameState {
    const cp = cachedCheckpoint(this.#maps, capture.id);
    const read = (refs: readonly SlotRef[]): Value[] => {
      const out: Value[] = [null];
      out.pop();
      for (const r of refs) {
        const v = capture.values[r.at];
        out.push(r.conv === 'j' ? i64FromHalves(v as number, capture.values[r.at + 1] as number) : (v as Value));
      }
      return out;
    };
    const stack = paused ? cp.stack.slice(0, cp.stack.length - cp.results) : cp.stack;
    return { instance: this.instance, funcIndex: cp.funcIndex, pc: paused ? cp.call! : cp.resume, locals: read(cp.locals), stack: read(stack) };
  }

  /**
   * An exception left a canonical entry: drop its chain's captures, put the
   * flag back, and return the error to throw. Deopted recursion nests canonical
   * entries, so a stack overflow may surface from inside an inner entry's own
   * error handling (V8 then reports it as whatever was running, e.g. a
   * SyntaxError from compiling a regular expression): that is exhaustion too.
   */
  x(mark: number, e: unknown): unknown {
    if (this.#captures.length > mark) this.#captures.length = mark;
    if (this.flag[0] === 2) this.flag[0] = this.policy !== undefined && this.every === 0 ? this.policy.resumed() : this.resting;
    if (e instanceof Error && !(e instanceof RangeError) && /Maximum call stack size exceeded|Stack overflow/i.test(e.message)) return new Exhaustion('call stack exhausted');
    return e;
  }
}
