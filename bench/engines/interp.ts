/**
 * wasmflip's reference interpreter (debug mode's engine), through the public
 * surface of interpreter/index.ts: decode, validate, instantiate, invokeExport.
 * Invariant: decoding, validation and instantiation happen in `load`;
 * `run` only invokes, so the measured time is execution time.
 */
import { decode, instantiate, invokeExport, validate } from '../../interpreter/index.js';
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

export const interpEngine: Engine = {
  name: 'interp',
  description: "wasmflip's reference interpreter",
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    const start = performance.now();
    const module = decode(bytes);
    validate(module);
    const instance = instantiate(module, {});
    const ms = performance.now() - start;
    const run = (n: number): number | bigint => {
      const results = invokeExport(instance, signature.export, [n]);
      const [result] = results;
      if (results.length !== 1 || (typeof result !== 'number' && typeof result !== 'bigint')) {
        throw new Error(`${signature.export} returned ${results.length} result(s), expected one ${signature.result}`);
      }
      return result;
    };
    return { run, compile: { ms } };
  },
};
