/**
 * Times one call shape with the `benchmark` package and summarises the samples.
 * Invariant: every call's result is checked, not just the first: the summary
 * says how many calls returned something other than the expected checksum.
 */
import Benchmark from 'benchmark';

/** How long to sample: full runs vs --quick. */
export interface MeasureOptions {
  /** Seconds benchmark.js keeps sampling (it still takes at least minSamples). */
  maxTime: number;
  minSamples: number;
}

export const fullRun: MeasureOptions = { maxTime: 5, minSamples: 5 };
export const quickRun: MeasureOptions = { maxTime: 0.5, minSamples: 3 };

/** Per-call timings in milliseconds. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number;
  /** Calls made by benchmark.js (a sample may average several calls). */
  calls: number;
  /** Calls whose result differed from the expected checksum. */
  wrongResults: number;
  /** Every sample (ms per call), sorted: the raw figures behind the summary. */
  sampleMs: number[];
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Samples `call` with benchmark.js. `isExpected` sees every result.
 * Throws the benchmark's error if a call threw.
 */
export function measure(
  name: string,
  call: () => unknown,
  isExpected: (result: unknown) => boolean,
  options: MeasureOptions,
): Timing {
  let calls = 0;
  let wrongResults = 0;
  // No setup/teardown: benchmark.js then calls this function by reference
  // instead of decompiling its source, so the closure stays intact.
  const bench = new Benchmark(name, () => {
    calls++;
    if (!isExpected(call())) wrongResults++;
  }, { maxTime: options.maxTime, minSamples: options.minSamples, initCount: 1, async: false, delay: 0 });
  bench.run();
  const error = (bench as unknown as { error?: unknown }).error;
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  const sorted = bench.stats.sample.map((s) => s * 1000).sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error(`${name}: benchmark.js took no samples`);
  return {
    medianMs: median(sorted),
    minMs: sorted[0]!,
    maxMs: sorted[sorted.length - 1]!,
    samples: sorted.length,
    calls,
    wrongResults,
    sampleMs: sorted.map((ms) => Number(ms.toPrecision(6))),
  };
}
