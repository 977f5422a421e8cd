/**
 * Turns measurements into the report's figures: ratios to V8 (with their
 * spread), geometric means, compile speed, generated code size, and the
 * per-level overhead next to the seed's estimates (levels.ts).
 * Invariant: a failed measurement stays in the report as FAILED with its
 * reason; a geometric mean says how many kernels it covers; nothing here
 * reads a clock or the disk, so the same input gives the same report.
 */
import { cpus, platform, release } from 'node:os';
import type { CompileInfo } from './engines/index.js';
import type { EntryCode } from './import-graph.js';
import { LEVELS, SEED_ESTIMATES, cumulativeMemoryKB, memoryVerdict, runtimeVerdict, type Level, type Range, type Verdict } from './levels.js';
import type { Timing } from './measure.js';
import type { MemoryRow } from './memory.js';

/** One kernel in one configuration. */
export interface Measurement {
  kernel: string;
  engine: string;
  n: number;
  /** Code section bytes of the module. */
  codeBytes: number;
  expected: string;
  status: 'ok' | 'failed';
  /** Why it failed: an exception's message or the wrong checksum. */
  error?: string;
  checksum?: string;
  timing?: Timing;
  /** median time / V8's median time for the same kernel, in this run. */
  ratio?: number;
  /** min and max sample / V8's median: the ratio's spread. */
  ratioMin?: number;
  ratioMax?: number;
  compile?: CompileInfo;
  info?: Record<string, string>;
}

/** Per configuration summary. */
export interface EngineSummary {
  engine: string;
  description: string;
  /** Geometric mean of ratios over the kernels that ran in both this configuration and V8. */
  geomeanRatio?: number;
  /** Lowest and highest per-kernel ratio in the geomean. */
  ratioRange?: [number, number];
  kernelsInGeomean: number;
  failed: number;
  /** The first failure's reason (a configuration that fails usually fails the same way everywhere). */
  firstError?: string;
  /** Compile milliseconds per KB of Code section, over all kernels that loaded. */
  compileMsPerKB?: number;
  /** Generated JavaScript bytes per KB of Code section (0: runs no generated code). */
  jsBytesPerKB?: number;
  /** What the runtime reported running (mode, level), from the first kernel that loaded. */
  info?: Record<string, string>;
}

/** One level's measured cost next to the seed's estimate. */
export interface LevelComparison {
  level: Level;
  config: string;
  status: 'ok' | 'failed';
  error?: string;
  seedRuntimePercent?: Range;
  /** (geomean of level/native medians − 1) × 100 over kernels where both ran. */
  runtimePercent?: number;
  runtimeRange?: [number, number];
  kernels: number;
  runtimeVerdict: Verdict;
  /** The seed's memory figure as a total over native, KB. */
  seedMemoryKB?: number;
  /** Heap per instance (after a call) over native's, KB. */
  heapOverNativeKB?: number;
  /** Loaded JavaScript over native's, KB. */
  codeOverNativeKB?: number;
  memoryVerdict: Verdict;
}

export interface Report {
  date: string;
  machine: { cpu: string; cores: number; platform: string; node: string; v8: string };
  mode: 'quick' | 'full';
  engines: EngineSummary[];
  results: Measurement[];
  levels?: LevelComparison[];
  memory?: MemoryRow[];
  /** Loaded code per package entry point. */
  entries?: Omit<EntryCode, 'files'>[];
  /** Extra sections (e.g. the large module) keyed by name. */
  extra: Record<string, unknown>;
}

export function machineInfo(): Report['machine'] {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    platform: `${platform()} ${release()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

/** Geometric mean; undefined for no values (or any non-positive one). */
export function geomean(values: readonly number[]): number | undefined {
  if (values.length === 0 || values.some((v) => !(v > 0))) return undefined;
  return Math.exp(values.reduce((s, x) => s + Math.log(x), 0) / values.length);
}

/** Lowest and highest value, or undefined for none. */
export function spread(values: readonly number[]): [number, number] | undefined {
  return values.length === 0 ? undefined : [Math.min(...values), Math.max(...values)];
}

/** Fills in ratios against V8 (mutates `results`) and the per-configuration summaries. */
export function summarise(results: Measurement[], engines: readonly { name: string; description: string }[]): EngineSummary[] {
  const v8Median = new Map<string, number>();
  for (const r of results) {
    if (r.engine === 'v8' && r.status === 'ok' && r.timing) v8Median.set(r.kernel, r.timing.medianMs);
  }
  for (const r of results) {
    const base = v8Median.get(r.kernel);
    if (r.status === 'ok' && r.timing && base !== undefined && base > 0) {
      r.ratio = r.timing.medianMs / base;
      r.ratioMin = r.timing.minMs / base;
      r.ratioMax = r.timing.maxMs / base;
    }
  }
  return engines.map(({ name, description }) => {
    const mine = results.filter((r) => r.engine === name);
    const ratios = mine.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio]));
    const compiled = mine.filter((r) => r.compile !== undefined);
    const compileMs = compiled.reduce((sum, r) => sum + r.compile!.ms, 0);
    const codeKB = compiled.reduce((sum, r) => sum + r.codeBytes, 0) / 1024;
    const sized = compiled.filter((r) => r.compile!.detail?.['jsBytes'] !== undefined);
    const jsBytes = sized.reduce((sum, r) => sum + r.compile!.detail!['jsBytes']!, 0);
    const sizedKB = sized.reduce((sum, r) => sum + r.codeBytes, 0) / 1024;
    const failures = mine.filter((r) => r.status === 'failed');
    const summary: EngineSummary = { engine: name, description, kernelsInGeomean: ratios.length, failed: failures.length };
    if (failures[0]?.error !== undefined) summary.firstError = failures[0].error;
    const g = geomean(ratios);
    if (g !== undefined) summary.geomeanRatio = g;
    const range = spread(ratios);
    if (range) summary.ratioRange = range;
    if (codeKB > 0) summary.compileMsPerKB = compileMs / codeKB;
    if (sizedKB > 0) summary.jsBytesPerKB = jsBytes / sizedKB;
    const info = mine.find((r) => r.info)?.info;
    if (info) summary.info = info;
    return summary;
  });
}

/** Each level's overhead vs native (same run) and memory vs native, next to the seed's estimate. */
export function compareLevels(results: readonly Measurement[], engines: readonly EngineSummary[], memory: readonly MemoryRow[] = []): LevelComparison[] {
  const nativeMedian = new Map<string, number>();
  for (const r of results) if (r.engine === 'native' && r.status === 'ok' && r.timing) nativeMedian.set(r.kernel, r.timing.medianMs);
  const nativeMemory = memory.find((m) => m.config === 'native');
  return LEVELS.flatMap((level): LevelComparison[] => {
    const config = `native-debug@${level}`;
    const summary = engines.find((e) => e.engine === config);
    const mem = memory.find((m) => m.config === config);
    if (summary === undefined && mem === undefined) return [];
    const ratios = results.flatMap((r) => {
      const base = nativeMedian.get(r.kernel);
      return r.engine === config && r.status === 'ok' && r.timing && base ? [r.timing.medianMs / base] : [];
    });
    const g = geomean(ratios);
    const range = spread(ratios);
    const seed = SEED_ESTIMATES.find((e) => e.level === level);
    const row: LevelComparison = {
      level, config,
      status: ratios.length > 0 && (summary?.failed ?? 0) === 0 ? 'ok' : 'failed',
      kernels: ratios.length,
      runtimeVerdict: runtimeVerdict(level, g === undefined ? undefined : (g - 1) * 100),
      memoryVerdict: 'not measured',
    };
    const error = summary?.firstError ?? (ratios.length === 0 && nativeMedian.size === 0 ? 'native did not run' : undefined);
    if (row.status === 'failed') row.error = error ?? 'no kernel ran';
    if (seed?.runtimePercent) row.seedRuntimePercent = seed.runtimePercent;
    if (g !== undefined) row.runtimePercent = (g - 1) * 100;
    if (range) row.runtimeRange = [(range[0] - 1) * 100, (range[1] - 1) * 100];
    const seedKB = cumulativeMemoryKB(level);
    if (seedKB !== undefined) row.seedMemoryKB = seedKB;
    if (mem?.status === 'ok' && nativeMemory?.status === 'ok' && mem.heapAfterCall !== undefined && nativeMemory.heapAfterCall !== undefined) {
      row.heapOverNativeKB = (mem.heapAfterCall - nativeMemory.heapAfterCall) / 1024;
    }
    if (mem?.loadedCodeBytes !== undefined && nativeMemory?.loadedCodeBytes !== undefined) {
      row.codeOverNativeKB = (mem.loadedCodeBytes - nativeMemory.loadedCodeBytes) / 1024;
    }
    row.memoryVerdict = memoryVerdict(level, row.heapOverNativeKB);
    return [row];
  });
}
