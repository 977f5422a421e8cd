/**
 * The list of engines the bench knows, as data.
 * Invariant: `v8` is always measured (every ratio is relative to it, in the same
 * run); an engine not in `defaultEngines` runs only when named with --engines.
 *
 * To add wasmflip's native mode: write `bench/engines/aot.ts` exporting an
 * `Engine` named 'aot' (compile in `load`, report `compile.ms`), add it to
 * `engines` below, and to `defaultEngines` once it passes every kernel.
 */
import type { Engine } from './engine.js';
import { aotEngine } from './aot.js';
import { interpEngine } from './interp.js';
import { v8Engine } from './v8.js';
import { wasm2jsEngine } from './wasm2js.js';

export type { CompileInfo, Engine, KernelSignature, LoadedKernel } from './engine.js';

/** Every engine, by name; the table's columns follow this order. */
export const engines: readonly Engine[] = [
  v8Engine,
  wasm2jsEngine,
  interpEngine,
  aotEngine,
];

/** Engines measured when --engines is not given. */
export const defaultEngines: readonly string[] = ['v8', 'wasm2js', 'aot', 'interp'];

/** Resolves engine names; throws naming the unknown ones and listing the known. */
export function selectEngines(names: readonly string[]): Engine[] {
  const unknown = names.filter((n) => !engines.some((e) => e.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown engine(s) ${unknown.join(', ')}; known: ${engines.map((e) => e.name).join(', ')}`);
  }
  // v8 is the baseline of every ratio, so it is always included and first.
  const wanted = new Set(['v8', ...names]);
  return engines.filter((e) => wanted.has(e.name));
}
