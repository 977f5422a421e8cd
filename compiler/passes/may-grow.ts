/**
 * Pass 2b, may-grow: which functions may change memory 0's size while they
 * run (a `memory.grow` in them or in anything they call). Compiled
 * functions hold memory's views and length in JS locals (emit/memory.ts);
 * after a call they re-read them only when the callee may grow memory, so
 * calls to leaf arithmetic cost nothing extra.
 *
 * Conservative by construction: imported functions (a host may grow an
 * exported memory, another instance may share it) and `call_indirect`
 * (any table entry) count as growing; growth then spreads to every caller
 * through the direct-call graph. The result is plain data (one byte per
 * function index), so it travels to compile workers as is.
 */
import type { Module } from '../../interpreter/core.js';

export function mayGrow(module: Module): Uint8Array {
  const n = module.funcTypes.length;
  const grows = new Uint8Array(n);
  if (module.mems.length === 0) return grows;
  const callers: number[][] = Array.from({ length: n }, () => []);
  const work: number[] = [];
  for (let j = 0; j < module.importedFuncCount; j++) {
    grows[j] = 1;
    work.push(j);
  }
  module.funcs.forEach((f, k) => {
    const i = module.importedFuncCount + k;
    for (const ins of f.body) {
      if (ins.op === 'call') callers[ins.index!]!.push(i);
      else if (ins.op === 'memory.grow' || ins.op === 'call_indirect') {
        if (grows[i] === 0) {
          grows[i] = 1;
          work.push(i);
        }
      }
    }
  });
  while (work.length > 0) {
    for (const c of callers[work.pop()!]!) {
      if (grows[c] === 0) {
        grows[c] = 1;
        work.push(c);
      }
    }
  }
  return grows;
}
