/**
 * Validation of the `custom` rows of the opcode table: control, parametric,
 * variable, reference and table instructions, each a few lines following the
 * spec appendix's pseudo-code.
 *
 * Invariant: this map holds a handler for exactly the rows whose signature is
 * `custom`; func.ts checks that when it loads (and a test checks it too), so
 * a new custom row cannot go unvalidated.
 */
import type { OpName } from '../syntax/opcodes.js';
import type { Instr, RefType, ValType } from '../syntax/types.js';
import type { FuncValidator, OpInfo, Operand } from './func.js';
import { requireElem, requireTable } from './immediates.js';

type Check = (v: FuncValidator, instr: Instr, info: OpInfo) => void;

const isNum = (t: Operand): boolean => t === 'i32' || t === 'i64' || t === 'f32' || t === 'f64' || t === 'unknown';
const isVec = (t: Operand): boolean => t === 'v128' || t === 'unknown';
const isRef = (t: Operand): boolean => t === 'funcref' || t === 'externref' || t === 'unknown';

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function tableElem(v: FuncValidator, index: number): RefType {
  requireTable(v, index);
  return v.module.tables[index]!.elem;
}

function global(v: FuncValidator, index: number): { type: ValType; mutable: boolean } {
  return v.module.globalTypes[index] ?? v.fail(`unknown global ${index}`);
}

function block(kind: 'block' | 'loop'): Check {
  return (v, instr) => {
    const t = v.blockType(instr.blockType);
    v.popAll(t.params);
    v.pushCtrl(kind, t.params, t.results);
  };
}

export const CUSTOM_CHECKS: { readonly [K in OpName]?: Check } = {
  // Control instructions.
  unreachable: (v) => v.unreachable(),
  block: block('block'),
  loop: block('loop'),
  if: (v, instr) => {
    const t = v.blockType(instr.blockType);
    v.popExpect('i32');
    v.popAll(t.params);
    v.pushCtrl('if', t.params, t.results);
  },
  else: (v) => {
    const frame = v.popCtrl();
    if (frame.kind !== 'if') v.fail('type mismatch');
    v.pushCtrl('else', frame.start, frame.end);
  },
  end: (v) => {
    const frame = v.popCtrl();
    // An `if` without `else` has an implicit empty else, which must map params to results.
    if (frame.kind === 'if' && !sameTypes(frame.start, frame.end)) v.fail('type mismatch');
    v.pushVals(frame.end);
  },
  br: (v, instr) => {
    v.popAll(v.labelTypes(v.label(instr.index!)));
    v.unreachable();
  },
  br_if: (v, instr) => {
    const ts = v.labelTypes(v.label(instr.index!));
    v.popExpect('i32');
    v.popAll(ts);
    v.pushVals(ts);
  },
  br_table: (v, instr) => {
    v.popExpect('i32');
    const defaultTypes = v.labelTypes(v.label(instr.index!));
    for (const l of instr.labels!) {
      const ts = v.labelTypes(v.label(l));
      if (ts.length !== defaultTypes.length) v.fail('type mismatch');
      v.pushVals(v.popVals(ts));
    }
    v.popAll(defaultTypes);
    v.unreachable();
  },
  return: (v) => {
    v.popAll(v.ctrls[0]!.end);
    v.unreachable();
  },
  call: (v, instr) => {
    const t = v.funcType(instr.index!);
    v.popAll(t.params);
    v.pushVals(t.results);
  },
  call_indirect: (v, instr) => {
    if (tableElem(v, instr.index2!) !== 'funcref') v.fail('type mismatch');
    const t = v.type(instr.index!);
    v.popExpect('i32');
    v.popAll(t.params);
    v.pushVals(t.results);
  },

  // Parametric instructions.
  drop: (v) => {
    v.pop();
  },
  select: (v) => {
    v.popExpect('i32');
    const t1 = v.pop();
    const t2 = v.pop();
    if (!((isNum(t1) && isNum(t2)) || (isVec(t1) && isVec(t2)))) v.fail('type mismatch');
    if (t1 !== t2 && t1 !== 'unknown' && t2 !== 'unknown') v.fail('type mismatch');
    v.push(t1 === 'unknown' ? t2 : t1);
  },
  select_t: (v, instr) => {
    const types = instr.types!;
    if (types.length !== 1) v.fail('invalid result arity');
    const t = types[0]!;
    v.popExpect('i32');
    v.popExpect(t);
    v.popExpect(t);
    v.push(t);
  },

  // Variable instructions.
  'local.get': (v, instr) => v.push(v.local(instr.index!)),
  'local.set': (v, instr) => {
    v.popExpect(v.local(instr.index!));
  },
  'local.tee': (v, instr) => {
    const t = v.local(instr.index!);
    v.popExpect(t);
    v.push(t);
  },
  'global.get': (v, instr) => v.push(global(v, instr.index!).type),
  'global.set': (v, instr) => {
    const g = global(v, instr.index!);
    if (!g.mutable) v.fail('global is immutable');
    v.popExpect(g.type);
  },

  // Reference instructions.
  'ref.null': (v, instr) => v.push(instr.refType!),
  'ref.is_null': (v) => {
    if (!isRef(v.pop())) v.fail('type mismatch');
    v.push('i32');
  },
  'ref.func': (v, instr) => {
    const index = instr.index!;
    v.funcType(index);
    if (!v.ctx.refs.has(index)) v.fail('undeclared function reference');
    v.push('funcref');
  },

  // Table instructions.
  'table.get': (v, instr) => {
    const t = tableElem(v, instr.index!);
    v.popExpect('i32');
    v.push(t);
  },
  'table.set': (v, instr) => {
    const t = tableElem(v, instr.index!);
    v.popExpect(t);
    v.popExpect('i32');
  },
  'table.grow': (v, instr) => {
    const t = tableElem(v, instr.index!);
    v.popExpect('i32');
    v.popExpect(t);
    v.push('i32');
  },
  'table.fill': (v, instr) => {
    const t = tableElem(v, instr.index!);
    v.popExpect('i32');
    v.popExpect(t);
    v.popExpect('i32');
  },
  'table.copy': (v, instr) => {
    const dst = tableElem(v, instr.index!);
    const src = tableElem(v, instr.index2!);
    if (dst !== src) v.fail('type mismatch');
    v.popAll(I32X3);
  },
  'table.init': (v, instr) => {
    const t = tableElem(v, instr.index2!);
    requireElem(v, instr.index!);
    if (v.module.elems[instr.index!]!.type !== t) v.fail('type mismatch');
    v.popAll(I32X3);
  },
};

const I32X3: readonly ValType[] = ['i32', 'i32', 'i32'];
