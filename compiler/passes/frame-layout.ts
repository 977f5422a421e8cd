/**
 * Pass 2, frame-layout: names the JavaScript variable of every local and
 * every operand-stack height of each function (DESIGN.md invariant 4).
 *
 * Why before emission: the emitters and the checkpoint pass of issue 6 must
 * agree on one naming, and deopt reads it as data. Local i is `l<i>` (and
 * `l<i>h` for an i64's high half), stack height j is `s<j>` / `s<j>h`.
 */
import type { Func, Module } from '../../interpreter/core.js';
import { reprOf, type FrameLayout, type Slot } from '../types.js';

export function frameLayout(module: Module, funcIndex: number, func: Func): FrameLayout {
  const type = module.types[module.funcTypes[funcIndex]!]!;
  const locals: Slot[] = [...type.params, ...func.locals].map((t, i) => {
    const repr = reprOf(t);
    return repr === 'i64pair' ? { name: `l${i}`, hi: `l${i}h`, repr } : { name: `l${i}`, repr };
  });
  const stack = Array.from({ length: func.maxHeight ?? 0 }, (_, j) => ({ name: `s${j}`, hi: `s${j}h` }));
  return { funcIndex, locals, stack };
}
