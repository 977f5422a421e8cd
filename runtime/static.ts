/**
 * The `wasmflip/static` entry point: the JS-API-shaped `instantiate` /
 * `compile` / `validate` for production code at the `static` level — native
 * mode, traps named by function, offset and C source line (the DWARF line
 * reader), and nothing of the debugger (no session, console, expression
 * evaluator or remote protocol). `npm run bench` measures the bytes of code
 * each entry point loads.
 *
 * Invariant: instances made here start at level `static` unless the options
 * say otherwise; every export is the main entry point's own.
 */
import type { ImportObject, ImportResolver } from '../interpreter/core.js';
import { instantiate as instantiateAny, type InstantiateResult } from './api/api-core.js';
import type { InstantiateOptions, WasmflipInstance } from './api/instance-core.js';
import type { WasmflipModule } from './api/module.js';

export { compile, validate, WasmflipModule } from './api/module.js';
export { WasmflipInstance } from './api/instance-core.js';
export type { InstantiateOptions, Mode } from './api/instance-core.js';
export type { InstantiateResult } from './api/api-core.js';
export { Memory, Table, Global } from './api/wrappers.js';
export { LEVELS, PRESETS } from './api/levels.js';
export type { Level, Preset } from './api/levels.js';

/** `instantiate` with `level: 'static'` by default. */
export function instantiate(bytes: Uint8Array | ArrayBuffer, imports?: ImportObject | ImportResolver, options?: InstantiateOptions): Promise<InstantiateResult>;
export function instantiate(module: WasmflipModule, imports?: ImportObject | ImportResolver, options?: InstantiateOptions): Promise<WasmflipInstance>;
export function instantiate(source: Uint8Array | ArrayBuffer | WasmflipModule, imports?: ImportObject | ImportResolver, options: InstantiateOptions = {}): Promise<InstantiateResult | WasmflipInstance> {
  const o: InstantiateOptions = options.level === undefined && options.preset === undefined ? { ...options, level: 'static' } : options;
  return instantiateAny(source as Uint8Array, imports, o);
}
