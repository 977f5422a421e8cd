/**
 * Calls (spec 4.4.8 call / call_indirect) and table instructions (4.4.6).
 *
 * Internal calling convention between compiled functions of one module:
 * parameters in order, an i64 as two arguments (low, high); one result is
 * the return value (an i64 returns its low half and leaves the high half in
 * the module variable `H`); several results go through the module array `R`
 * (an i64 taking two entries). No allocation and no BigInt on any call.
 *
 *   call 7 (i64 result)   →  s2 = f7(s2, s3, s3h); s2h = H;
 *   call of an import     →  s2 = x4(FI[0], s2)        (x4: adapter for type 4, converts to canonical values)
 *   call_indirect type 4  →  s2 = ci0_4(s3, 0x1a3, 5, s2)
 *
 * `ci<table>_<type>` checks the element (undefined / uninitialized / type
 * mismatch, with the spec's traps) and calls a same-instance function
 * directly through `FN`, anything else through the canonical adapter.
 * Stack values below the arguments are flushed first, so after the call the
 * frame is fully described by the layout (the after-call checkpoint of
 * issue 6 needs exactly that). A call that may grow memory is followed by
 * the re-read of the function's memory views (FuncEmitter.afterCall).
 */
import type { OpName } from '../../interpreter/core.js';
import { typed, type Emit, type FuncEmitter } from './func-emitter.js';
import { afterCallCheckpoint } from '../passes/checkpoints.js';

type CallOp = Extract<OpName, 'call' | 'call_indirect' | 'table.get' | 'table.set' | 'table.size' | 'table.grow' |
  'table.fill' | 'table.copy' | 'table.init' | 'elem.drop'>;

/** Pops the arguments of `typeIndex`'s params; flushes what lies below; returns the JS argument list. */
function args(fe: FuncEmitter, typeIndex: number, extraTop = 0): { list: string[]; h: number; top: string[] } {
  const t = fe.module.types[typeIndex]!;
  const n = t.params.length;
  const { entries: topEntries, h: hTop } = fe.popN(extraTop);
  const top = topEntries.map((e, k) => fe.val(e, hTop + k));
  const { entries, h } = fe.popN(n);
  fe.flush();
  const list: string[] = [];
  entries.forEach((e, k) => {
    list.push(fe.val(e, h + k));
    if (e.type === 'i64') list.push(fe.hiOf(e, h + k));
  });
  return { list, h, top };
}

/** Writes the call's results at height h (see the calling convention above). */
function results(fe: FuncEmitter, typeIndex: number, call: string, h: number): void {
  const rs = fe.module.types[typeIndex]!.results;
  if (rs.length === 0) {
    fe.w.line(`${call};`);
    return;
  }
  if (rs.length === 1) {
    const s = fe.slot(h);
    fe.w.line(`${s} = ${typed(rs[0]!, call)};`);
    if (rs[0] === 'i64') fe.w.line(`${s}h = H | 0;`);
    fe.pushSlot(rs[0]!);
    return;
  }
  fe.w.line(`${call};`);
  let r = 0;
  rs.forEach((t, k) => {
    const s = fe.slot(h + k);
    fe.w.line(`${s} = ${typed(t, `R[${r++}]`)};`);
    if (t === 'i64') fe.w.line(`${s}h = R[${r++}] | 0;`);
    fe.pushSlot(t);
  });
}

function tableBulk(fn: string, n: number, imms: (fe: FuncEmitter) => string[]): Emit {
  return (fe) => {
    const { entries, h } = fe.popN(n);
    const vals = entries.map((e, k) => fe.val(e, h + k));
    fe.w.line(`${fn}(${[...imms(fe), ...vals, fe.ins.offset, fe.funcIndex].join(', ')});`);
  };
}

export const calls: { readonly [K in CallOp]: Emit } = {
  call(fe, ins) {
    const j = ins.index!;
    const typeIndex = fe.module.funcTypes[j]!;
    const { list, h } = args(fe, typeIndex);
    const imported = j < fe.module.importedFuncCount;
    const callee = imported ? `x${typeIndex}(${['FI[' + j + ']', ...list].join(', ')})` : `f${j}(${list.join(', ')})`;
    if (imported) fe.adapters.add(typeIndex);
    results(fe, typeIndex, callee, h);
    fe.afterCall(j);
    if (fe.checkpoints !== null) afterCallCheckpoint(fe);
  },
  call_indirect(fe, ins) {
    const typeIndex = ins.index!;
    const table = ins.index2 ?? 0;
    const { list, h, top } = args(fe, typeIndex, 1);
    fe.indirect.add(`${table}_${typeIndex}`);
    fe.adapters.add(typeIndex);
    results(fe, typeIndex, `ci${table}_${typeIndex}(${[top[0]!, fe.ins.offset, fe.funcIndex, ...list].join(', ')})`, h);
    fe.afterCall(-1);
    if (fe.checkpoints !== null) afterCallCheckpoint(fe);
  },
  'table.get'(fe, ins) {
    const h = fe.height - 1;
    const i = fe.val(fe.pop(), h);
    const a = fe.temp('a');
    fe.w.line(`if ((${a} = ${i} >>> 0) >= T${ins.index!}.length) ${fe.trap('OOB_TABLE')};`);
    fe.result(fe.module.tables[ins.index!]!.elem, `T${ins.index!}[${a}]`);
  },
  'table.set'(fe, ins) {
    const hv = fe.height - 1;
    const v = fe.val(fe.pop(), hv);
    const h = fe.height - 1;
    const i = fe.val(fe.pop(), h);
    const a = fe.temp('a');
    fe.w.line(`if ((${a} = ${i} >>> 0) >= T${ins.index!}.length) ${fe.trap('OOB_TABLE')};`);
    fe.w.line(`T${ins.index!}[${a}] = ${v};`);
  },
  'table.size'(fe, ins) {
    fe.result('i32', `T${ins.index!}.length`);
  },
  'table.grow'(fe, ins) {
    const hn = fe.height - 1;
    const n = fe.val(fe.pop(), hn);
    const hv = fe.height - 1;
    const v = fe.val(fe.pop(), hv);
    fe.result('i32', `TI[${ins.index!}].grow(${n} >>> 0, ${v})`);
  },
  'table.fill': tableBulk('tableFill', 3, (fe) => [String(fe.ins.index!)]),
  'table.copy': tableBulk('tableCopy', 3, (fe) => [String(fe.ins.index!), String(fe.ins.index2!)]),
  'table.init': tableBulk('tableInit', 3, (fe) => [String(fe.ins.index!), String(fe.ins.index2!)]),
  'elem.drop'(fe, ins) {
    fe.w.line(`elemDrop(${ins.index!});`);
  },
};
