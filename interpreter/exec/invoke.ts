/**
 * Calling a function from the host: `invoke` with canonical values,
 * `invokeBits` bit-exact (f32 as its u32 pattern), and `invokeExport` by
 * export name. The Wasm frame is built at the machine's `top`, so calls made
 * from inside a host import (re-entry) stack up correctly.
 */
import { LinkError } from '../errors.js';
import { flatOf } from './flat-cache.js';
import { machine as M } from './machine.js';
import { run } from './run.js';
import { readSlot, writeSlot } from './slots.js';
import type { FuncInstance, Instance } from './store.js';
import { toWasmValue, type Value } from './values.js';

export function invoke(func: FuncInstance, args: readonly Value[]): Value[] {
  return call(func, args, false);
}

/** As `invoke`, bit-exact: f32 arguments and results as u32 bit patterns (numbers), f64 as u64 bit patterns (BigInts). */
export function invokeBits(func: FuncInstance, args: readonly Value[]): Value[] {
  return call(func, args, true);
}

export function invokeExport(inst: Instance, name: string, args: readonly Value[]): Value[] {
  const ex = inst.exports.get(name);
  if (ex === undefined) throw new LinkError(`unknown export`, undefined, JSON.stringify(name));
  if (ex.kind !== 'func') throw new LinkError(`export is a ${ex.kind}, not a function`, undefined, JSON.stringify(name));
  return invoke(ex.value, args);
}

function call(func: FuncInstance, args: readonly Value[], bits: boolean): Value[] {
  const { params, results } = func.type;
  if (args.length !== params.length) throw new TypeError(`expected ${params.length} arguments, got ${args.length}`);
  if (func.kind === 'host') {
    const r = func.fn(...args);
    if (results.length === 0) return [];
    if (results.length === 1) return [toWasmValue(results[0]!, r)];
    return [...(r as Iterable<unknown>)].map((v, i) => toWasmValue(results[i]!, v));
  }
  const ff = flatOf(func.instance, func.index);
  const base = M.top;
  const depth = M.depth;
  M.ensure(base + ff.frameSize);
  for (let i = 0; i < params.length; i++) writeSlot(params[i]!, (base + i) * 2, args[i]!, bits);
  M.I32.fill(0, (base + ff.nparams) * 2, (base + ff.nlocals) * 2);
  M.I32.set(ff.consts, (base + ff.nlocals) * 2);
  for (const r of ff.refLocals) M.R[base + r] = null;
  M.top = base + ff.frameSize;
  try {
    run(ff, func.instance, base);
    // Kept generic (not unboxed doubles), so an f64 signalling NaN keeps its bits.
    const out = new Array<Value>(results.length).fill(undefined);
    for (let i = 0; i < results.length; i++) out[i] = readSlot(results[i]!, (base + i) * 2, bits);
    return out;
  } finally {
    M.top = base;
    M.depth = depth;
  }
}
