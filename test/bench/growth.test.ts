/**
 * The bench's memory-growth section (bench/growth.ts): memory really grows
 * between the warm calls and the timed ones, ratios are taken against the
 * main table's V8 and ungrown medians, every call is checked, and a
 * configuration that cannot grow or goes wrong after growing is a failed
 * row, never a missing or a fast one.
 */
import { describe, expect, it } from 'vitest';
import { GROWN_CONFIGS, growthMarkdown, measureGrowth, type GrowthRow } from '../../bench/growth.js';
import { aotEngine } from '../../bench/engines/aot.js';
import type { Engine } from '../../bench/engines/index.js';
import { loadKernels } from '../../bench/kernels.js';
import type { Measurement } from '../../bench/report.js';

const hash = loadKernels().find((k) => k.name === 'hash')!;
const sampling = { maxTime: 0.05, minSamples: 2 };
const quiet = (): void => {};

/** A main-table row for `engine` on hash with median `ms`. */
function row(engine: string, ms: number): Measurement {
  return {
    kernel: 'hash', engine, n: hash.quickN, codeBytes: 0, expected: hash.expectedQuick, status: 'ok',
    timing: { medianMs: ms, minMs: ms, maxMs: ms, samples: 1, calls: 1, wrongResults: 0, sampleMs: [ms] },
  };
}

/** The native engine, counting growths and the calls made before and after the first. */
function countingNative(): { engine: Engine; seen: { before: number; after: number; grows: number } } {
  const seen = { before: 0, after: 0, grows: 0 };
  const engine: Engine = {
    ...aotEngine,
    async load(bytes, signature) {
      const loaded = await aotEngine.load(bytes, signature);
      const memory = loaded.memory!;
      return {
        ...loaded,
        run: (n) => { seen.grows === 0 ? seen.before++ : seen.after++; return loaded.run(n); },
        memory: { grow: (d) => { seen.grows++; return memory.grow(d); } },
      };
    },
  };
  return { engine, seen };
}

describe('bench: speed after memory grows', () => {
  it('grows memory once after the warm calls, checks and times the calls after, against the main table', async () => {
    const { engine, seen } = countingNative();
    const rows = await measureGrowth([engine], [hash], [row('v8', 2), row('native', 4)], true, sampling, quiet);
    expect(rows).toHaveLength(1);
    const [r] = rows as [GrowthRow];
    expect(r).toMatchObject({ kernel: 'hash', engine: 'native', status: 'ok' });
    expect(seen.grows).toBe(1);
    expect(seen.before).toBe(2);
    expect(seen.after).toBeGreaterThanOrEqual(3);
    expect(r.vsV8).toBeCloseTo(r.medianMs! / 2, 10);
    expect(r.vsUngrown).toBeCloseTo(r.medianMs! / 4, 10);
  });

  it('measures only the configurations it names, among those the run selected', async () => {
    expect(GROWN_CONFIGS).toEqual(['native', 'native-debug@control']);
    const other: Engine = { ...aotEngine, name: 'native-debug@eval' };
    expect(await measureGrowth([other], [hash], [], true, sampling, quiet)).toEqual([]);
  });

  it('a configuration without an exported memory, or wrong after growing, is a failed row', async () => {
    const noMemory: Engine = { ...aotEngine, async load(b, s) { const l = await aotEngine.load(b, s); return { ...l, memory: undefined }; } };
    const wrongAfter: Engine = {
      ...aotEngine,
      async load(b, s) {
        const l = await aotEngine.load(b, s);
        let grown = false;
        return { ...l, run: (n) => (grown ? 0 : l.run(n)), memory: { grow: (d) => { grown = true; return l.memory!.grow(d); } } };
      },
    };
    const [a] = await measureGrowth([noMemory], [hash], [], true, sampling, quiet);
    const [b] = await measureGrowth([wrongAfter], [hash], [], true, sampling, quiet);
    expect(a).toMatchObject({ status: 'failed', error: 'the configuration exposes no memory to grow' });
    expect(b).toMatchObject({ status: 'failed', error: 'the first call after the growth returned a wrong checksum' });
  });

  it('tables each configuration grown against V8 and against itself ungrown, with geomeans and failures shown', () => {
    const md = growthMarkdown([
      { kernel: 'a', engine: 'native', status: 'ok', medianMs: 2, vsV8: 1.5, vsUngrown: 1 },
      { kernel: 'b', engine: 'native', status: 'ok', medianMs: 2, vsV8: 6, vsUngrown: 1.21 },
      { kernel: 'a', engine: 'native-debug@control', status: 'failed', error: 'boom' },
    ]);
    expect(md).toContain('| kernel | native grown | native-debug@control grown |');
    expect(md).toContain('| a | 1.50x (1.00x of ungrown) | FAILED: boom |');
    expect(md).toContain('| b | 6.00x (1.21x of ungrown) |  |');
    expect(md).toContain('| **geomean** | **3.00x** (1.10x of ungrown) | **n/a** (n/a of ungrown) |');
  });
});
