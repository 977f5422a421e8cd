/**
 * Control instructions (spec 4.4.8) as structured JavaScript, the shape of
 * binaryen's wasm2js (aesthetics anchors §4, item 3):
 *
 *   block  →  L3: {  …  break L3;  …  }
 *   loop   →  L3: while (true) {  …  continue L3;  …  break L3;  }
 *   if     →  L3: if (cond) {  …  } else {  …  }
 *   br_table → switch (i) { case 0: case 2: …; break L3;  default: …; continue L1; }
 *
 * Labels are named by nesting depth (`L<depth>`), so nested labels are
 * unique and siblings may reuse a name; a label is written only when some
 * branch uses it (the opening line is patched at the block's end).
 *
 * Invariant: at every block entry and exit the operand stack is flushed, so
 * a block's parameters and results are in the slots `s<base>…` whichever
 * path reached the merge point.
 */
import type { Instr, OpHandlers, OpName } from '../../interpreter/core.js';
import type { Ctrl, Emit, FuncEmitter } from './func-emitter.js';
import { loopCheckpoint } from '../passes/checkpoints.js';
import { hoistedName } from '../passes/store-pairs.js';
import { unrollLoop } from './unroll.js';

type ControlOp = Extract<OpName, 'unreachable' | 'nop' | 'block' | 'loop' | 'if' | 'else' | 'end' | 'br' | 'br_if' | 'br_table' | 'return'>;

function enter(fe: FuncEmitter, ins: Instr, kind: 'block' | 'loop' | 'if', cond: string | null): void {
  const { params, results } = fe.blockSig(ins.blockType);
  fe.flush();
  const label = `L${fe.ctrl.length}`;
  const text = kind === 'block' ? '{' : kind === 'loop' ? 'while (true) {' : `if (${cond}) {`;
  const openLine = fe.w.open(text);
  const c: Ctrl = {
    kind, label, base: fe.height - params.length, params, results, openLine, start: fe.index, bodyLine: openLine + 1,
    live: true, labelUsed: false, branched: false, hasElse: false, thenLive: false,
  };
  fe.ctrl.push(c);
}

/** The doubles the merged stores in this loop write (passes/store-pairs.ts), built once per entry. */
function hoistDoubles(fe: FuncEmitter): void {
  for (const h of fe.storePairs?.hoisted.get(fe.index) ?? []) {
    const [lo, hi] = 'i64' in h ? [fe.local(h.i64), `${fe.local(h.i64)}h`] : [fe.local(h.lo), fe.local(h.hi)];
    fe.w.line(`${fe.temp(hoistedName(h))} = f64FromBits(${lo}, ${hi});`);
  }
}

function finish(fe: FuncEmitter, c: Ctrl, text: string): void {
  if (c.labelUsed) fe.w.patch(c.openLine, `${c.label}: ${text}`);
}

export const control: { readonly [K in ControlOp]: Emit } = {
  unreachable(fe) {
    fe.w.line(`${fe.trap('UNREACHABLE')};`);
    fe.live = false;
  },
  nop() {},
  block(fe, ins) {
    enter(fe, ins, 'block', null);
  },
  loop(fe, ins) {
    hoistDoubles(fe);
    enter(fe, ins, 'loop', null);
    if (fe.checkpoints !== null) loopCheckpoint(fe);
    fe.ctrl[fe.ctrl.length - 1]!.bodyLine = fe.w.lines.length;
  },
  if(fe, ins) {
    const h = fe.height - 1;
    const cond = fe.cond(fe.pop(), h);
    enter(fe, ins, 'if', cond);
  },
  else(fe) {
    const c = fe.ctrl[fe.ctrl.length - 1]!;
    if (fe.live) fe.flush();
    fe.w.depth--;
    fe.w.open('} else {');
    c.hasElse = true;
    c.thenLive = fe.live;
    fe.resetTo(c.base, c.params);
    fe.live = c.live;
  },
  end(fe) {
    const c = fe.ctrl.pop()!;
    if (c.kind === 'func') {
      if (fe.live) fe.emitReturn();
      fe.live = false;
      return;
    }
    if (fe.live) fe.flush();
    let reachable = fe.live || c.branched;
    if (c.kind === 'loop') {
      if (fe.live) {
        c.labelUsed = true;
        fe.w.line(`break ${c.label};`);
        unrollLoop(fe, c, fe.index);
      }
      reachable = fe.live;
      fe.w.close();
      finish(fe, c, 'while (true) {');
    } else {
      if (c.kind === 'if') reachable = reachable || (c.hasElse ? c.thenLive : c.live);
      fe.w.close();
      const first = fe.w.lines[c.openLine]!.trim();
      finish(fe, c, first);
    }
    fe.resetTo(c.base, c.results);
    fe.live = reachable;
  },
  br(fe, ins) {
    fe.branch(fe.target(ins.index!));
    fe.live = false;
  },
  br_if(fe, ins) {
    const h = fe.height - 1;
    const cond = fe.cond(fe.pop(), h);
    const c = fe.target(ins.index!);
    const carried = c.kind === 'loop' ? c.params.length : c.kind === 'func' ? fe.type.results.length : c.results.length;
    if (carried === 0 && c.kind !== 'func') {
      c.labelUsed = true;
      if (c.kind !== 'loop') c.branched = true;
      fe.w.line(`if (${cond}) ${c.kind === 'loop' ? 'continue' : 'break'} ${c.label};`);
      return;
    }
    fe.w.open(`if (${cond}) {`);
    fe.branch(c);
    fe.w.close();
  },
  br_table(fe, ins) {
    const h = fe.height - 1;
    const e = fe.pop();
    const index = fe.val(e, h);
    const labels = ins.labels!;
    const byTarget = new Map<number, number[]>();
    labels.forEach((depth, k) => {
      if (depth === ins.index) return; // falls into the default case
      const cases = byTarget.get(depth) ?? [];
      cases.push(k);
      byTarget.set(depth, cases);
    });
    if (byTarget.size === 0) {
      fe.branch(fe.target(ins.index!));
      fe.live = false;
      return;
    }
    fe.w.open(`switch (${index}) {`);
    for (const [depth, cases] of byTarget) {
      const at = fe.w.open(cases.map((k) => `case ${k}:`).join(' ') + ' {');
      fe.branch(fe.target(depth));
      fe.w.closeCase(at);
    }
    const at = fe.w.open('default: {');
    fe.branch(fe.target(ins.index!));
    fe.w.closeCase(at);
    fe.w.close();
    fe.live = false;
  },
  return(fe) {
    fe.emitReturn();
    fe.live = false;
  },
};

/** Type check that the map above covers its ops exactly. */
export type ControlHandlers = Pick<OpHandlers<Emit>, ControlOp>;
