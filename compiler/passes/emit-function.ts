/**
 * Pass 3, emit-function: one validated function body → one JavaScript
 * function in the internal calling convention (emit/calls.ts), driven by the
 * instruction map of emit/handlers.ts.
 *
 *   function f5(l0, l1, l1h) {            // parameters (an i64 as two halves)
 *     let l2 = 0, l3 = null;              // declared locals, zeroed
 *     let s0 = 0, s1 = 0, s1h = 0, a = 0, // stack slots and scratch actually used,
 *       dv = V.dv, len = V.len;           // and memory's views (emit/memory.ts)
 *     …body…
 *   }
 *
 * Why per function: functions are independent given the module's types, so
 * this pass runs alone on a worker (parallel.ts) and its output is plain data.
 * Code the validator proved unreachable is skipped (whole nested blocks at
 * once, through the block structure). In live code the emitter's stack
 * height is checked against the validator's at every instruction, so a
 * broken emitter fails at the instruction, not three stages later (H-16).
 */
import { InternalError, blockStructure, type Instr, type Module, type OpName } from '../../interpreter/core.js';
import { asmRegions, outputGetter, type AsmRegion } from '../asm/index.js';
import { FuncEmitter, RELOAD, typed, zeroValue } from '../emit/func-emitter.js';
import { HANDLERS } from '../emit/handlers.js';
import { deadLocalZeroing } from './dead-locals.js';
import { storePairs } from './store-pairs.js';
import {
  CheckpointRows, beforeTrapSite, clearDeadSlots, entryCheckpoint, letterOf, mayTrap, trapCatch,
  type CheckpointMode, type CheckpointRow,
} from './checkpoints.js';

/** One function's generated code, with the code offset of each of its lines. */
export interface FuncCode {
  readonly funcIndex: number;
  /**
   * The function's lines joined by '\n': one string, which a worker hands
   * back and emit-module joins into the module text without a copy per line.
   */
  readonly code: string;
  /** One per line of `code` (an Int32Array view when it came from a worker: transfer.ts). */
  readonly offsets: ArrayLike<number>;
  /** Module-level constants (`name = expression`) the body reads. */
  readonly constants: readonly string[];
  /** Canonical-call adapters (`x<type>`) and indirect dispatchers (`ci<table>_<type>`) used. */
  readonly adapters: readonly number[];
  readonly indirect: readonly string[];
  /** The module's i64 helpers used (emit/i64-support.ts). */
  readonly support: readonly string[];
  /** Its asm.js regions (asm/index.ts), which emit-module gathers into the module's asm.js module; absent when none. */
  readonly asm?: readonly AsmRegion[];
  /** With `checkpoints`: the function's frame-map rows (passes/checkpoints.ts), its base offset and local letters. */
  readonly checkpoints?: { readonly base: number; readonly locals: string; readonly rows: readonly CheckpointRow[] };
}

/**
 * Instructions besides trap sites whose code calls a function, which may
 * throw into the trap catch too: with checkpoints, dead slots are cleared
 * before them and before every trap site (passes/checkpoints.ts clearDeadSlots).
 */
const CALLS = new Set<OpName>(['call']);

/** Whether the checkpoint pass zeroes dead slots and locals before `ins` (a trap site or a call). */
function clearsBefore(ins: Instr): boolean {
  return CALLS.has(ins.op) || mayTrap(ins.op);
}

/**
 * `grows`: which functions may grow memory (passes/may-grow.ts); absent, every call is assumed to.
 * `checkpoints`: the checkpoint pass's mode (passes/checkpoints.ts), or null for plain native code.
 * `kept`: with checkpoints, the locals kept while dead besides the ones the name section names
 * (CompileOptions.zeroDeadLocals: those DWARF names); null zeroes no dead local (passes/dead-locals.ts).
 */
export function emitFunction(
  module: Module, funcIndex: number, grows?: Uint8Array, checkpoints: CheckpointMode | null = null, kept: ReadonlySet<number> | null = null,
): FuncCode {
  const func = module.funcs[funcIndex - module.importedFuncCount]!;
  const fe = new FuncEmitter(module, funcIndex, func, grows);
  const structure = blockStructure(func);
  fe.storePairs = storePairs(func, structure);
  if (checkpoints !== null) {
    fe.checkpoints = new CheckpointRows(module, funcIndex, func, checkpoints);
    if (kept !== null) {
      const named = module.names.locals.get(funcIndex);
      const keep = named === undefined ? kept : new Set<number>([...kept, ...named.keys()]);
      fe.localZeroing = deadLocalZeroing(func, structure, fe.type.params.length, fe.localTypes.length, clearsBefore, keep);
    }
    fe.ins = func.body[0]!;
    fe.index = 0;
    fe.w.offset = fe.ins.offset;
    entryCheckpoint(fe);
  }
  const { endOf } = structure;
  // Native code only: a region runs no checkpoint, so native-debug keeps its plain JavaScript.
  const regions = checkpoints === null ? asmRegions(module, funcIndex, func, structure, fe.localTypes) : [];
  const regionAt = new Map(regions.map((r) => [r.start, r]));
  let regionEnd = -1;
  const heights = func.heights;
  fe.ctrl.push({
    kind: 'func', label: 'F', base: 0, params: [], results: fe.type.results, openLine: -1, start: -1, bodyLine: -1,
    live: true, labelUsed: false, branched: false, hasElse: false, thenLive: false,
  });
  const body = func.body;
  for (let i = 0; i < body.length; i++) {
    const ins = body[i]!;
    fe.ins = ins;
    fe.index = i;
    fe.w.offset = ins.offset;
    if (!fe.live) {
      if (ins.op === 'block' || ins.op === 'loop' || ins.op === 'if') {
        i = endOf[i]!;
        continue;
      }
      if (ins.op !== 'else' && ins.op !== 'end') continue;
    } else if (heights !== undefined && heights[i] !== fe.height) {
      throw new InternalError(`compiler stack height ${fe.height} differs from the validator's ${heights[i]} (in func ${funcIndex}, at offset 0x${ins.offset.toString(16)})`);
    }
    if (fe.checkpoints !== null && clearsBefore(ins)) clearDeadSlots(fe);
    const region = regionAt.get(i);
    if (region !== undefined) {
      callRegion(fe, region);
      regionEnd = region.end;
    }
    const fused = fe.fused.get(i);
    if (fused !== undefined) fused();
    else if (fe.checkpoints === null || !mayTrap(ins.op) || !beforeTrapSite(fe)) HANDLERS[ins.op](fe, ins);
    if (fe.skip > 0) {
      i += fe.skip;
      fe.skip = 0;
    }
    if (regionEnd >= 0 && i >= regionEnd) {
      fe.w.close();
      regionEnd = -1;
    }
  }
  const code = assemble(fe, funcIndex);
  return regions.length > 0 ? { ...code, asm: regions } : code;
}

/**
 * Opens a region (asm/regions.ts): its asm.js function runs in place of the
 * block's JavaScript, which stays as the `else` branch for a memory asm.js
 * cannot use (asm/link.ts); emitFunction closes the branch after the end.
 *
 *   am = asmNow();
 *   if (am !== null) {
 *    am.r0_0(l0, l9, l14);  l14 = am.gf(0);  l9 = am.gi(0) | 0;
 *   } else {
 *    L2: while (true) { … }
 *   }
 */
function callRegion(fe: FuncEmitter, r: AsmRegion): void {
  fe.flush(); // no pending expression may read a local the region writes
  const am = fe.temp('am');
  fe.w.line(`${am} = asmNow();`);
  fe.w.open(`if (${am} !== null) {`);
  fe.w.line(`${am}.${r.name}(${r.params.map((p) => fe.local(p.local)).join(', ')});`);
  for (const o of r.outputs) {
    const get = `${am}.${outputGetter(o.type)}(${o.index})`;
    fe.w.line(`${fe.local(o.local)} = ${o.type === 'i32' ? `${get} | 0` : get};`);
  }
  fe.w.close('} else {');
  fe.w.depth++;
}

/** Wraps the body with the signature and the declarations it needs (with checkpoints, in the try and exit block of passes/checkpoints.ts). */
function assemble(fe: FuncEmitter, funcIndex: number): FuncCode {
  const caught = fe.checkpoints === null ? null : trapCatch(fe);
  const params: string[] = [];
  const typing: string[] = [];
  fe.type.params.forEach((t, i) => {
    params.push(`l${i}`);
    if (t === 'i64') params.push(`l${i}h`);
    if (t !== 'funcref' && t !== 'externref') typing.push(`l${i} = ${typed(t, `l${i}`)};`);
    if (t === 'i64') typing.push(`l${i}h = l${i}h | 0;`);
  });
  const decls: string[] = [];
  fe.func.locals.forEach((t, k) => {
    const i = fe.type.params.length + k;
    decls.push(`l${i} = ${zeroValue(t)}`);
    if (t === 'i64') decls.push(`l${i}h = 0`);
  });
  const slots: string[] = [];
  for (const h of [...fe.usedSlots].sort((a, b) => a - b)) {
    slots.push(`s${h}`);
    if (fe.hasI64) slots.push(`s${h}h`);
  }
  const scratch = [...slots, ...[...fe.temps].sort()].map((n) => `${n} = 0`);
  const views = fe.viewCode();
  if (views.decl !== '') scratch.push(views.decl);
  // The flag array in a local (a module constant is a context load per check: a third of a tight loop's cost).
  if (fe.checkpoints !== null) scratch.push('pf = P');
  if (fe.checkpoints !== null && fe.checkpoints.exits.length > 0) scratch.push('ck = -1');
  // One pass into the final arrays (no intermediate copies: on large
  // modules the collector's work is a quarter of the compile time).
  const lines: string[] = [`function f${funcIndex}(${params.join(', ')}) {`];
  const offsets: number[] = [fe.func.localsOffset];
  if (typing.length > 0) {
    lines.push(` ${typing.join(' ')}`);
    offsets.push(fe.func.localsOffset);
  }
  if (decls.length > 0) {
    lines.push(` let ${decls.join(', ')};`);
    offsets.push(fe.func.localsOffset);
  }
  if (scratch.length > 0) {
    lines.push(` let ${scratch.join(', ')};`);
    offsets.push(-1);
  }
  const body = fe.w.lines, bodyOffsets = fe.w.offsets;
  if (caught !== null) {
    lines.push(caught.open);
    offsets.push(-1);
  }
  for (let i = 0; i < body.length; i++) {
    let line = body[i]!;
    const at = line.indexOf(RELOAD);
    if (at >= 0) {
      if (views.reload === '') continue;
      line = line.slice(0, at) + views.reload;
    }
    lines.push(line);
    offsets.push(bodyOffsets[i]!);
  }
  if (caught !== null) {
    for (const line of caught.close) {
      lines.push(line);
      offsets.push(-1);
    }
  }
  lines.push('}');
  offsets.push(fe.func.endOffset - 1);
  return {
    funcIndex,
    code: lines.join('\n'),
    offsets,
    constants: fe.constants,
    adapters: [...fe.adapters],
    indirect: [...fe.indirect],
    support: [...fe.support],
    ...(fe.checkpoints === null ? {} : {
      checkpoints: { base: fe.func.entryOffset, locals: fe.localTypes.map(letterOf).join(''), rows: fe.checkpoints.rows },
    }),
  };
}
