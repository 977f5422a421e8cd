/**
 * Control instructions (spec 4.4.8) in asm.js, the shape of emit/control.ts:
 *
 *   block  →  L2: {  …  break L2;  …  }
 *   loop   →  L2: while (1) {  …  continue L2;  …  break L2;  }
 *   if     →  L2: { if (i3) {  …  } else {  …  } }     (the label on a block: a branch leaves both arms)
 *   br_table → switch (i3|0) { case 0: { …; break L2; } …  default: { …; continue L1; } }
 *
 * Labels are named by nesting depth inside the region. `return` and
 * branches that leave the region are NotAsm (emitter.ts): a region ends
 * only by falling through its end, or by a trap.
 */
import type { OpName } from '../../interpreter/core.js';
import type { AsmOp } from './ops.js';

type ControlOp = Extract<OpName, 'unreachable' | 'nop' | 'block' | 'loop' | 'if' | 'else' | 'end' | 'br' | 'br_if' | 'br_table'>;

export const control: { readonly [K in ControlOp]: AsmOp } = {
  unreachable(ae) {
    ae.w.line(ae.trap('UNREACHABLE'));
    ae.live = false;
  },
  nop() {},
  block(ae, ins) {
    const c = ae.enter('block', ins.blockType);
    ae.w.open(`${c.label}: {`);
  },
  loop(ae, ins) {
    const c = ae.enter('loop', ins.blockType);
    ae.w.open(`${c.label}: while (1) {`);
  },
  if(ae, ins) {
    const cond = ae.pop('i32');
    const c = ae.enter('if', ins.blockType);
    ae.w.open(`${c.label}: {`);
    ae.w.open(`if (${cond}) {`);
  },
  else(ae) {
    const c = ae.ctrl[ae.ctrl.length - 1]!;
    ae.w.close('} else {');
    ae.w.depth++;
    ae.resetTo(c.base, c.params);
    ae.live = true;
  },
  end(ae) {
    const c = ae.ctrl.pop()!;
    if (c.kind === 'loop' && ae.live) ae.w.line(`break ${c.label};`);
    if (c.kind === 'if') ae.w.close();
    ae.w.close();
    ae.resetTo(c.base, c.results);
    ae.live = true;
  },
  br(ae, ins) {
    ae.branch(ins.index!);
    ae.live = false;
  },
  br_if(ae, ins) {
    const cond = ae.pop('i32');
    ae.w.open(`if (${cond}) {`);
    ae.branch(ins.index!);
    ae.w.close();
  },
  br_table(ae, ins) {
    const i = ae.pop('i32');
    const dflt = ins.index!;
    const byTarget = new Map<number, number[]>();
    ins.labels!.forEach((depth, k) => {
      if (depth !== dflt) byTarget.set(depth, [...(byTarget.get(depth) ?? []), k]);
    });
    ae.w.open(`switch (${i}|0) {`);
    for (const [depth, cases] of byTarget) {
      ae.w.open(`${cases.map((k) => `case ${k}:`).join(' ')} {`);
      ae.branch(depth);
      ae.w.close();
    }
    ae.w.open('default: {');
    ae.branch(dflt);
    ae.w.close();
    ae.w.close();
    ae.live = false;
  },
};
