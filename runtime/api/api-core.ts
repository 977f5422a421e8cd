/**
 * The JS-API-shaped entry points (over instance-core.ts: api.ts adds native-debug): `instantiate(bytes, imports, { mode })`
 * → `{ module, instance }` (or, given a compiled module, the instance),
 * `compile(bytes)`, `validate(bytes)`, plus synchronous variants for hosts
 * that cannot await (the spec runner, the CLI).
 */
import type { ImportObject, ImportResolver } from '../../interpreter/core.js';
import { instantiateModule, type InstantiateOptions, type WasmflipInstance } from './instance-core.js';
import { compile, decodeModule, WasmflipModule, type Factory } from './module.js';

export interface InstantiateResult {
  readonly module: WasmflipModule;
  readonly instance: WasmflipInstance;
}

export function instantiate(bytes: Uint8Array | ArrayBuffer, imports?: ImportObject | ImportResolver, options?: InstantiateOptions): Promise<InstantiateResult>;
export function instantiate(module: WasmflipModule, imports?: ImportObject | ImportResolver, options?: InstantiateOptions): Promise<WasmflipInstance>;
export async function instantiate(
  source: Uint8Array | ArrayBuffer | WasmflipModule,
  imports?: ImportObject | ImportResolver,
  options: InstantiateOptions = {},
): Promise<InstantiateResult | WasmflipInstance> {
  if (source instanceof WasmflipModule) return instantiateModule(source, imports, options);
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const module = options.mode === 'debug' ? new WasmflipModule(bytes, decodeModule(bytes)) : await compile(bytes);
  return { module, instance: instantiateModule(module, imports, options) };
}

/** Synchronous instantiate (compiles on this thread). */
export function instantiateSync(bytes: Uint8Array, imports?: ImportObject | ImportResolver, options: InstantiateOptions = {}): InstantiateResult {
  const module = new WasmflipModule(bytes, decodeModule(bytes));
  return { module, instance: instantiateModule(module, imports, options) };
}

/**
 * The entry point of a standalone module written by `wasmflip compile`: the
 * original bytes (for the shared state and debug mode) and the compiled
 * factory, instantiated without compiling again.
 */
export function instantiateCompiled(bytes: Uint8Array, factory: Factory, imports?: ImportObject | ImportResolver, options: InstantiateOptions = {}): InstantiateResult {
  const module = new WasmflipModule(bytes, decodeModule(bytes), undefined, factory);
  return { module, instance: instantiateModule(module, imports, options) };
}
