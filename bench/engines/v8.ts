/**
 * V8's own WebAssembly: the limit every other engine is measured against.
 * Invariant: compiles synchronously up front, so `run` measures execution only.
 */
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

// The project's lib settings (ES2023, no DOM) do not declare WebAssembly; this is the part used.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export const v8Engine: Engine = {
  name: 'v8',
  description: "V8's own WebAssembly (the limit)",
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    const start = performance.now();
    const module = new wasm.Module(bytes);
    const instance = new wasm.Instance(module, {});
    const ms = performance.now() - start;
    const fn = instance.exports[signature.export];
    if (typeof fn !== 'function') throw new Error(`export "${signature.export}" is not a function`);
    const run = fn as (n: number) => number | bigint;
    return { run: (n) => run(n), compile: { ms } };
  },
};
