/**
 * wasmflip's native mode (configuration `native`, formerly `aot`): the module
 * compiled to JavaScript by compiler/ and run against the shared instance
 * state (runtime/).
 * Invariant: compilation (decode, validate, compile, load) happens in `load`
 * and is reported as compile time; `run` only calls the export. It goes
 * through the public async `instantiate`, so a large module compiles on the
 * worker pool as a user's would (small ones inline); `detail.workers` says
 * which.
 */
import { instantiate } from '../../runtime/index.js';
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

/** The export as a callable `run(n)`, or an error naming the export. */
export function exportedRun(exports: Readonly<Record<string, unknown>>, signature: KernelSignature): (n: number) => number | bigint {
  const fn = exports[signature.export];
  if (typeof fn !== 'function') throw new Error(`export "${signature.export}" is not a function`);
  const run = fn as (n: number) => number | bigint;
  return (n) => run(n);
}

/** The first exported memory of an instance (a WebAssembly.Memory-shaped object), if any. */
export function exportedMemory(exports: Readonly<Record<string, unknown>>): { grow(delta: number): number } | undefined {
  for (const v of Object.values(exports)) {
    if (typeof v === 'object' && v !== null && 'grow' in v && 'buffer' in v) return v as { grow(delta: number): number };
  }
  return undefined;
}

export const aotEngine: Engine = {
  name: 'native',
  description: 'wasmflip native: compiled to JavaScript, no debug support',
  entries: [['.']],
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    const start = performance.now();
    const { module, instance } = await instantiate(bytes, {}, { mode: 'native' });
    const ms = performance.now() - start;
    const stats = module.compiled.stats;
    return {
      run: exportedRun(instance.exports, signature),
      memory: exportedMemory(instance.exports),
      compile: { ms, detail: { compilerMs: stats.totalMs, jsBytes: stats.jsBytes, codeBytes: stats.codeBytes, workers: stats.workers } },
      info: { mode: instance.mode },
    };
  },
};
