/**
 * Calls into a host (imported JavaScript) function from the interpreter:
 * arguments leave the stack as canonical values, results come back through
 * the JS API's coercions (a multi-value result is any iterable).
 *
 * Invariant: the machine's `top` is set by the caller above the current
 * frame, so a host function that calls back into Wasm gets fresh stack.
 */
import { machine as M } from './machine.js';
import { readSlot, writeSlot } from './slots.js';
import type { FuncType } from '../syntax/types.js';
import { toWasmValue, type Value } from './values.js';

/** Calls `fn` (of type `type`) with the arguments at doubled index `k`; its results replace them. */
export function callHost(type: FuncType, fn: (...args: Value[]) => unknown, k: number): void {
  const { params, results } = type;
  const args = new Array<Value>(params.length);
  for (let i = 0; i < params.length; i++) args[i] = readSlot(params[i]!, k + 2 * i);
  const depth = M.depth, top = M.top;
  let r: unknown;
  try {
    r = fn(...args);
  } finally {
    M.depth = depth;
    M.top = top;
  }
  if (results.length === 1) writeSlot(results[0]!, k, toWasmValue(results[0]!, r));
  else if (results.length > 1) {
    const rs = [...(r as Iterable<unknown>)];
    if (rs.length !== results.length) throw new TypeError(`host function returned ${rs.length} values, expected ${results.length}`);
    for (let i = 0; i < results.length; i++) writeSlot(results[i]!, k + 2 * i, toWasmValue(results[i]!, rs[i]));
  }
}
