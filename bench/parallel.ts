/**
 * The parallel compile speed-up on the large generated module (issue 3):
 * decode + validate + compile of bench/large/large.wasm inline (0 workers)
 * and on the piscina pool (N workers; this thread emits chunks too),
 * alternated, `repeats` times each, medians and the ratio. Output is checked
 * byte-identical. `node dist/bench/parallel.js [--workers N] [--repeats R]`.
 */
import { fileURLToPath } from 'node:url';
import { decode, validate } from '../interpreter/index.js';
import { compileParallel, warmPool, type CompileOptions } from '../compiler/index.js';
import { closePool } from '../compiler/parallel.js';
import { loadLargeModule } from './large.js';

export interface ParallelRow { readonly workers: number; readonly medianMs: number; readonly minMs: number; readonly maxMs: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runParallelBench(workers: number, repeats: number): Promise<ParallelRow[]> {
  const { bytes } = loadLargeModule();
  const options: CompileOptions = { sourceMap: false };
  const times = new Map<number, number[]>([[0, []], [workers, []]]);
  let reference: string | undefined;
  for (let r = 0; r < repeats; r++) {
    for (const w of [0, workers]) {
      const start = performance.now();
      warmPool(bytes.length, options, w); // the pool's threads start while this thread decodes
      const module = decode(bytes);
      validate(module);
      const { js } = await compileParallel(bytes, module, options, w);
      times.get(w)!.push(performance.now() - start);
      reference ??= js;
      if (js !== reference) throw new Error(`the compile on ${w} workers differs from the inline one`);
    }
  }
  await closePool();
  return [...times].map(([w, ms]) => ({ workers: w, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, d: number): number => { const i = process.argv.indexOf(name); return i < 0 ? d : Number(process.argv[i + 1]); };
  const rows = await runParallelBench(arg('--workers', 1), arg('--repeats', 7));
  process.stdout.write('| workers | decode+validate+compile median | [min–max] |\n|---:|---:|---:|\n');
  for (const r of rows) process.stdout.write(`| ${r.workers} | ${r.medianMs.toFixed(0)} ms | [${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)}] |\n`);
  process.stdout.write(`speed-up with ${rows[1]!.workers} worker(s): ${(rows[0]!.medianMs / rows[1]!.medianMs).toFixed(2)}x\n`);
}
