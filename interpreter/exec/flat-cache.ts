/**
 * Flat code is made lazily, one function at a time, the first time the
 * function runs, and shared by every instance of the module (it depends only
 * on the module). A large module whose functions mostly never run in the
 * interpreter pays nothing for them.
 */
import type { Module } from '../syntax/types.js';
import { predecode, type FlatFunc } from './predecode.js';
import type { Instance } from './store.js';

const cache = new WeakMap<Module, (FlatFunc | undefined)[]>();

export function flatOf(inst: Instance, funcIndex: number): FlatFunc {
  return flatOfModule(inst.module, funcIndex);
}

export function flatOfModule(module: Module, funcIndex: number): FlatFunc {
  let funcs = cache.get(module);
  if (funcs === undefined) cache.set(module, (funcs = []));
  return (funcs[funcIndex] ??= predecode(module, funcIndex));
}
