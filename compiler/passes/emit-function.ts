/**
 * Pass 3, emit-function: one validated function body → one JavaScript
 * function in the internal calling convention (emit/calls.ts), driven by the
 * instruction map of emit/handlers.ts.
 *
 *   function f5(l0, l1, l1h) {            // parameters (an i64 as two halves)
 *     let l2 = 0, l3 = null;              // declared locals, zeroed
 *     let s0 = 0, s1 = 0, s1h = 0, a = 0; // stack slots and scratch actually used
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
import { InternalError, blockStructure, type Module, type ValType } from '../../interpreter/index.js';
import { FuncEmitter } from '../emit/func-emitter.js';
import { HANDLERS } from '../emit/handlers.js';

/** One function's generated code, line by line with the code offset of each line. */
export interface FuncCode {
  readonly funcIndex: number;
  readonly lines: readonly string[];
  readonly offsets: readonly number[];
  /** Module-level constants (`name = expression`) the body reads. */
  readonly constants: readonly string[];
  /** Canonical-call adapters (`x<type>`) and indirect dispatchers (`ci<table>_<type>`) used. */
  readonly adapters: readonly number[];
  readonly indirect: readonly string[];
}

function zero(t: ValType): string {
  return t === 'funcref' || t === 'externref' ? 'null' : '0';
}

export function emitFunction(module: Module, funcIndex: number): FuncCode {
  const func = module.funcs[funcIndex - module.importedFuncCount]!;
  const fe = new FuncEmitter(module, funcIndex, func);
  const { endOf } = blockStructure(func);
  const heights = func.heights;
  fe.ctrl.push({
    kind: 'func', label: 'F', base: 0, params: [], results: fe.type.results, openLine: -1,
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
    HANDLERS[ins.op](fe, ins);
  }
  return assemble(fe, funcIndex);
}

/** Wraps the body with the signature and the declarations it needs. */
function assemble(fe: FuncEmitter, funcIndex: number): FuncCode {
  const params: string[] = [];
  fe.type.params.forEach((t, i) => {
    params.push(`l${i}`);
    if (t === 'i64') params.push(`l${i}h`);
  });
  const decls: string[] = [];
  fe.func.locals.forEach((t, k) => {
    const i = fe.type.params.length + k;
    decls.push(`l${i} = ${zero(t)}`);
    if (t === 'i64') decls.push(`l${i}h = 0`);
  });
  const used = new Set<string>();
  for (const line of fe.w.lines) for (const m of line.matchAll(/\bs\d+h?\b/g)) used.add(m[0]);
  const slots = [...used].sort((a, b) => parseInt(a.slice(1)) - parseInt(b.slice(1)) || a.length - b.length);
  const scratch = [...slots, ...[...fe.temps].sort()].map((n) => `${n} = 0`);

  const head: string[] = [`function f${funcIndex}(${params.join(', ')}) {`];
  const headOffsets: number[] = [fe.func.localsOffset];
  if (decls.length > 0) {
    head.push(`  let ${decls.join(', ')};`);
    headOffsets.push(fe.func.localsOffset);
  }
  if (scratch.length > 0) {
    head.push(`  let ${scratch.join(', ')};`);
    headOffsets.push(-1);
  }
  return {
    funcIndex,
    lines: [...head, ...fe.w.lines, '}'],
    offsets: [...headOffsets, ...fe.w.offsets, fe.func.endOffset - 1],
    constants: fe.constants,
    adapters: [...fe.adapters],
    indirect: [...fe.indirect],
  };
}
