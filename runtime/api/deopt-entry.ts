/**
 * The runtime's deopt entry for code compiled with checkpoints
 * (compiler/passes/checkpoints.ts): the pending flag `P` and the `DE` object
 * the generated code calls. A checkpoint that sees its word set leaves: it
 * hands its frame to `DE.e` (or `DE.a` after a call), which stores the
 * capture and sets P[0] = 2, so each compiled caller hands over its own frame
 * (paused at its call) and returns. A taken check always leaves (a check
 * that could decide to run on costs 10-20% in tight code, see
 * passes/checkpoints.ts); only stress-mode code asks `DE.s` first. The
 * canonical entry that the host called marked the captures list on entry
 * (`DE.m`); seeing P[0] === 2 it calls `DE.f(mark)`,
 * which takes the captures added since (innermost first), puts the flag back
 * and returns `deoptAndResume`'s results in the canonical entry's convention
 * (none: undefined, one: itself, several: an array), synchronously.
 *
 * The flag array has 1 + funcCount words: P[0] the global request (read by
 * loop headers and after calls), P[1 + fi] the entry word of function fi
 * (read by its entry check: 1 = calls entering fi deopt, for a breakpoint
 * in fi). A trap in compiled code is caught by its function, which calls
 * `DE.t`: the frame is kept as it was before the faulting instruction (the
 * trap-site row), P[0] = 2 unwinds the callers, and the interpreter
 * re-executes the instruction, trapping (or stopping in its debugger) there.
 * A JavaScript stack overflow has no place: its callers are handed over
 * paused at their calls and the interpreter raises the exhaustion trap at the
 * innermost of them without running anything (deopt/DESIGN.md).
 *
 * Stress mode (`every` = N > 0, code compiled with `checkpoints: 'stress'`):
 * P[0] and every entry word stay 1 and every Nth checkpoint reached deopts.
 * Invariant: between host-visible calls the captures list is empty and P[0]
 * is back at its resting value (`DE.x` restores both when an exception
 * leaves a canonical entry).
 */
import { Exhaustion, Trap, resume, stopOffsetOf, type CodeOffset, type FrameState, type Instance, type Value } from '../../interpreter/index.js';
import type { CheckpointMaps } from '../../compiler/index.js';
import { cachedCheckpoint, deoptFrames, i64FromHalves, widthOf, type Capture, type CheckpointRow, type FrameMaps, type FuncFrameMap, type SlotRef } from '../../deopt/index.js';

/** Traps that left a canonical entry: no compiled frame may take them for its own (`DE.t`). */
const PASSED = new WeakSet<object>();

/** Row `id` of function map `f`. */
function rowOf(f: FuncFrameMap, id: number): CheckpointRow {
  return f.rows[id - f.firstId]!;
}

/**
 * The flag array as compiled code reads it: besides its words, `armed`, 1
 * once any entry word has been set. Until then entry checks skip their word
 * and, `armed` never having been written since it was added, V8 compiles
 * them away (compiler/passes/checkpoints.ts entryCheckpoint); the first
 * arming deoptimizes that code, once per process and map.
 */
export type FlagArray = Int32Array & { armed?: number };

/** Lets entry checks read their entry words from now on (call before setting one). */
export function armEntries(flag: FlagArray): void {
  if (flag.armed !== 1) flag.armed = 1;
}

export interface DeoptEnv {
  readonly P: FlagArray;
  readonly DE: DeoptEntry;
}

/** native-debug's side of a deopt (native-debug.ts). */
export interface DeoptPolicy {
  /** A compiled frame saw its flag and leaves: another thread's request now covers every chain running. */
  deopting(): void;
  /** Stress mode, at a taken check: must the frame at row `k` of function `fi` leave for the debugger? `entry`: its entry checkpoint. */
  decide(fi: number, k: number, entry: boolean): boolean;
  /** The innermost chain was just handed to the interpreter: P[0]'s value from now on. */
  resumed(): number;
}

export class DeoptEntry {
  /** The pending flags, 1 + funcCount words (shared memory, so another thread may set them with Atomics.store). */
  readonly flag: FlagArray;
  readonly #captures: Capture[] = [];
  readonly #maps: FrameMaps;
  /** firstId by function index (-1: no checkpoints). */
  readonly #firstId: Int32Array;
  /** After-call rows: the capture width of the frame paused at its call, by id. */
  readonly #pausedWidth: Int32Array;
  /** Each function's checkpoint rows, by function index (the row kind tells an entry). */
  readonly #rows: (readonly (readonly unknown[])[] | undefined)[] = [];
  /** Per function: trap offset's stop offset → row id (built on a function's first trap). */
  readonly #trapRows = new Map<number, Map<number, number>>();
  #seen = 0;
  /** A JavaScript stack overflow being unwound (`t`): the chain's innermost frame raises it. */
  #exhausted: Exhaustion | undefined;
  /** Deopts taken (chains resumed in the interpreter). */
  deopts = 0;
  /** native-debug's decisions (without one and outside stress mode, every checkpoint that sees the flag deopts). */
  policy: DeoptPolicy | undefined;

  /** `shared`: the flag array to use (another thread holds it too), else a new one. */
  constructor(maps: CheckpointMaps, readonly instance: Instance, readonly every: number, shared?: Int32Array) {
    this.#maps = maps as unknown as FrameMaps;
    const funcCount = instance.module.funcTypes.length;
    this.flag = shared ?? new Int32Array(new SharedArrayBuffer(4 * (1 + funcCount)));
    if (this.flag.length < 1 + funcCount) throw new RangeError(`the deopt flag array has ${this.flag.length} words; this module needs ${1 + funcCount}`);
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
    this.flag.armed ??= 0;
    if (this.resting !== 0) {
      armEntries(this.flag);
      this.flag.fill(this.resting); // a shared flag may already hold another thread's request
    }
  }

  /** P[0] between deopts: 1 in stress mode (every checkpoint consults `e`), else 0. */
  get resting(): number {
    return this.every > 0 ? 1 : 0;
  }

  /** P[0] once the innermost chain is handed over or abandoned: the policy's answer, else the resting value. */
  #afterChain(): number {
    return this.policy !== undefined && this.every === 0 ? this.policy.resumed() : this.resting;
  }

  /** What the factory takes besides makeEnv's names. */
  env(): DeoptEnv {
    return { P: this.flag, DE: this };
  }

  /** Stress mode's question at a taken check (`checkpoints: 'stress'`): does this one leave? An after-call check leaves while a callee unwinds. */
  s(fi: number, k: number): boolean {
    const kind = this.#rows[fi]?.[k]?.[0];
    if (this.flag[0] === 2 && kind === 2) return true;
    if (this.policy?.decide(fi, k, kind === 0) === true) return true; // a breakpoint or request does not wait for the Nth
    return this.every <= 0 || ++this.#seen % this.every === 0;
  }

  /** Entry / loop-header checkpoint of function `fi`, row `k`: the frame leaves (its check was taken). */
  e(fi: number, k: number, values: unknown[]): void {
    if (this.every === 0) this.policy?.deopting();
    values.shift(); // the leading null that keeps the array generic (passes/checkpoints.ts)
    this.#captures.push({ id: this.#firstId[fi]! + k, values });
    this.flag[0] = 2;
  }

  /** After-call checkpoint: a callee unwound (P[0] === 2: the frame is paused at the call), or a fresh request. */
  a(fi: number, k: number, values: unknown[]): void {
    if (this.flag[0] !== 2) return this.e(fi, k, values);
    const id = this.#firstId[fi]! + k;
    values.shift();
    values.length = this.#pausedWidth[id]!;
    this.#captures.push({ id, values });
  }

  /**
   * A trap function `fi` caught: `e` (already through `exhaustion`, so a
   * DataView bounds error is a located Trap) and every local and slot of the
   * frame (`stride` 2: each slot has its high half). True when `e` is a trap
   * of an instruction of fi that has a row: the capture is kept in the row's
   * layout and P[0] = 2. A trap that already left a canonical entry (an
   * interpreter's, re-thrown through a host into a compiled caller of the
   * same function) is not this frame's and is rethrown.
   */
  t(fi: number, e: unknown, values: unknown[], stride: number): boolean {
    if (e instanceof Exhaustion && e.offset === undefined && !PASSED.has(e)) {
      // A JavaScript stack overflow under this frame (`exhaustion` made it an Exhaustion
      // with no place). The frames above it are gone and where this one stands is unknown,
      // so it keeps nothing; its callers, paused at their calls, hand themselves over, and
      // the interpreter raises the trap at the innermost of them (`f`). Nothing here may
      // need much stack: handlers closer to the overflow fail and rethrow to this one.
      this.#exhausted = e;
      this.flag[0] = 2;
      return true;
    }
    if (!(e instanceof Trap) || e instanceof Exhaustion || e.funcIndex !== fi || e.offset === undefined || PASSED.has(e)) return false;
    const id = this.#trapRow(fi, e.offset);
    if (id < 0) return false;
    const f = this.#funcMap(fi)!;
    const stack = rowOf(f, id)[2];
    const lw = widthOf(f.locals);
    const out: unknown[] = values.slice(1, 1 + lw);
    // A row may hold one value more than the compiled frame (a `drop` grouped before the
    // faulting instruction): that slot is stale, dropped on resume, so only its type matters.
    const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
    for (let j = 0; j < stack.length; j++) {
      const at = 1 + lw + j * stride, c = stack[j];
      if (c === 'r') out.push(at < values.length ? values[at] : null);
      else out.push(num(values[at]));
      if (c === 'j') out.push(stride === 2 ? num(values[at + 1]) : 0);
    }
    this.#captures.push({ id, values: out });
    this.flag[0] = 2;
    return true;
  }

  /** The row id for a trap at `offset` of `fi` (a row of that place: its own trap site, or the entry, loop or after-call row it shares), or -1. */
  #trapRow(fi: number, offset: number): number {
    let rows = this.#trapRows.get(fi);
    if (rows === undefined) {
      rows = new Map();
      const f = this.#funcMap(fi);
      if (f !== undefined) {
        f.rows.forEach((row, k) => {
          const at = f.base + row[1];
          if (!rows!.has(at) || row[0] === 3) rows!.set(at, f.firstId + k);
        });
      }
      this.#trapRows.set(fi, rows);
    }
    return rows.get(stopOffsetOf(this.instance.module, fi, offset as CodeOffset)) ?? -1;
  }

  #funcMap(fi: number): FuncFrameMap | undefined {
    const first = this.#firstId[fi];
    if (first === undefined || first < 0) return undefined;
    return this.#maps.funcs.find((f) => f.func === fi);
  }

  /** A canonical entry's mark: where its chain's captures will start. */
  m(): number {
    return this.#captures.length;
  }

  /** The chain that unwound into a canonical entry, resumed in the interpreter; its results in the entry's convention. */
  f(mark: number): unknown {
    const captures = this.#captures.splice(mark);
    const exhausted = this.#exhausted;
    this.#exhausted = undefined;
    this.flag[0] = this.#afterChain();
    if (exhausted !== undefined && captures.length === 0) throw exhausted; // the overflow reached no compiled caller
    this.deopts++;
    deoptFrames(this.#maps, captures, this.instance, exhausted !== undefined); // validates the chain (widths, result counts)
    const frames = captures.map((c, k) => this.#frame(c, k > 0 || exhausted !== undefined)).reverse();
    // Workaround (interpreter/exec/frames.ts callPcAt looks the call up by its own offset, which has no
    // flat pc when the call shares a group with a `block` / `loop` before it): name paused callers by
    // the group's offset, where the interpreter keeps the call.
    const module = this.instance.module;
    for (let i = 0; i < frames.length - 1; i++) {
      const f = frames[i]!;
      frames[i] = { ...f, pc: stopOffsetOf(module, f.funcIndex, f.pc) };
    }
    let trap: Exhaustion | undefined;
    if (exhausted !== undefined) {
      const at = frames[frames.length - 1]!;
      trap = new Exhaustion(exhausted.message, at.pc, at.funcIndex, module.names.funcs.get(at.funcIndex));
    }
    const rs = resume(frames, trap);
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
    this.#exhausted = undefined;
    if (e instanceof Trap) PASSED.add(e);
    if (this.#captures.length > mark) this.#captures.length = mark;
    if (this.flag[0] === 2) this.flag[0] = this.#afterChain();
    if (e instanceof Error && !(e instanceof RangeError) && /Maximum call stack size exceeded|Stack overflow/i.test(e.message)) return new Exhaustion('call stack exhausted');
    return e;
  }
}
