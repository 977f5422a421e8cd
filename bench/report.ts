/**
 * Turns measurements into the report: ratios to V8, geometric means, compile
 * speed, and the markdown table printed to stdout and saved as latest.md.
 * Invariant: a failed measurement stays in the report as FAILED with its
 * reason, and a geometric mean says how many kernels it covers.
 */
import { cpus, platform, release } from 'node:os';
import type { CompileInfo } from './engines/index.js';
import type { Timing } from './measure.js';

/** One kernel in one engine. */
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
  compile?: CompileInfo;
}

/** Per engine summary. */
export interface EngineSummary {
  engine: string;
  description: string;
  /** Geometric mean of ratios over the kernels that ran in both this engine and V8. */
  geomeanRatio?: number;
  kernelsInGeomean: number;
  failed: number;
  /** Compile milliseconds per KB of Code section, over all kernels that loaded. */
  compileMsPerKB?: number;
}

export interface Report {
  date: string;
  machine: { cpu: string; cores: number; platform: string; node: string; v8: string };
  mode: 'quick' | 'full';
  engines: EngineSummary[];
  results: Measurement[];
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

/** Fills in ratios against V8 (mutates `results`) and the per-engine summaries. */
export function summarise(results: Measurement[], engines: { name: string; description: string }[]): EngineSummary[] {
  const v8Median = new Map<string, number>();
  for (const r of results) {
    if (r.engine === 'v8' && r.status === 'ok' && r.timing) v8Median.set(r.kernel, r.timing.medianMs);
  }
  for (const r of results) {
    const base = v8Median.get(r.kernel);
    if (r.status === 'ok' && r.timing && base !== undefined && base > 0) r.ratio = r.timing.medianMs / base;
  }
  return engines.map(({ name, description }) => {
    const mine = results.filter((r) => r.engine === name);
    const ratios = mine.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio]));
    const compiled = mine.filter((r) => r.compile !== undefined);
    const compileMs = compiled.reduce((sum, r) => sum + r.compile!.ms, 0);
    const codeKB = compiled.reduce((sum, r) => sum + r.codeBytes, 0) / 1024;
    const summary: EngineSummary = {
      engine: name,
      description,
      kernelsInGeomean: ratios.length,
      failed: mine.filter((r) => r.status === 'failed').length,
    };
    if (ratios.length > 0) summary.geomeanRatio = Math.exp(ratios.reduce((s, x) => s + Math.log(x), 0) / ratios.length);
    if (codeKB > 0) summary.compileMsPerKB = compileMs / codeKB;
    return summary;
  });
}

const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtRatio = (x: number): string => (x >= 10 ? x.toFixed(1) : x.toFixed(2)) + 'x';

function cell(r: Measurement | undefined): string {
  if (!r) return '—';
  if (r.status === 'failed') return `FAILED: ${(r.error ?? 'unknown').replace(/\|/g, '\\|').slice(0, 80)}`;
  const t = r.timing!;
  const ratio = r.engine === 'v8' ? '' : ` (${r.ratio === undefined ? 'no V8 baseline' : fmtRatio(r.ratio)})`;
  return `${fmtMs(t.medianMs)} ms [${fmtMs(t.minMs)}–${fmtMs(t.maxMs)}]${ratio}`;
}

/** The report as markdown: one row per kernel, one column per engine, then summaries. */
export function toMarkdown(report: Report): string {
  const names = report.engines.map((e) => e.engine);
  const kernels = [...new Set(report.results.map((r) => r.kernel))];
  const lines: string[] = [];
  lines.push(`# wasmflip benchmarks (${report.mode} run)`, '');
  lines.push(`${report.date} · ${report.machine.cpu} (${report.machine.cores} cores) · ${report.machine.platform} · Node ${report.machine.node} (V8 ${report.machine.v8})`, '');
  lines.push('Median time per call, [min–max] over samples, (ratio to V8\'s WebAssembly in this run).', '');
  lines.push(`| kernel | n | ${names.join(' | ')} |`);
  lines.push(`|---|---:|${names.map(() => '---:').join('|')}|`);
  for (const k of kernels) {
    const row = report.results.filter((r) => r.kernel === k);
    lines.push(`| ${k} | ${row[0]?.n ?? ''} | ${names.map((e) => cell(row.find((r) => r.engine === e))).join(' | ')} |`);
  }
  const geo = report.engines.map((e) => {
    if (e.engine === 'v8') return '1.00x';
    if (e.geomeanRatio === undefined) return 'n/a';
    const partial = e.kernelsInGeomean < kernels.length ? ` (${e.kernelsInGeomean} of ${kernels.length} kernels)` : '';
    return fmtRatio(e.geomeanRatio) + partial;
  });
  lines.push(`| **geomean** | | ${geo.join(' | ')} |`);
  lines.push('', '| engine | what | geomean vs V8 | failed | compile ms/KB of code |', '|---|---|---:|---:|---:|');
  for (const e of report.engines) {
    const geomean = e.engine === 'v8' ? '1.00x' : e.geomeanRatio === undefined ? 'n/a' : fmtRatio(e.geomeanRatio);
    const perKB = e.compileMsPerKB === undefined ? 'n/a' : e.compileMsPerKB.toFixed(2);
    lines.push(`| ${e.engine} | ${e.description} | ${geomean} | ${e.failed} | ${perKB} |`);
  }
  lines.push('', 'Compile ms/KB: total load time over the kernels\' total Code section size. V8 compiles lazily, so its figure',
    'is only the eager part. wasm2js runs as a tool; its tool start-up (an empty module) is subtracted, but on',
    'kernels of a few hundred bytes its per-module fixed cost dominates: the large module below gives its per-KB rate.');
  for (const [name, value] of Object.entries(report.extra)) {
    if (typeof value === 'string') lines.push('', `## ${name}`, '', value);
  }
  return lines.join('\n') + '\n';
}
