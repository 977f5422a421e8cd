/**
 * wasmflip at a debug level (`native-debug@control`, …) or preset
 * (`preset:development`, memory probe only), through the public
 * `instantiate(bytes, imports, { level })` / `{ preset }`.
 * Invariant: a configuration only counts if the runtime says it runs what was
 * asked: after instantiating, `instance.level` must equal the requested level
 * (for a preset: be a known level), otherwise `load` throws "level option not
 * supported by this build" and the configuration shows as FAILED. Nothing here
 * knows how levels are implemented; once the runtime honours the option these
 * adapters work unchanged.
 */
import { instantiate, type InstantiateOptions, type WasmflipInstance, type WasmflipModule } from '../../runtime/index.js';
import { LEVELS, type Level, type Preset } from '../levels.js';
import { exportedMemory, exportedRun } from './aot.js';
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

/** Fields the level API adds to an instance; read loosely so this compiles before and after it lands. */
interface LevelView {
  level?: unknown;
  mode?: unknown;
}

/**
 * Generated JavaScript size of what the instance runs: the checkpointed code in
 * native-debug mode, the plain compiled code in native mode, none in debug mode.
 */
function generatedJsBytes(module: WasmflipModule, mode: unknown, level: unknown): number | undefined {
  try {
    if (mode === 'native') return module.compiled.stats.jsBytes;
    // The inspection level runs the trap-only variant (runtime/api/instance.ts).
    if (mode === 'native-debug') return module.checkpointed(level === 'inspection' ? 'traps' : true).stats.jsBytes;
    if (mode === 'debug') return 0;
  } catch {
    // A module without compiled code of that kind: the size is unknown, not zero.
  }
  return undefined;
}

async function loadWith(option: { level: Level } | { preset: Preset }, bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
  const start = performance.now();
  const { module, instance } = await instantiate(bytes, {}, option as unknown as InstantiateOptions);
  const ms = performance.now() - start;
  const view = instance as WasmflipInstance & LevelView;
  const { level, mode } = view;
  const honoured = 'level' in option ? level === option.level : typeof level === 'string' && (LEVELS as readonly string[]).includes(level);
  if (!honoured) {
    const asked = 'level' in option ? `level "${option.level}"` : `preset "${option.preset}"`;
    throw new Error(`level option not supported by this build (asked for ${asked}, instance.level is ${JSON.stringify(level) ?? 'undefined'})`);
  }
  const jsBytes = generatedJsBytes(module, mode, level);
  return {
    run: exportedRun(instance.exports, signature),
    memory: exportedMemory(instance.exports),
    compile: { ms, ...(jsBytes !== undefined && { detail: { jsBytes } }) },
    info: { level: String(level), mode: String(mode) },
  };
}

/** The configuration `native-debug@<level>`. */
export function levelEngine(level: Level): Engine {
  return {
    name: `native-debug@${level}`,
    description: `wasmflip with { level: '${level}' }`,
    entries: [[`./${level}`, '.']],
    load: (bytes, signature) => loadWith({ level }, bytes, signature),
  };
}

/** The configuration `preset:<preset>` (measured for memory; its level is whatever the runtime maps it to). */
export function presetEngine(preset: Preset): Engine {
  return {
    name: `preset:${preset}`,
    description: `wasmflip with { preset: '${preset}' }`,
    entries: [[`./${preset}`, '.']],
    load: (bytes, signature) => loadWith({ preset }, bytes, signature),
  };
}
