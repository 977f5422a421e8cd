/**
 * Which parts of a function become asm.js (asm/index.ts says why), and their
 * translation. A region is a `block` or `loop` without parameters or results
 * that holds a loop and f32 arithmetic, and nothing asm.js cannot express:
 * no calls, no globals, no i64, no memory.grow, no branch or return leaving
 * it (ops.ts has a row for everything allowed). Regions are outermost
 * first: a region's inner loops are not regions of their own.
 *
 * Invariant: a region touches nothing but its locals and memory 0, and ends
 * by falling through its `end` (or by a trap): so it is a function of the
 * locals it uses, which returns the ones it writes (emit-function.ts calls
 * it in their place).
 */
import type { BlockStructure, Func, Module, ValType } from '../../interpreter/core.js';
import { AsmEmitter, NotAsm, asmCoerce, asmLetter, asmType, asmZero, isAsmType, type AsmType } from './emitter.js';
import { ASM_OPS } from './ops.js';

export interface AsmLocal {
  readonly local: number;
  readonly type: AsmType;
}

/** A local the region writes, returned in the module's output variable (outputName: `of2`, index counted per type). */
export interface AsmOutput extends AsmLocal {
  readonly index: number;
}

export interface AsmRegion {
  /** Body indices of the region's `block` / `loop` and of its `end`. */
  readonly start: number;
  readonly end: number;
  /** The asm.js function's name (`r<func>_<k>`), its code (lines joined by '\n') and each line's code offset. */
  readonly name: string;
  readonly code: string;
  readonly offsets: readonly number[];
  /** Its parameters: every local the region uses, in this order. */
  readonly params: readonly AsmLocal[];
  /** The locals it writes, left in the module's output variables when it returns. */
  readonly outputs: readonly AsmOutput[];
  /** `offset + size` of its memory accesses (memory.ts). */
  readonly limits: readonly number[];
}

/** The asm.js module's variable holding the index-th output of type t (`oi0`, `of2`). */
export function outputName(t: AsmType, index: number): string {
  return `o${asmLetter(t)}${index}`;
}

/** More parameters than this and the call costs more than asm.js gains (and V8 limits a function's parameters). */
const MAX_PARAMS = 256;

const LOCAL_OPS = new Set(['local.get', 'local.set', 'local.tee']);
const NOT_F32_MATH = new Set(['f32.const', 'f32.load', 'f32.store']);

/** Whether `op` computes in f32 (what a region gains on), not just moves an f32. */
function isF32Math(op: string): boolean {
  return op.charCodeAt(0) === 102 && op.startsWith('f32.') && !NOT_F32_MATH.has(op);
}

/** Whether the body has a loop and f32 arithmetic at all (most functions of most modules have not: no tables built for them). */
function hasF32Loop(func: Func): boolean {
  let loop = false, f32 = false;
  for (const ins of func.body) {
    const op = ins.op;
    if (op === 'loop') loop = true;
    else if (isF32Math(op)) f32 = true;
    if (loop && f32) return true;
  }
  return false;
}

/** The regions of defined function `funcIndex`, outermost first, in body order. */
export function asmRegions(module: Module, funcIndex: number, func: Func, structure: BlockStructure, localTypes: readonly ValType[]): AsmRegion[] {
  if (module.mems.length === 0 || !hasF32Loop(func)) return [];
  const body = func.body, n = body.length;
  // Prefix counts, so each candidate is screened in constant time (the scan stays linear however deep the nesting).
  const bad = new Int32Array(n + 1), f32 = new Int32Array(n + 1), loops = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ins = body[i]!;
    const typed = !LOCAL_OPS.has(ins.op) || isAsmType(localTypes[ins.index!]);
    bad[i + 1] = bad[i]! + (ASM_OPS[ins.op] === undefined || !typed ? 1 : 0);
    f32[i + 1] = f32[i]! + (isF32Math(ins.op) ? 1 : 0);
    loops[i + 1] = loops[i]! + (ins.op === 'loop' ? 1 : 0);
  }
  const regions: AsmRegion[] = [];
  for (let i = 0; i < n; i++) {
    const ins = body[i]!;
    if ((ins.op !== 'block' && ins.op !== 'loop') || ins.blockType !== null) continue;
    const end = structure.endOf[i]!;
    if (bad[end + 1] !== bad[i] || f32[end + 1] === f32[i] || loops[end + 1] === loops[i]) continue;
    try {
      regions.push(translate(module, funcIndex, func, structure, localTypes, i, `r${funcIndex}_${regions.length}`));
      i = end;
    } catch (e) {
      if (!(e instanceof NotAsm)) throw e;
    }
  }
  return regions;
}

/** One region as an asm.js function, or NotAsm. */
export function translate(
  module: Module, funcIndex: number, func: Func, structure: BlockStructure, localTypes: readonly ValType[], start: number, name: string,
): AsmRegion {
  const ae = new AsmEmitter(module, funcIndex, localTypes);
  const end = structure.endOf[start]!;
  for (let i = start; i <= end; i++) {
    const ins = func.body[i]!;
    if (!ae.live) {
      if (ins.op === 'block' || ins.op === 'loop' || ins.op === 'if') {
        i = structure.endOf[i]!;
        continue;
      }
      if (ins.op !== 'else' && ins.op !== 'end') continue;
    }
    ae.ins = ins;
    ae.w.offset = ins.offset;
    const emit = ASM_OPS[ins.op];
    if (emit === undefined) throw new NotAsm(ins.op);
    emit(ae, ins);
  }
  const locals = (set: ReadonlySet<number>): AsmLocal[] => [...set].sort((a, b) => a - b).map((local) => ({ local, type: asmType(localTypes[local]!) }));
  const params = locals(ae.used);
  const count: Record<AsmType, number> = { i32: 0, f32: 0, f64: 0 };
  const outputs: AsmOutput[] = locals(ae.written).map((o) => ({ ...o, index: count[o.type]++ }));
  if (params.length > MAX_PARAMS) throw new NotAsm('too many locals');
  const at = func.body[start]!.offset;
  const lines: string[] = [`function ${name}(${params.map((p) => `l${p.local}`).join(', ')}) {`];
  if (params.length > 0) lines.push(` ${params.map((p) => `l${p.local} = ${asmCoerce(p.type, `l${p.local}`)};`).join(' ')}`);
  if (ae.slots.size > 0) lines.push(` var ${[...ae.slots].map(([s, t]) => `${s} = ${asmZero(t)}`).join(', ')};`);
  const offsets: number[] = lines.map(() => at);
  lines.push(...ae.w.lines);
  offsets.push(...ae.w.offsets);
  const out = outputs.map((o) => `${outputName(o.type, o.index)} = l${o.local};`);
  if (out.length > 0) {
    lines.push(` ${out.join(' ')}`);
    offsets.push(func.body[end]!.offset);
  }
  lines.push('}');
  offsets.push(func.body[end]!.offset);
  return { start, end, name, code: lines.join('\n'), offsets, params, outputs, limits: [...ae.limits].sort((a, b) => a - b) };
}
