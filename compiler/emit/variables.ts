/**
 * Variable, parametric and reference instructions (spec 4.4.2, 4.4.4,
 * 4.4.5): locals are JS `let` variables (`l3`, `l3h`), globals are the
 * shared GlobalInstance cells (`G3.value`, canonical: i64 as BigInt), so the
 * interpreter sees every write at once (DESIGN.md invariant 5).
 *
 *   local.get 3   →  (pending `l3`, folded into its consumer)
 *   local.set 3   →  l3 = <value>;
 *   global.set 1  →  G1.value = <value>;          (i64: G1.value = big(lo, hi))
 *   select        →  s2 = s4 ? s2 : s3;
 *
 * Immutable globals are read once at load time into constants `g3` (`g3h`),
 * which are pure and may stay pending.
 */
import type { OpName, ValType } from '../../interpreter/core.js';
import { typed, type Emit, type FuncEmitter } from './func-emitter.js';

type VarOp = Extract<OpName,
  'drop' | 'select' | 'select_t' | 'local.get' | 'local.set' | 'local.tee' | 'global.get' | 'global.set' |
  'ref.null' | 'ref.is_null' | 'ref.func'>;

function setLocal(fe: FuncEmitter, i: number): void {
  const h = fe.height - 1;
  const e = fe.pop();
  fe.beforeLocalWrite(i);
  const l = fe.local(i);
  if (fe.localTypes[i] === 'i64') fe.assign64(l, `${l}h`, fe.val(e, h), fe.hiOf(e, h));
  else {
    const v = fe.val(e, h);
    if (v !== l) fe.w.line(`${l} = ${v};`);
  }
}

function getLocal(fe: FuncEmitter, i: number): void {
  const t = fe.localTypes[i]!;
  const l = fe.local(i);
  fe.push(t, l, [i], t === 'i64' ? `${l}h` : null);
}

function select(fe: FuncEmitter): void {
  const hc = fe.height - 1;
  const c = fe.pop();
  const hb = fe.height - 1;
  const b = fe.pop();
  const ha = fe.height - 1;
  const a = fe.pop();
  const t = a.type;
  if (t !== 'i64') {
    const cond = fe.cond(c, hc);
    fe.pure(t, `(${cond} ? ${fe.val(a, ha)} : ${fe.val(b, hb)})`, [a, b, c]);
    return;
  }
  const k = fe.temp('k');
  fe.w.line(`${k} = ${fe.cond(c, hc)};`);
  const s = fe.slot(ha);
  const alo = fe.val(a, ha), ahi = fe.hiOf(a, ha), blo = fe.val(b, hb), bhi = fe.hiOf(b, hb);
  fe.assign64(s, `${s}h`, `${k} ? ${alo} : ${blo}`, `${k} ? ${ahi} : ${bhi}`);
  fe.pushSlot(t);
}

export const variables: { readonly [K in VarOp]: Emit } = {
  drop(fe) {
    fe.pop();
  },
  select,
  select_t: select,
  'local.get'(fe, ins) {
    getLocal(fe, ins.index!);
  },
  'local.set'(fe, ins) {
    setLocal(fe, ins.index!);
  },
  'local.tee'(fe, ins) {
    setLocal(fe, ins.index!);
    getLocal(fe, ins.index!);
  },
  'global.get'(fe, ins) {
    const i = ins.index!;
    const g = fe.module.globalTypes[i]!;
    if (!g.mutable) {
      fe.push(g.type, `g${i}`, [], g.type === 'i64' ? `g${i}h` : null);
      return;
    }
    const h = fe.height;
    const s = fe.slot(h);
    if (g.type === 'i64') {
      fe.w.line(`${s} = lo64(G${i}.value);`);
      fe.w.line(`${s}h = hi64(G${i}.value);`);
    } else {
      fe.w.line(`${s} = ${typed(g.type, `G${i}.value`)};`);
    }
    fe.pushSlot(g.type);
  },
  'global.set'(fe, ins) {
    const i = ins.index!;
    const h = fe.height - 1;
    const e = fe.pop();
    const v = e.type === 'i64' ? `big(${fe.val(e, h)}, ${fe.hiOf(e, h)})` : fe.val(e, h);
    fe.w.line(`G${i}.value = ${v};`);
  },
  'ref.null'(fe, ins) {
    fe.push(ins.refType as ValType, 'null');
  },
  'ref.is_null'(fe) {
    const h = fe.height - 1;
    const e = fe.pop();
    const v = fe.val(e, h);
    fe.pure('i32', '', [e], `${v} === null`);
  },
  'ref.func'(fe, ins) {
    fe.push('funcref', `FI[${ins.index!}]`);
  },
};
