/**
 * The configurations the bench measures, as one list: each row is an engine
 * adapter (engine.ts). Columns of every table follow this order.
 * Invariant: `v8` is always measured (every ratio is relative to it, in the same
 * run); `native` is measured whenever a level is (levels are compared with it).
 * Old names (`aot`, `interp`) stay accepted by --engines.
 */
import type { Engine } from './engine.js';
import { aotEngine } from './aot.js';
import { attachedEngine, interpEngine } from './interp.js';
import { levelEngine, presetEngine } from './level.js';
import { v8Engine } from './v8.js';
import { wasm2jsEngine } from './wasm2js.js';
import { LEVELS, PRESETS } from '../levels.js';

export type { CompileInfo, Engine, KernelSignature, LoadedKernel } from './engine.js';

/** Every timed configuration, in table order. */
export const engines: readonly Engine[] = [
  v8Engine,
  wasm2jsEngine,
  aotEngine,
  ...LEVELS.map(levelEngine),
  interpEngine,
  attachedEngine,
];

/** Configurations only the memory probe measures (presets pick a level; their speed is that level's). */
export const memoryOnlyEngines: readonly Engine[] = PRESETS.map(presetEngine);

/** Earlier names of configurations. */
export const aliases: Readonly<Record<string, string>> = { aot: 'native', interp: 'debug' };

/** Configurations measured when --engines is not given: all of them. */
export const defaultEngines: readonly string[] = engines.map((e) => e.name);

/** Any configuration by name (timed or memory-only), or undefined. */
export function engineByName(name: string): Engine | undefined {
  const resolved = aliases[name] ?? name;
  return [...engines, ...memoryOnlyEngines].find((e) => e.name === resolved);
}

/** Resolves configuration names; throws naming the unknown ones and listing the known. */
export function selectEngines(names: readonly string[]): Engine[] {
  const resolved = names.map((n) => aliases[n] ?? n);
  const unknown = names.filter((_, i) => !engines.some((e) => e.name === resolved[i]));
  if (unknown.length > 0) {
    throw new Error(`unknown engine(s) ${unknown.join(', ')}; known: ${engines.map((e) => e.name).join(', ')}`);
  }
  const wanted = new Set(['v8', ...resolved]);
  if (resolved.some((n) => n.startsWith('native-debug@'))) wanted.add('native');
  return engines.filter((e) => wanted.has(e.name));
}
