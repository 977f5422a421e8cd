/**
 * The kernels built `-O0 -g` (bench/kernels/NAME-O0g.wasm, what
 * `checkpoints.ts --debug-build` measures): each gives the -O2 build's
 * checksum in V8, in native code, and in native-debug at the inspection and
 * control levels, where its DWARF has the dead locals zeroed
 * (compiler/passes/dead-locals.ts) — so the committed builds stay in step
 * with their sources and the zeroing changes no result.
 */
import { describe, expect, it } from 'vitest';
import { instantiateSync } from '../../runtime/api/api.js';
import { v8Engine } from '../../bench/engines/v8.js';
import { checksumOf, kernelBytes, loadKernels } from '../../bench/kernels.js';

describe('kernels built -O0 -g', () => {
  it.each(loadKernels().map((k) => [k.name, k] as const))('%s gives the -O2 checksum in V8, native and native-debug', async (_, k) => {
    const bytes = kernelBytes(k, '-O0g');
    const { run } = await v8Engine.load(bytes, k);
    expect(checksumOf(run(k.quickN), k.result), 'v8').toBe(k.expectedQuick);
    for (const options of [{ mode: 'native' }, { level: 'inspection' }, { level: 'control' }] as const) {
      const exports = instantiateSync(bytes, undefined, options).instance.exports as Record<string, (n: number) => number | bigint>;
      expect(checksumOf(exports[k.export]!(k.quickN), k.result), JSON.stringify(options)).toBe(k.expectedQuick);
    }
  });
});
