/**
 * Forced deopts on the bench kernels (bench/kernels/*.wasm): frame maps built
 * from validation data, a deopt at every 7th checkpoint reached (breakpoints
 * on the checkpoint places), each stack encoded as compiled code would hand
 * it over, decoded, checked, and resumed in the interpreter. The result must
 * equal the host's own WebAssembly on the same input.
 *
 * The interpreter needs seconds per kernel at kernels.json's quick n, so by
 * default each kernel runs at a small n; WASMFLIP_DEOPT_FULL=1 runs the
 * quick n and checks the recorded checksum as well.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decode, instantiate, validate, type FuncInstance, type Instance } from '../../interpreter/index.js';
import { buildFrameMaps } from '../../deopt/index.js';
import { runWithDeopts } from './harness.js';

interface KernelRow { name: string; file: string; export: string; result: 'i32' | 'i64'; quickN: number; expectedQuick: string }
const dir = join(import.meta.dirname, '..', '..', 'bench', 'kernels');
const kernels = (JSON.parse(readFileSync(join(dir, 'kernels.json'), 'utf8')) as { kernels: KernelRow[] }).kernels;
const full = process.env['WASMFLIP_DEOPT_FULL'] === '1';
/** Small inputs that keep the interpreter runs well under a second each. */
const SMALL_N: Readonly<Record<string, number>> = {
  hash: 1, i64arith: 2000, matmul: 12, nbody: 100, sieve: 2000, quicksort: 200, recursion: 14, crc32: 1, vm: 100, memops: 2,
};

function bytesOf(k: KernelRow): Uint8Array {
  return new Uint8Array(readFileSync(join(dir, k.file)));
}

function load(k: KernelRow): { instance: Instance; run: FuncInstance } {
  const module = decode(bytesOf(k));
  validate(module);
  const instance = instantiate(module, {});
  const ex = instance.exports.get(k.export);
  if (ex?.kind !== 'func') throw new Error(`${k.name}: no exported function ${k.export}`);
  return { instance, run: ex.value };
}

/** The host engine's answer (V8's WebAssembly), as the interpreter's canonical value. */
function hostAnswer(k: KernelRow, n: number): number | bigint {
  // The project's lib settings leave out the WebAssembly namespace's types; Node has it.
  const wasm = (globalThis as unknown as { WebAssembly: HostWasm }).WebAssembly;
  const inst = new wasm.Instance(new wasm.Module(bytesOf(k)), {});
  return (inst.exports[k.export] as (n: number) => number | bigint)(n);
}

interface HostWasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

describe('forced deopts on the bench kernels', () => {
  for (const k of kernels) {
    const n = full ? k.quickN : SMALL_N[k.name] ?? 1;
    test(`${k.name} (n=${n}) gives the host engine's result with a deopt at every 7th checkpoint`, () => {
      const want = hostAnswer(k, n);
      if (full) expect(String(want)).toBe(k.expectedQuick);
      const { instance, run } = load(k);
      const maps = buildFrameMaps(instance.module);
      const r = runWithDeopts(instance, maps, run, [n], { every: 7, mode: 'break', maxDeopts: full ? 300 : 60 });
      expect(r.results).toEqual([want]);
      expect(r.deopts).toBeGreaterThan(0);
    });
  }

  test('recursion deopts deep stacks at every checkpoint, stopping before each instruction', () => {
    const k = kernels.find((x) => x.name === 'recursion')!;
    const want = hostAnswer(k, 12);
    const { instance, run } = load(k);
    const maps = buildFrameMaps(instance.module);
    const r = runWithDeopts(instance, maps, run, [12], { every: 1, mode: 'step', maxDeopts: 300 });
    expect(r.results).toEqual([want]);
    expect(r.maxFrames).toBeGreaterThan(5);
    expect(Object.keys(r.reached).sort()).toEqual(['after-call', 'entry', 'loop']);
  });
});
