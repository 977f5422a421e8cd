/**
 * Code shapes real programs lean on, one small module each (bench/patterns/):
 * 64-bit formatting, multiply-heavy hashing, rotations, bitsets. Each runs
 * in V8's own WebAssembly, binaryen's wasm2js and wasmflip's native mode in
 * one process, with its time as a multiple of V8's. They check the shapes
 * the compiler lowers specially (compiler/emit/i64*.ts) and are not part of
 * the kernels' geomean. `node dist/bench/patterns.js [--quick]`.
 * Invariant: every engine's every result equals V8's, or the run fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aotEngine } from './engines/aot.js';
import type { Engine } from './engines/engine.js';
import { v8Engine } from './engines/v8.js';
import { wasm2jsEngine } from './engines/wasm2js.js';
import { checksumOf, type Kernel } from './kernels.js';
import { fullRun, measure, quickRun, type MeasureOptions } from './measure.js';
import { patternsDir } from './paths.js';

/** A pattern as listed in patterns.json: a kernel's fields (its file relative to bench/patterns/), no recorded checksums. */
export interface Pattern extends Pick<Kernel, 'name' | 'file' | 'export' | 'result' | 'n' | 'quickN'> {
  /** What the module does, for the table. */
  shape: string;
}

export function loadPatterns(): Pattern[] {
  const data = JSON.parse(readFileSync(join(patternsDir, 'patterns.json'), 'utf8')) as { patterns?: Pattern[] };
  if (!Array.isArray(data.patterns)) throw new Error(`${patternsDir}/patterns.json: missing "patterns" array`);
  return data.patterns;
}

export function patternBytes(p: Pattern): Uint8Array {
  return new Uint8Array(readFileSync(join(patternsDir, p.file)));
}

const ENGINES: readonly Engine[] = [v8Engine, wasm2jsEngine, aotEngine];

/** One pattern's median ms per engine (V8 first), every result checked against V8's. */
async function runPattern(p: Pattern, options: MeasureOptions, quick: boolean): Promise<number[]> {
  const n = quick ? p.quickN : p.n;
  const bytes = patternBytes(p);
  let expected: string | undefined;
  const medians: number[] = [];
  for (const engine of ENGINES) {
    const { run } = await engine.load(bytes, p);
    expected ??= checksumOf(run(n), p.result);
    const t = measure(`${p.name} × ${engine.name}`, () => run(n), (r) => checksumOf(r as number | bigint, p.result) === expected, options);
    if (t.wrongResults > 0) throw new Error(`${p.name}: ${engine.name} gave ${t.wrongResults} results other than V8's ${expected}`);
    medians.push(t.medianMs);
  }
  return medians;
}

export async function runPatterns(quick: boolean): Promise<string> {
  const lines = [
    '| pattern | shape | v8 | wasm2js | native |',
    '|---|---|---:|---:|---:|',
  ];
  for (const p of loadPatterns()) {
    const [v8, ...rest] = await runPattern(p, quick ? quickRun : fullRun, quick);
    lines.push(`| ${p.name} | ${p.shape} | ${v8!.toFixed(1)} ms | ${rest.map((ms) => `${(ms / v8!).toFixed(2)}x`).join(' | ')} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await runPatterns(process.argv.includes('--quick')));
}
