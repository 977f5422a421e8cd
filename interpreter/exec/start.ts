/**
 * Instantiation with the start function run in the interpreter (spec 4.5.4's
 * last step): what the interpreter's public `instantiate` is. Kept apart from
 * instantiate.ts so that linking and initialising an instance loads none of
 * the interpreter's execution code.
 */
import type { Module } from '../syntax/types.js';
import { instantiateState, type InstantiateOptions } from './instantiate.js';
import { invoke } from './invoke.js';
import type { ImportObject, ImportResolver } from './link.js';
import type { Instance } from './store.js';

export function instantiate(module: Module, imports?: ImportObject | ImportResolver, options: InstantiateOptions = {}): Instance {
  const inst = instantiateState(module, imports);
  if (module.start !== null && options.runStart !== false) invoke(inst.funcs[module.start]!, []);
  return inst;
}
