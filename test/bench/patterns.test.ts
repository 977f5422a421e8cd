/**
 * The code-shape modules of bench/patterns/ (bench/patterns.ts): each gives
 * the same result on every call (the bench compares every call's), and
 * wasmflip's native and native-debug code give V8's.
 */
import { describe, expect, it } from 'vitest';
import { instantiateSync } from '../../runtime/api/api.js';
import { v8Engine } from '../../bench/engines/v8.js';
import { checksumOf } from '../../bench/kernels.js';
import { loadPatterns, patternBytes } from '../../bench/patterns.js';

const patterns = loadPatterns();

describe('bench patterns', () => {
  it.each(patterns.map((p) => [p.name, p] as const))('%s gives V8\'s result in native and native-debug code', async (_, p) => {
    const { run } = await v8Engine.load(patternBytes(p), p);
    const want = checksumOf(run(p.quickN), p.result);
    expect(checksumOf(run(p.quickN), p.result), 'a second call gives the same result').toBe(want);
    for (const mode of ['native', 'native-debug'] as const) {
      const exports = instantiateSync(patternBytes(p), undefined, { mode }).instance.exports as Record<string, (n: number) => number | bigint>;
      expect(checksumOf(exports[p.export]!(p.quickN), p.result), mode).toBe(want);
    }
  });
});
