/**
 * How a parallel compile cuts a module's functions into chunks of about
 * equal code size (parallel.ts, worker.ts). Every thread of one compile
 * computes the same cut from the same module and chunk count, so a chunk's
 * number names the same functions on each of them.
 */
import type { Module } from '../interpreter/core.js';

/** Bytes of code in the module's defined functions. */
export function codeBytes(module: Module): number {
  return module.funcs.reduce((n, f) => n + (f.endOffset - f.entryOffset), 0);
}

/** Splits defined functions into at most `n` ranges [from, to) of function indices, of about equal code size. */
export function chunkRanges(module: Module, n: number): [number, number][] {
  const total = codeBytes(module);
  const out: [number, number][] = [];
  let from = module.importedFuncCount, acc = 0;
  module.funcs.forEach((f, k) => {
    acc += f.endOffset - f.entryOffset;
    const i = module.importedFuncCount + k + 1;
    if (acc >= (total / n) * (out.length + 1) && out.length < n - 1) {
      out.push([from, i]);
      from = i;
    }
  });
  if (from < module.funcTypes.length) out.push([from, module.funcTypes.length]);
  return out;
}
