/**
 * The interpreter's state as plain data (DESIGN.md invariant 3): for each
 * frame the function, the pc (a code offset), the locals and the operand
 * stack, as canonical values. `captureFrames` reads it off the machine while
 * execution is stopped (in a debug hook or at a trap); `resume` builds the
 * machine from such a state and continues, which is what deopt and the
 * debugger's "continue" after a state change rely on.
 *
 * A frame that is not the innermost is paused at a call instruction: its pc
 * is the call's offset and its stack holds what lies below the call's
 * arguments (the arguments became the callee's parameters).
 */
import { instrIndexAt, stateIndexBetween } from '../syntax/offsets.js';
import { InternalError, type Trap } from '../errors.js';
import type { CodeOffset } from '../syntax/offsets.js';
import type { Module, ValType } from '../syntax/types.js';
import { operandTypesAt } from '../valid/validate.js';
import { exactOfModule, fusedOfModule } from './flat-cache.js';
import { machine as M } from './machine.js';
import { Op } from './ops.js';
import type { FlatFunc } from './flat-func.js';
import { raiseAt, run } from './run.js';
import { readSlot, writeSlot } from './slots.js';
import type { Instance } from './store.js';
import type { Value } from './values.js';

export interface FrameState {
  readonly instance: Instance;
  /** Index in the module's function index space. */
  readonly funcIndex: number;
  /** Code offset of the instruction to run next (or of the call in progress). */
  readonly pc: CodeOffset;
  /** Parameters then declared locals. */
  readonly locals: Value[];
  /** Operand stack, bottom first. */
  readonly stack: Value[];
  /** Whether a host (import) call sits above this frame. */
  readonly callingHost?: boolean;
}

/** Where the running (innermost) frame is; kept by run.ts when it stops or traps. */
export interface LiveFrame {
  ff: FlatFunc;
  inst: Instance;
  pc: number;
  fp: number;
}

/**
 * An array for canonical values that V8 keeps generic: an array holding only
 * numbers is stored unboxed, and storing a NaN there quiets it, which would
 * lose an f64 signalling NaN's bits.
 */
function valueArray(n: number): Value[] {
  return new Array<Value>(n).fill(undefined);
}


/**
 * Reads one frame at flat pc `pc`. A saved (`paused`) frame is in the middle
 * of the call at `pc`: its arguments became the callee's locals, so its
 * stack is what lies below them. The running frame is before its instruction.
 */
function readFrame(ff: FlatFunc, inst: Instance, pc: number, fp: number, callingHost: boolean, paused: boolean): FrameState {
  const module = inst.module;
  const offset = ff.offsets[pc]!;
  if (offset < 0) throw new InternalError(`no instruction at flat pc ${pc}`);
  const index = stopStateIndex(module, ff.funcIndex, offset);
  let types = operandTypesAt(module, ff.funcIndex, index) as ValType[];
  const op = ff.code[pc];
  if (paused && (op === Op.Call || op === Op.CallIndirect)) {
    const callee = op === Op.Call ? module.types[module.funcTypes[ff.code[pc + 1]!]!]! : module.types[ff.code[pc + 1]!]!;
    types = types.slice(0, types.length - callee.params.length - (op === Op.CallIndirect ? 1 : 0));
  }
  const locals = valueArray(ff.localTypes.length);
  ff.localTypes.forEach((t, i) => (locals[i] = readSlot(t, (fp + i) * 2)));
  const stack = valueArray(types.length);
  types.forEach((t, j) => (stack[j] = t === ('unknown' as ValType) ? undefined : readSlot(t, (fp + ff.stackBase + j) * 2)));
  // Fused code may not have copied a local.get's (or a constant's) value yet: it is that slot's current value.
  const pending = ff.pending.get(pc);
  if (pending !== undefined) {
    for (let i = 0; i < pending.length; i += 2) stack[pending[i]!] = readSlot(ff.slotTypes[pending[i + 1]!]!, (fp + pending[i + 1]!) * 2);
  }
  return { instance: inst, funcIndex: ff.funcIndex, pc: offset as CodeOffset, locals, stack, callingHost };
}

/**
 * Moves the running frame from fused to exact code at the start of the
 * group at `pc` (a Wasm instruction boundary, where nothing of the group has
 * run): values still pending in locals or constant slots are copied out, and
 * the operand stack moves down past the fused variant's constant slots.
 * Returns the exact variant and the pc to continue at. This is the
 * interpreter's own small deopt, done before a debugger stop so that stops
 * and single steps are exact.
 */
export function toExact(ff: FlatFunc, inst: Instance, pc: number, fp: number): { ff: FlatFunc; pc: number } {
  const module = inst.module;
  const ex = exactOfModule(module, ff.funcIndex);
  const offset = ff.offsets[pc]!;
  let npc = ex.pcAt(offset);
  for (let p = 0; npc < 0 && p < ex.offsets.length; p++) if (ex.offsets[p]! >= offset) npc = p;
  const func = module.funcs[ff.funcIndex - module.importedFuncCount]!;
  const idx = stopStateIndex(module, ff.funcIndex, offset);
  const h = idx >= 0 ? func.heights![idx]! : 0;
  const words = new Int32Array(2 * h);
  const refs = new Array<unknown>(h);
  const from = new Int32Array(h);
  for (let j = 0; j < h; j++) from[j] = fp + ff.stackBase + j;
  const pending = ff.pending.get(pc);
  if (pending !== undefined) for (let i = 0; i < pending.length; i += 2) from[pending[i]!] = fp + pending[i + 1]!;
  for (let j = 0; j < h; j++) {
    words[2 * j] = M.I32[2 * from[j]!]!;
    words[2 * j + 1] = M.I32[2 * from[j]! + 1]!;
    refs[j] = M.R[from[j]!];
  }
  M.I32.set(words, 2 * (fp + ex.stackBase));
  for (let j = 0; j < h; j++) M.R[fp + ex.stackBase + j] = refs[j] as never;
  return { ff: ex, pc: npc };
}

/**
 * The way back: moves the running frame from exact to fused code at a loop
 * header (where both variants hold every stack value in its own slot), so a
 * frame that stopped once (or was resumed) runs fast again. Null when the
 * fused code has no loop header there.
 */
export function toFused(ex: FlatFunc, inst: Instance, pc: number, fp: number): { ff: FlatFunc; pc: number } | null {
  const module = inst.module;
  const fu = fusedOfModule(module, ex.funcIndex);
  const offset = ex.offsets[pc]!;
  const fpc = fu.pcAt(offset);
  if (fpc < 0 || fu.loopHeads[fpc] !== 1) return null;
  const func = module.funcs[ex.funcIndex - module.importedFuncCount]!;
  const h = func.heights![stopStateIndex(module, ex.funcIndex, offset)]!;
  // Values the loop's first group reads from locals are its own (height h and up); none may be pending below.
  const pending = fu.pending.get(fpc);
  if (pending !== undefined) for (let i = 0; i < pending.length; i += 2) if (pending[i]! < h) return null;
  M.ensure(fp + fu.frameSize);
  // Up by the constant slots: copy from the top down.
  for (let j = h - 1; j >= 0; j--) {
    const from = fp + ex.stackBase + j, to = fp + fu.stackBase + j;
    M.I32[2 * to] = M.I32[2 * from]!;
    M.I32[2 * to + 1] = M.I32[2 * from + 1]!;
    M.R[to] = M.R[from];
  }
  M.I32.set(fu.consts, 2 * (fp + fu.nlocals));
  return { ff: fu, pc: fpc };
}

/**
 * The flat pc that stands for "before the instruction at `offset`": the
 * instruction starting there, else the first whose group covers it (a
 * `block`, `loop`, `nop` or `drop` has no flat code of its own and belongs to
 * the next group).
 */
function coveringPc(ff: FlatFunc, offset: number): number {
  const pc = ff.pcAt(offset);
  if (pc >= 0) return pc;
  for (let p = 0; p < ff.ends.length; p++) if (ff.ends[p]! >= offset && ff.offsets[p]! >= 0) return p;
  return -1;
}

/**
 * The offset the interpreter reports for a stop before the instruction at
 * `offset` of function `funcIndex`: the start of its group in exact code (so
 * "before `loop`" and "before the loop body's first instruction", one state,
 * have one name).
 */
export function stopOffsetOf(module: Module, funcIndex: number, offset: CodeOffset): CodeOffset {
  const ex = exactOfModule(module, funcIndex);
  const pc = coveringPc(ex, offset);
  return (pc >= 0 ? ex.offsets[pc]! : offset) as CodeOffset;
}

/**
 * The index of the instruction whose recorded operand state is the live
 * state at the stop named `named` (stopOffsetOf's offsets) in function
 * `funcIndex`: over the instructions its exact-code group covers, up to the
 * one doing the work (stateIndexBetween). Frame maps, the checkpoint pass
 * and every frame read here take a stop's types and heights from it.
 */
export function stopStateIndex(module: Module, funcIndex: number, named: number): number {
  const func = module.funcs[funcIndex - module.importedFuncCount]!;
  const first = instrIndexAt(func, named);
  if (first < 0) return first;
  const ex = exactOfModule(module, funcIndex);
  const pc = ex.pcAt(named);
  const last = pc >= 0 ? instrIndexAt(func, ex.sites[pc]!) : first;
  return stateIndexBetween(func, first, last < first ? first : last);
}

/** The flat pc of the call instruction at `offset` (copies preparing its arguments may come first). */
function callPcAt(ff: FlatFunc, offset: number): number {
  // Named by its own offset, or by its group's (a `block` or `loop` before it has no code of its own).
  for (let pc = 0; pc < ff.code.length; pc++) {
    const op = ff.code[pc];
    if ((op === Op.Call || op === Op.CallIndirect) && (ff.sites[pc] === offset || ff.offsets[pc] === offset) && ff.offsets[pc]! >= 0) return pc;
  }
  throw new InternalError(`resume: no call at offset ${offset} of function ${ff.funcIndex}`);
}

/** Every Wasm frame on the machine, outermost first; `live` is the running frame. */
export { instrIndexAt };

export function captureFrames(live: LiveFrame): FrameState[] {
  const frames: FrameState[] = [];
  for (let d = 0; d < M.depth; d++) {
    frames.push(readFrame(M.csFunc[d]!, M.csInst[d]!, M.csPc[d]!, M.csFp[d]!, M.csHost[d] === 1, true));
  }
  frames.push(readFrame(live.ff, live.inst, live.pc, live.fp, false, false));
  return frames;
}

/** Operand-stack types before the instruction at `offset`, cached per function: deopting a deep stack asks for the same few places many times. */
const stackTypes = new WeakMap<object, Map<number, ValType[]>>();
function stackTypesAt(module: Module, funcIndex: number, offset: number): ValType[] {
  const func = module.funcs[funcIndex - module.importedFuncCount]!;
  let byOffset = stackTypes.get(func);
  if (byOffset === undefined) stackTypes.set(func, (byOffset = new Map()));
  let types = byOffset.get(offset);
  if (types === undefined) byOffset.set(offset, (types = operandTypesAt(module, funcIndex, stopStateIndex(module, funcIndex, offset)) as ValType[]));
  return types;
}

/**
 * Builds the machine from `frames` (outermost first) at the machine's top and
 * runs to completion; returns the outermost frame's results. With `trap`, the
 * innermost frame raises it where it stands instead of running (a stop for
 * the debugger, then the throw): every frame is then paused at its call.
 */
export function resume(frames: readonly FrameState[], trap?: Trap): Value[] {
  if (frames.length === 0) throw new InternalError('resume: no frames');
  const base = M.top, depth = M.depth;
  let fp = base;
  const flats: FlatFunc[] = [];
  try {
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      // The exact variant has a flat pc at every offset.
      const ff = exactOfModule(f.instance.module, f.funcIndex);
      flats.push(ff);
      const pc = i < frames.length - 1 ? callPcAt(ff, f.pc) : coveringPc(ff, f.pc);
      if (pc < 0) throw new InternalError(`resume: no instruction at offset ${f.pc} of function ${f.funcIndex}`);
      M.ensure(fp + ff.frameSize + 1);
      f.locals.forEach((v, j) => writeSlot(ff.localTypes[j]!, (fp + j) * 2, v));
      const types = stackTypesAt(f.instance.module, f.funcIndex, f.pc);
      f.stack.forEach((v, j) => writeSlot(types[j]!, (fp + ff.stackBase + j) * 2, v));
      if (i < frames.length - 1) {
        const d = M.depth++;
        M.csFunc[d] = ff;
        M.csInst[d] = f.instance;
        M.csPc[d] = pc;
        M.csFp[d] = fp;
        M.csHost[d] = 0;
        fp += ff.stackBase + f.stack.length;
      }
    }
    const top = frames[frames.length - 1]!;
    const ff = flats[flats.length - 1]!;
    M.top = fp + ff.frameSize;
    if (trap !== undefined) raiseAt(ff, top.instance, fp, coveringPc(ff, top.pc), trap);
    run(ff, top.instance, fp, coveringPc(ff, top.pc), depth);
    const outer = frames[0]!;
    const results = outer.instance.module.types[outer.instance.module.funcTypes[outer.funcIndex]!]!.results;
    const out = valueArray(results.length);
    results.forEach((t, i) => (out[i] = readSlot(t, (base + i) * 2)));
    return out;
  } finally {
    M.top = base;
    M.depth = depth;
  }
}
