/**
 * The frame-map format (house rule H-17, DESIGN.md invariants 4 and 6): for
 * every checkpoint of compiled code, the function, the Wasm offset the
 * interpreter resumes at, and where each local and live operand-stack value
 * sits in the capture the compiled frame hands over, with how to turn it into
 * a canonical value. Plain JSON-able data, compact: one record per function,
 * its checkpoints as short arrays, value kinds as one letter each.
 *
 * Invariant (the capture order, which the checkpoint pass must emit): the
 * values of a capture are local 0, 1, … then stack slot 0 (bottom), 1, …,
 * i.e. the JS variables `l0 [l0h] l1 … s0 [s0h] s1 …` of the compiler's frame
 * layout; an i64 takes two entries, low half then high half (signed int32s).
 * Checkpoint ids are dense: function k's checkpoints are `firstId …
 * firstId + rows.length - 1` in row order.
 *
 * This file depends on the interpreter's syntax only, so the compiler's
 * checkpoint pass can own it (see deopt/DESIGN.md "Where the format lives").
 */
import { hex, type CodeOffset, type ValType } from '../interpreter/index.js';
import { CHECKPOINT_MAP_VERSION, letterOf, type CheckpointMapRow, type CheckpointMaps, type FuncCheckpointMap } from '../compiler/index.js';

// The row format is the compiler's (compiler/passes/checkpoints.ts): it emits the maps, deopt reads them.
export const FRAME_MAP_VERSION = CHECKPOINT_MAP_VERSION;
export type CheckpointRow = CheckpointMapRow;
export type FuncFrameMap = FuncCheckpointMap;
export type FrameMaps = CheckpointMaps;


/**
 * How one captured value becomes canonical: `i` i32 (int32 number, as is),
 * `j` i64 (two int32 entries, low then high → BigInt), `f` f32 and `d` f64
 * (numbers, as is), `r` a reference (as is). One letter per Wasm value.
 */
export type Conv = 'i' | 'j' | 'f' | 'd' | 'r';

export type CheckpointKind = 'entry' | 'loop' | 'after-call' | 'trap-site';

/** `row[0]` of a checkpoint row indexes this list. */
export const CHECKPOINT_KINDS: readonly CheckpointKind[] = ['entry', 'loop', 'after-call', 'trap-site'];

/** Where a Wasm value lives (house rule H-14; the same shape as debug/'s): stack index 0 is the bottom. */
export interface WasmLocation {
  readonly kind: 'local' | 'global' | 'stack';
  readonly index: number;
}

/** One value of a checkpoint, expanded: its Wasm location, its index in the capture, its conversion. */
export interface SlotRef {
  readonly location: WasmLocation;
  /** Index of the value (of its low half, for `j`) in the capture's values. */
  readonly at: number;
  readonly conv: Conv;
}

/** A checkpoint with everything derived: what readers other than the decoder want. */
export interface Checkpoint {
  readonly id: number;
  readonly funcIndex: number;
  readonly kind: CheckpointKind;
  /** Where the interpreter continues when this frame is the innermost one. */
  readonly resume: CodeOffset;
  /** After-call checkpoints: the call's offset, where the frame is paused when a callee unwound. */
  readonly call?: CodeOffset;
  /** After-call checkpoints: how many of the top stack slots are the call's results. */
  readonly results: number;
  readonly locals: readonly SlotRef[];
  readonly stack: readonly SlotRef[];
  /** Capture length when the frame resumes at `resume`. */
  readonly width: number;
  /** Capture length when the frame is paused at `call` (its results not yet produced). */
  readonly pausedWidth: number;
}

export class DeoptError extends Error {
  constructor(readonly text: string, offset?: number) {
    super(offset === undefined ? text : `${text} (at offset ${hex(offset)})`);
    this.name = 'DeoptError';
  }
}

export function convOf(t: ValType | 'unknown'): Conv {
  // The compiler's letters (passes/checkpoints.ts), which the frame maps it writes use; only the checks are ours.
  if (t === 'i32' || t === 'i64' || t === 'f32' || t === 'f64' || t === 'funcref' || t === 'externref') return letterOf(t) as Conv;
  throw new DeoptError(`no frame-map conversion for a ${t} value`);
}

/** Number of capture entries a run of `Conv` letters takes (an i64 takes two). */
export function widthOf(convs: string): number {
  let n = convs.length;
  for (let i = 0; i < convs.length; i++) if (convs.charCodeAt(i) === 106 /* j */) n++;
  return n;
}

/** The function record holding checkpoint `id` (binary search on `firstId`), or undefined. */
export function funcMapOf(maps: FrameMaps, id: number): FuncFrameMap | undefined {
  const fs = maps.funcs;
  let lo = 0, hi = fs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = fs[mid]!;
    if (id < f.firstId) hi = mid - 1;
    else if (id >= f.firstId + f.rows.length) lo = mid + 1;
    else return f;
  }
  return undefined;
}

/** Checkpoint `id`, expanded; throws a DeoptError for an unknown id. */
export function checkpointOf(maps: FrameMaps, id: number): Checkpoint {
  const f = funcMapOf(maps, id);
  if (f === undefined) throw new DeoptError(`unknown checkpoint id ${id} (the module has ${maps.count})`);
  const row = f.rows[id - f.firstId]!;
  const refs = (convs: string, kind: 'local' | 'stack', start: number): SlotRef[] => {
    const out: SlotRef[] = [];
    let at = start;
    for (let i = 0; i < convs.length; i++) {
      const conv = convs[i] as Conv;
      out.push({ location: { kind, index: i }, at, conv });
      at += conv === 'j' ? 2 : 1;
    }
    return out;
  };
  const locals = refs(f.locals, 'local', 0);
  const localWidth = widthOf(f.locals);
  const stack = refs(row[2], 'stack', localWidth);
  const results = row[0] === 2 ? row[3] : 0;
  return {
    id, funcIndex: f.func, kind: CHECKPOINT_KINDS[row[0]]!,
    resume: (f.base + row[1]) as CodeOffset,
    ...(row[0] === 2 ? { call: (f.base + row[4]) as CodeOffset } : {}),
    results, locals, stack,
    width: localWidth + widthOf(row[2]),
    pausedWidth: localWidth + widthOf(row[2].slice(0, row[2].length - results)),
  };
}

/** Every checkpoint id of function `funcIndex` (empty when it has none or is an import). */
export function checkpointIdsOf(maps: FrameMaps, funcIndex: number): number[] {
  const f = maps.funcs.find((m) => m.func === funcIndex);
  return f === undefined ? [] : f.rows.map((_, k) => f.firstId + k);
}
