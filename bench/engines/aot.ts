/**
 * wasmflip's native mode: the module compiled to JavaScript by compiler/ and
 * run against the shared instance state (runtime/).
 * Invariant: compilation (decode, validate, compile, load) happens in `load`
 * and is reported as compile time; `run` only calls the export. It goes
 * through the public async `instantiate`, so a large module compiles on the
 * worker pool as a user's would (small ones inline); `detail.workers` says
 * which.
 */
import { instantiate } from '../../runtime/index.js';
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

export const aotEngine: Engine = {
  name: 'aot',
  description: "wasmflip's AOT compiler (native mode)",
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    const start = performance.now();
    const { module, instance } = await instantiate(bytes, {}, { mode: 'native' });
    const ms = performance.now() - start;
    const fn = instance.exports[signature.export];
    if (typeof fn !== 'function') throw new Error(`export "${signature.export}" is not a function`);
    const run = fn as (n: number) => number | bigint;
    const stats = module.compiled.stats;
    return {
      run: (n) => run(n),
      compile: { ms, detail: { compilerMs: stats.totalMs, jsBytes: stats.jsBytes, codeBytes: stats.codeBytes, workers: stats.workers } },
    };
  },
};
