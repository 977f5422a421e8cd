/**
 * The report as markdown: latest.md (every table) and the README's section
 * (the tables users read before choosing a level), plus the README splice
 * between `<!-- bench:start -->` and `<!-- bench:end -->`.
 * Invariant: every configuration in the report has a row or column in every
 * table it belongs to; a failure is written as FAILED and listed with its
 * reason under the table, never left out.
 */
import { TOLERANCE, type Range } from './levels.js';
import type { MemoryRow } from './memory.js';
import type { EngineSummary, LevelComparison, Measurement, Report } from './report.js';

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const cut = (s: string, n = 90): string => (s.length > n ? s.slice(0, n - 1) + '…' : s);
export const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
export const fmtRatio = (x: number): string => (x >= 10 ? x.toFixed(1) : x.toFixed(2)) + 'x';
const fmtRange = (r: [number, number] | undefined, f: (x: number) => string): string => (r ? `[${f(r[0])}–${f(r[1])}]` : '');
const fmtPct = (p: number): string => `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
const fmtKB = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / 1024).toFixed(1)} KB`);
const fmtSeedRange = (r: Range | undefined): string => (r === undefined ? 'no estimate' : r.low === r.high ? `${r.low}%` : `${r.low}–${r.high}%`);

/** "date · cpu (cores) · platform · Node (V8)": where and when the figures come from. */
export function machineLine(report: Report): string {
  const m = report.machine;
  return `${report.date.slice(0, 16).replace('T', ' ')} UTC · ${m.cpu} (${m.cores} cores) · ${m.platform} · Node ${m.node} (V8 ${m.v8}) · ${report.mode} run`;
}

function kernelsOf(report: Report): string[] {
  return [...new Set(report.results.map((r) => r.kernel))];
}

function ratioCell(r: Measurement | undefined): string {
  if (!r) return 'not run';
  if (r.status === 'failed') return 'FAILED';
  if (r.engine === 'v8') return '1.00x';
  if (r.ratio === undefined) return 'no V8 baseline';
  return `${fmtRatio(r.ratio)} ${fmtRange([r.ratioMin!, r.ratioMax!], (x) => x.toFixed(2))}`;
}

function timeCell(r: Measurement | undefined): string {
  if (!r) return 'not run';
  if (r.status === 'failed') return 'FAILED';
  const t = r.timing!;
  return `${fmtMs(t.medianMs)} ms [${fmtMs(t.minMs)}–${fmtMs(t.maxMs)}]`;
}

/** One table with a row per kernel and a column per configuration. */
function kernelTable(report: Report, cell: (r: Measurement | undefined) => string, geo: boolean): string[] {
  const names = report.engines.map((e) => e.engine);
  const kernels = kernelsOf(report);
  const lines = [`| kernel | n | ${names.join(' | ')} |`, `|---|---:|${names.map(() => '---:').join('|')}|`];
  for (const k of kernels) {
    const row = report.results.filter((r) => r.kernel === k);
    lines.push(`| ${k} | ${row[0]?.n ?? ''} | ${names.map((e) => cell(row.find((r) => r.engine === e))).join(' | ')} |`);
  }
  if (geo) lines.push(`| **geomean** | | ${report.engines.map((e) => geomeanCell(e, kernels.length)).join(' | ')} |`);
  return lines;
}

function geomeanCell(e: EngineSummary, kernels: number): string {
  if (e.engine === 'v8') return '**1.00x**';
  if (e.geomeanRatio === undefined) return e.failed > 0 ? '**FAILED**' : 'n/a';
  const partial = e.kernelsInGeomean < kernels ? ` (${e.kernelsInGeomean} of ${kernels})` : '';
  return `**${fmtRatio(e.geomeanRatio)}**${partial}`;
}

/** Each failing configuration once, with how many kernels failed and the (first) reason. */
function failureList(report: Report): string[] {
  const failing = report.engines.filter((e) => e.failed > 0);
  if (failing.length === 0) return [];
  return ['', 'FAILED configurations:', '', ...failing.map((e) => `- \`${e.engine}\` (${e.failed} of ${kernelsOf(report).length} kernels): ${esc(cut(e.firstError ?? 'unknown', 160))}`)];
}

function summaryTable(report: Report): string[] {
  const kernels = kernelsOf(report).length;
  const lines = ['| configuration | what | runs as | geomean vs V8 | per-kernel range | compile ms/KB | JS bytes/KB of code |', '|---|---|---|---:|---:|---:|---:|'];
  for (const e of report.engines) {
    const runsAs = e.info ? Object.entries(e.info).map(([k, v]) => `${k} ${v}`).join(', ') : '';
    const geo = e.engine === 'v8' ? '1.00x' : e.geomeanRatio === undefined ? (e.failed > 0 ? `FAILED (${e.failed} of ${kernels})` : 'n/a')
      : fmtRatio(e.geomeanRatio) + (e.failed > 0 ? ` (${e.failed} FAILED)` : '');
    const range = e.engine === 'v8' ? '' : fmtRange(e.ratioRange, fmtRatio);
    const perKB = e.compileMsPerKB === undefined ? 'n/a' : e.compileMsPerKB.toFixed(2);
    const js = e.jsBytesPerKB === undefined ? 'n/a' : e.jsBytesPerKB === 0 ? '0 (interpreted)' : Math.round(e.jsBytesPerKB).toLocaleString('en-US');
    lines.push(`| ${e.engine} | ${esc(e.description)} | ${runsAs} | ${geo} | ${range} | ${perKB} | ${js} |`);
  }
  return lines;
}

function seedTable(levels: readonly LevelComparison[]): string[] {
  const lines = [
    '| level | seed: run time | measured vs native: geomean [per-kernel range] | verdict | seed: memory over native | measured heap/instance over native | loaded code over native | verdict |',
    '|---|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const l of levels) {
    const runtime = l.runtimePercent === undefined ? `FAILED: ${esc(cut(l.error ?? 'not measured', 70))}`
      : `${fmtPct(l.runtimePercent)} ${fmtRange(l.runtimeRange, fmtPct)} (${l.kernels} kernels)`;
    const seedMem = l.seedMemoryKB === undefined ? 'no estimate' : `${l.seedMemoryKB} KB`;
    const heap = l.heapOverNativeKB === undefined ? 'not measured' : `${l.heapOverNativeKB >= 0 ? '+' : ''}${l.heapOverNativeKB.toFixed(1)} KB`;
    const code = l.codeOverNativeKB === undefined ? 'n/a' : `${l.codeOverNativeKB >= 0 ? '+' : ''}${l.codeOverNativeKB.toFixed(1)} KB`;
    lines.push(`| ${l.level} | ${fmtSeedRange(l.seedRuntimePercent)} | ${runtime} | ${l.runtimeVerdict} | ${seedMem} | ${heap} | ${code} | ${l.memoryVerdict} |`);
  }
  lines.push('', `Verdicts: "within" means inside the seed's range widened by ±${TOLERANCE.runtimePoints} percentage points (run time) or ±${TOLERANCE.memoryFraction * 100}% (memory),`,
    'the noise of a shared machine. The seed\'s memory steps (8 KB, +16 KB, +32 KB) are read as cumulative: inspection 24 KB, control 56 KB over native.',
    'Run time: median per kernel at the level / native\'s median in the same run. Memory: heap one instance retains after a call, minus native\'s.');
  return lines;
}

function memoryTable(rows: readonly MemoryRow[]): string[] {
  const lines = ['| configuration | heap/instance after instantiation: median [min–max] | after one call | first instance (one-time costs incl.) | external (linear memory) | loaded code (entries) |', '|---|---:|---:|---:|---:|---:|'];
  for (const m of rows) {
    const loaded = m.loadedCodeBytes === undefined ? 'none of ours' : `${fmtKB(m.loadedCodeBytes)} (${m.loadedEntries!.map((e) => `\`${e}\``).join(' + ')}, ${m.loadedFiles} files)`;
    if (m.status === 'failed') {
      lines.push(`| ${m.config} | FAILED: ${esc(cut(m.error ?? 'unknown', 80))} | | | | ${loaded} |`);
      continue;
    }
    lines.push(`| ${m.config}${m.info?.['level'] ? ` (level ${m.info['level']})` : ''} | ${fmtKB(m.heapPerInstance)} ${fmtRange(m.heapRange, (b) => (b / 1024).toFixed(1))} | ${fmtKB(m.heapAfterCall)} | ${fmtKB(m.firstHeap)} | ${fmtKB(m.external)} | ${loaded} |`);
  }
  lines.push('', 'Each configuration is probed in its own `node --expose-gc` process: V8 heap retained per instance (several instances held at once, after full GCs),',
    'median over kernels. Loaded code: bytes of dist/ JavaScript reachable through imports from the package entry points the configuration uses.');
  return lines;
}

function entriesTable(entries: NonNullable<Report['entries']>): string[] {
  const lines = ['| package entry | file | loaded code | packages |', '|---|---|---:|---|'];
  for (const e of entries) {
    const missing = e.missing.length > 0 ? ` (missing: ${esc(cut(e.missing.join(', '), 60))})` : '';
    lines.push(`| \`wasmflip${e.entry === '.' ? '' : e.entry.slice(1)}\` | ${e.file} | ${fmtKB(e.bytes)}${missing} | ${e.packages.join(', ')} |`);
  }
  return lines;
}

/** latest.md: every table. */
export function toMarkdown(report: Report): string {
  const lines: string[] = [`# wasmflip benchmarks (${report.mode} run)`, '', machineLine(report), ''];
  lines.push('## Summary', '', ...summaryTable(report), ...failureList(report));
  lines.push('', '## Ratio to V8 per kernel', '', 'Median time / V8\'s median in the same run, [fastest–slowest sample / V8\'s median].', '', ...kernelTable(report, ratioCell, true));
  lines.push('', '## Time per call', '', 'Median, [min–max] over samples.', '', ...kernelTable(report, timeCell, false));
  if (report.levels && report.levels.length > 0) lines.push('', '## Debug levels vs the seed\'s estimates', '', ...seedTable(report.levels));
  if (report.memory && report.memory.length > 0) lines.push('', '## Memory per configuration and preset', '', ...memoryTable(report.memory));
  if (report.entries && report.entries.length > 0) lines.push('', '## Loaded code per package entry', '', ...entriesTable(report.entries));
  lines.push('', ...COMPILE_NOTE);
  for (const [name, value] of Object.entries(report.extra)) {
    if (typeof value === 'string') lines.push('', `## ${name}`, '', value);
  }
  return lines.join('\n') + '\n';
}

/** What the summary's compile ms/KB column means, under it in both documents. */
const COMPILE_NOTE = [
  'Compile ms/KB: load time over the kernels\' Code section size. V8 compiles lazily, so its figure is only the eager part.',
  'wasm2js runs as a tool; its start-up (an empty module) is subtracted, but on small kernels its per-module fixed cost dominates. So does wasmflip\'s: the kernels hold 0.2 to 1.9 KB of code each, each is loaded once per configuration, and most of its few ms is the compiler\'s cold JIT and making the instance (compiled again and again in one process, the ten take 0.43 ms/KB in all); the large module below gives the rate per KB of code.',
];

/** The README's section: what users read before choosing a level. */
export function readmeSection(report: Report): string {
  const lines: string[] = [
    `Last \`npm run bench\`: ${machineLine(report)}. Generated by \`node dist/bench/run.js --readme\` from`,
    '`bench/results/latest.json`; full tables in `bench/results/latest.md`, chart in `bench/results/latest.svg`.',
    '', ...summaryTable(report), ...failureList(report), '', ...COMPILE_NOTE,
    '', 'Ratio to V8\'s own WebAssembly in the same run (1.00x), [fastest–slowest sample]:', '', ...kernelTable(report, ratioCell, true),
  ];
  if (report.levels && report.levels.length > 0) lines.push('', 'Debug levels: measured cost vs the seed\'s estimates', '', ...seedTable(report.levels));
  if (report.memory && report.memory.length > 0) lines.push('', 'Memory per configuration and preset', '', ...memoryTable(report.memory));
  // Speed after memory grows; compile speed on the large module, and the worker pool's speed-up there (full runs only).
  for (const [name, title] of [['memory growth', 'After memory grows'], ['large module', 'Compiling a large module'], ['parallel compile', 'Parallel compile']] as const) {
    const v = report.extra[name];
    if (typeof v === 'string') lines.push('', title, '', v.trimEnd());
  }
  return lines.join('\n');
}

/** Replaces the text between the README markers; throws if they are missing or out of order. */
export function spliceReadme(readme: string, section: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} section`);
  return readme.slice(0, start + README_START.length) + '\n' + section + '\n' + readme.slice(end);
}
