/**
 * The parallel compile speed-up on the large generated module (issue 3):
 * decode + validate + compile of bench/large/large.wasm inline (0 workers)
 * and with the piscina pool (N workers; this thread emits chunks too),
 * alternated, `repeats` times each, medians and the ratio; output checked
 * byte-identical. Two ways: `warm`, repeated compiles in one process (the
 * pool's threads and every thread's JIT warm, as in a long-running host
 * compiling module after module), and `cold`, each compile in a fresh
 * process (a command-line tool's one compile: thread start, module loading
 * and JIT warm-up included).
 * `node dist/bench/parallel.js [--workers N] [--repeats R] [--json]`;
 * `measureParallel` runs that in a fresh process (the full bench's own heap,
 * full of every other measurement, slowed both sides' collections unevenly).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decode, validate } from '../interpreter/index.js';
import { compileParallel, warmPool, type CompileOptions } from '../compiler/index.js';
import { closePool } from '../compiler/parallel.js';
import { loadLargeModule } from './large.js';

export interface ParallelRow { readonly how: 'warm' | 'cold'; readonly workers: number; readonly medianMs: number; readonly minMs: number; readonly maxMs: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const OPTIONS: CompileOptions = { sourceMap: false };

/** One decode + validate + compile on `workers` workers: its time and text. */
async function compileOnce(bytes: Uint8Array, workers: number): Promise<{ ms: number; js: string }> {
  const start = performance.now();
  warmPool(bytes, OPTIONS, workers); // the pool's threads start while this thread decodes
  const module = decode(bytes);
  validate(module);
  const { js } = await compileParallel(bytes, module, OPTIONS, workers);
  return { ms: performance.now() - start, js };
}

function rows(how: ParallelRow['how'], times: Map<number, number[]>): ParallelRow[] {
  return [...times].map(([w, ms]) => ({ how, workers: w, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) }));
}

export async function runParallelBench(workers: number, repeats: number): Promise<ParallelRow[]> {
  const { bytes } = loadLargeModule();
  const warm = new Map<number, number[]>([[0, []], [workers, []]]);
  let reference: string | undefined;
  for (let r = 0; r < repeats; r++) {
    for (const w of [0, workers]) {
      const { ms, js } = await compileOnce(bytes, w);
      warm.get(w)!.push(ms);
      reference ??= js;
      if (js !== reference) throw new Error(`the compile on ${w} workers differs from the inline one`);
    }
  }
  await closePool();
  const cold = new Map<number, number[]>([[0, []], [workers, []]]);
  for (let r = 0; r < repeats; r++) {
    for (const w of [0, workers]) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one-shot', String(w)], { encoding: 'utf8' });
      cold.get(w)!.push(Number(out.trim()));
    }
  }
  return [...rows('warm', warm), ...rows('cold', cold)];
}

/** The bench in a fresh Node process: its rows. */
export function measureParallel(workers: number, repeats: number): ParallelRow[] {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--workers', String(workers), '--repeats', String(repeats), '--json'], { encoding: 'utf8' });
  return JSON.parse(out) as ParallelRow[];
}

export function parallelMarkdown(result: readonly ParallelRow[]): string {
  const lines = [
    'Decode + validate + compile of the large module, inline (0 workers) and with the pool; warm: repeated in one process; cold: one compile per fresh process.',
    '',
    '| how | workers | median | [min–max] | speed-up |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of result) {
    const inline = result.find((x) => x.how === r.how && x.workers === 0)!;
    lines.push(`| ${r.how} | ${r.workers} | ${r.medianMs.toFixed(0)} ms | [${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)}] | ${(inline.medianMs / r.medianMs).toFixed(2)}x |`);
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, d: number): number => { const i = process.argv.indexOf(name); return i < 0 ? d : Number(process.argv[i + 1]); };
  if (process.argv.includes('--one-shot')) {
    const { ms } = await compileOnce(loadLargeModule().bytes, arg('--one-shot', 0));
    await closePool();
    process.stdout.write(`${ms}\n`);
  } else {
    const rows = await runParallelBench(arg('--workers', 1), arg('--repeats', 7));
    process.stdout.write(process.argv.includes('--json') ? JSON.stringify(rows) + '\n' : parallelMarkdown(rows));
  }
}
