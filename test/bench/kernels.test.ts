/**
 * The committed benchmark kernels still compute what kernels.json says, in
 * V8's WebAssembly and in wasm2js's output, and the bench's own helpers
 * (checksums, code size, sampling) behave.
 */
import { describe, expect, it } from 'vitest';
import { emitWasm2jsInProcess, instantiateWasm2js, runWasm2js } from '../../bench/engines/wasm2js.js';
import { v8Engine } from '../../bench/engines/v8.js';
import { checksumOf, kernelBytes, loadKernels } from '../../bench/kernels.js';
import { measure } from '../../bench/measure.js';
import { codeSectionSize } from '../../bench/wasm-size.js';

// The project's lib settings (ES2023, no DOM) do not declare WebAssembly; this is the part used.
interface ModuleReflection {
  Module: {
    new (bytes: Uint8Array): object;
    imports(module: object): { module: string; name: string; kind: string }[];
    exports(module: object): { name: string; kind: string }[];
  };
}
const wasm = (globalThis as unknown as { WebAssembly: ModuleReflection }).WebAssembly;

const kernels = loadKernels();
// The bench must cover every kind of work the issues name.
const requiredKernels = ['hash', 'i64arith', 'matmul', 'nbody', 'sieve', 'quicksort', 'recursion', 'crc32', 'vm', 'memops'];

describe('bench kernels', () => {
  it('lists every required kernel with both checksums recorded', () => {
    expect(kernels.map((k) => k.name).sort()).toEqual([...requiredKernels].sort());
    for (const k of kernels) {
      expect(k.expected, k.name).toMatch(/^-?\d+$/);
      expect(k.expectedQuick, k.name).toMatch(/^-?\d+$/);
      expect(k.quickN, k.name).toBeLessThan(k.n);
    }
  });

  it.each(kernels.map((k) => [k.name, k] as const))('%s imports nothing and exports memory and run', (_, kernel) => {
    const module = new wasm.Module(kernelBytes(kernel));
    expect(wasm.Module.imports(module)).toEqual([]);
    const exports = wasm.Module.exports(module).map((e) => `${e.name}:${e.kind}`);
    expect(exports).toContain('memory:memory');
    expect(exports).toContain(`${kernel.export}:function`);
  });

  it.each(kernels.map((k) => [k.name, k] as const))('%s gives its recorded quick checksum in V8', async (_, kernel) => {
    const { run } = await v8Engine.load(kernelBytes(kernel), kernel);
    expect(checksumOf(run(kernel.quickN), kernel.result)).toBe(kernel.expectedQuick);
  });

  // The in-process binaryen.js route costs a fraction of a process per kernel (the
  // wasm2js tool takes up to a second of CPU each), so every kernel goes this way...
  it('every kernel translated by wasm2js at -O2 gives the same quick checksum as V8', async () => {
    for (const kernel of kernels) {
      const run = instantiateWasm2js(await emitWasm2jsInProcess(kernelBytes(kernel)), kernel);
      expect(checksumOf(run(kernel.quickN), kernel.result), kernel.name).toBe(kernel.expectedQuick);
    }
  }, 60_000);

  // ...and the tool the bench runs is checked on the i64 kernel, whose result
  // crosses the boundary in two halves (env.setTempRet0).
  it('the wasm2js -O2 tool output of the i64 kernel gives the same quick checksum as V8', async () => {
    const kernel = kernels.find((k) => k.result === 'i64')!;
    const run = instantiateWasm2js((await runWasm2js(kernelBytes(kernel))).js, kernel);
    expect(checksumOf(run(kernel.quickN), kernel.result)).toBe(kernel.expectedQuick);
  }, 60_000);
});

describe('bench helpers', () => {
  it('checksumOf wraps to the result type and exposes non-integers', () => {
    expect(checksumOf(0xffffffff, 'i32')).toBe('-1');
    expect(checksumOf(2n ** 64n - 1n, 'i64')).toBe('-1');
    expect(checksumOf(7, 'i64')).toBe('7');
    expect(checksumOf(1.5, 'i32')).toMatch(/not an integer/);
  });

  it('codeSectionSize reads the Code section and rejects non-modules with an offset', () => {
    // (module (func)) : type, function and code sections; the code section holds 4 bytes.
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]);
    expect(codeSectionSize(bytes)).toBe(4);
    expect(() => codeSectionSize(new Uint8Array([1, 2, 3]))).toThrow(/at offset 0x0/);
    expect(() => codeSectionSize(bytes.slice(0, 20))).toThrow(/past end of module \(at offset 0x12\)/);
  });

  it('measure samples through the closure and counts wrong results', () => {
    let calls = 0;
    const timing = measure('closure', () => ++calls, (r) => (r as number) % 2 === 0, { maxTime: 0.05, minSamples: 2 });
    expect(timing.calls).toBeGreaterThan(1);
    expect(timing.calls).toBe(calls);
    expect(timing.wrongResults).toBe(Math.ceil(calls / 2));
    expect(timing.minMs).toBeLessThanOrEqual(timing.medianMs);
    expect(timing.medianMs).toBeLessThanOrEqual(timing.maxMs);
  });
});
