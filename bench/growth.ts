/**
 * Speed after memory grows: a C, C++, Rust or Zig program's heap grows
 * memory 0 (malloc, a Vec's reallocation) often after its code got hot, and
 * compiled code must not stay slower for the rest of the run. Each kernel in
 * native and native-debug@control: two checked calls warm the code, memory
 * 0 grows by one page, and the calls that follow are timed as the main
 * table's are. Ratios are to V8's median and to the same configuration's
 * ungrown median from the main table, in the same run.
 * Invariant: every call's result is checked (measure.ts), before and after
 * the growth; a configuration without an exported memory is a failed row.
 */
import type { Engine } from './engines/index.js';
import { checksumOf, kernelBytes, runSize, type Kernel } from './kernels.js';
import { measure, type MeasureOptions } from './measure.js';
import { geomean, type Measurement } from './report.js';

/** The configurations measured grown (those of them that ran in the main table). */
export const GROWN_CONFIGS: readonly string[] = ['native', 'native-debug@control'];

export interface GrowthRow {
  kernel: string;
  engine: string;
  status: 'ok' | 'failed';
  error?: string;
  /** Median ms per call after the growth. */
  medianMs?: number;
  /** medianMs / V8's median in the main table. */
  vsV8?: number;
  /** medianMs / this configuration's ungrown median in the main table. */
  vsUngrown?: number;
}

const WARM_CALLS = 2;

async function measureGrown(engine: Engine, kernel: Kernel, n: number, expected: string, sampling: MeasureOptions): Promise<{ medianMs: number } | { error: string }> {
  const loaded = await engine.load(kernelBytes(kernel), kernel);
  try {
    const check = (r: unknown): boolean => checksumOf(r as number | bigint, kernel.result) === expected;
    if (loaded.memory === undefined) return { error: 'the configuration exposes no memory to grow' };
    for (let i = 0; i < WARM_CALLS; i++) if (!check(loaded.run(n))) return { error: 'a call before the growth returned a wrong checksum' };
    if (loaded.memory.grow(1) < 0) return { error: 'memory.grow(1) failed' };
    if (!check(loaded.run(n))) return { error: 'the first call after the growth returned a wrong checksum' };
    const timing = measure(`${engine.name}+grown/${kernel.name}`, () => loaded.run(n), check, sampling);
    if (timing.wrongResults > 0) return { error: `${timing.wrongResults} of ${timing.calls} calls returned a wrong checksum` };
    return { medianMs: timing.medianMs };
  } finally {
    loaded.dispose?.();
  }
}

/** Measures every kernel grown in each of `engines` that GROWN_CONFIGS names; `results`: the main table's. */
export async function measureGrowth(engines: readonly Engine[], kernels: readonly Kernel[], results: readonly Measurement[], quick: boolean, sampling: MeasureOptions, log: (line: string) => void): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  const median = (kernel: string, engine: string): number | undefined =>
    results.find((r) => r.kernel === kernel && r.engine === engine && r.status === 'ok')?.timing?.medianMs;
  for (const kernel of kernels) {
    for (const engine of engines.filter((e) => GROWN_CONFIGS.includes(e.name))) {
      const { n, expected } = runSize(kernel, quick);
      let row: GrowthRow;
      try {
        const r = await measureGrown(engine, kernel, n, expected, sampling);
        if ('error' in r) row = { kernel: kernel.name, engine: engine.name, status: 'failed', error: r.error };
        else {
          const v8 = median(kernel.name, 'v8'), ungrown = median(kernel.name, engine.name);
          row = { kernel: kernel.name, engine: engine.name, status: 'ok', medianMs: r.medianMs };
          if (v8 !== undefined) row.vsV8 = r.medianMs / v8;
          if (ungrown !== undefined) row.vsUngrown = r.medianMs / ungrown;
        }
      } catch (error) {
        row = { kernel: kernel.name, engine: engine.name, status: 'failed', error: error instanceof Error ? error.message : String(error) };
      }
      rows.push(row);
      log(`grown ${kernel.name} ${engine.name}: ${row.status === 'ok' ? `${row.medianMs!.toFixed(2)} ms, ${row.vsV8?.toFixed(2) ?? '?'}x of V8, ${row.vsUngrown?.toFixed(2) ?? '?'}x of ungrown` : `FAILED: ${row.error}`}`);
    }
  }
  return rows;
}

const ratio = (x: number | undefined): string => (x === undefined ? 'n/a' : `${x.toFixed(2)}x`);

/** The section's table: per kernel, each configuration grown against V8 and against itself ungrown; geomeans last. */
export function growthMarkdown(rows: readonly GrowthRow[]): string {
  const engines = [...new Set(rows.map((r) => r.engine))];
  const kernels = [...new Set(rows.map((r) => r.kernel))];
  const cell = (k: string, e: string): string => {
    const r = rows.find((x) => x.kernel === k && x.engine === e);
    return r === undefined ? '' : r.status === 'failed' ? `FAILED: ${r.error}` : `${ratio(r.vsV8)} (${ratio(r.vsUngrown)} of ungrown)`;
  };
  const mean = (e: string, key: 'vsV8' | 'vsUngrown'): number | undefined =>
    geomean(rows.filter((r) => r.engine === e && r.status === 'ok' && r[key] !== undefined).map((r) => r[key]!));
  return [
    `Memory 0 grown by one page after ${WARM_CALLS} warm calls, then timed: ratio to V8's WebAssembly (and to the same configuration ungrown, from the table above).`,
    '',
    `| kernel | ${engines.map((e) => `${e} grown`).join(' | ')} |`,
    `|---|${engines.map(() => '---:').join('|')}|`,
    ...kernels.map((k) => `| ${k} | ${engines.map((e) => cell(k, e)).join(' | ')} |`),
    `| **geomean** | ${engines.map((e) => `**${ratio(mean(e, 'vsV8'))}** (${ratio(mean(e, 'vsUngrown'))} of ungrown)`).join(' | ')} |`,
  ].join('\n') + '\n';
}
