/**
 * Flat code is made lazily, one function at a time, the first time the
 * function runs, and shared by every instance of the module (it depends only
 * on the module). A large module whose functions mostly never run in the
 * interpreter pays nothing for them.
 */
import type { Module } from '../syntax/types.js';
import type { FlatFunc } from './flat-func.js';
import { predecode } from './predecode.js';
import type { Instance, WasmFunc } from './store.js';

type Cache = WeakMap<Module, (FlatFunc | undefined)[]>;
const fused: Cache = new WeakMap();
const exact: Cache = new WeakMap();
/** What new calls run, where it is not the fused code (see `useExact`). */
const active: Cache = new WeakMap();

function slot(cache: Cache, module: Module): (FlatFunc | undefined)[] {
  let funcs = cache.get(module);
  if (funcs === undefined) cache.set(module, (funcs = []));
  return funcs;
}

/** The code a call runs: fused, unless the function is being debugged (see `useExact`). */
export function flatOf(inst: Instance, funcIndex: number): FlatFunc {
  return flatOfModule(inst.module, funcIndex);
}

/** Bumped whenever the variant new calls run may change, so per-function caches refresh. */
let epoch = 0;

/** `flatOf` for a call: cached on the function object, a property load instead of two map lookups. */
export function flatOfCallee(f: WasmFunc): FlatFunc {
  if (f.flatEpoch === epoch) return f.flat!;
  const ff = flatOfModule(f.instance.module, f.index);
  f.flat = ff;
  f.flatEpoch = epoch;
  return ff;
}

export function flatOfModule(module: Module, funcIndex: number): FlatFunc {
  return slot(active, module)[funcIndex] ?? (exactEverywhere ? exactOfModule(module, funcIndex) : fusedOfModule(module, funcIndex));
}

let exactEverywhere = false;

/**
 * Makes every new call run exact code (one flat instruction per Wasm
 * instruction): for checking that both variants compute the same, and for
 * measuring what fusion buys.
 */
export function preferExact(on: boolean): void {
  exactEverywhere = on;
  epoch++;
}

/** The fused variant, whichever variant new calls run. */
export function fusedOfModule(module: Module, funcIndex: number): FlatFunc {
  return (slot(fused, module)[funcIndex] ??= predecode(module, funcIndex, true));
}

/**
 * The one-instruction-per-Wasm-instruction variant, where every Wasm offset
 * is a flat pc: for resuming at any offset and for single-stepping.
 */
export function exactOfModule(module: Module, funcIndex: number): FlatFunc {
  return (slot(exact, module)[funcIndex] ??= predecode(module, funcIndex, false));
}

/**
 * Makes new calls to `funcIndex` run the exact variant (a breakpoint or a
 * step needs every offset to be a stop point). Frames already running the
 * fused code keep it until they return.
 */
export function useExact(module: Module, funcIndex: number, on: boolean): void {
  slot(active, module)[funcIndex] = on ? exactOfModule(module, funcIndex) : undefined;
  epoch++;
}
