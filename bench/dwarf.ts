/**
 * DWARF reader benchmark: index build time and memory per MB of DWARF, and
 * the time of one lookup, on the largest debug build we can make here.
 *
 * The input is generated: a C file of many functions (structs, loops,
 * blocks, a static inline helper inlined at -O2) compiled with clang 14 for
 * wasm32-wasi with -g, compile and link separately so wasm-opt never runs.
 * Without clang it falls back to the committed libc-linked fixture.
 * Standalone: `node --expose-gc dist/bench/dwarf.js [functions] [--save F.wasm] [--wasm F.wasm]`
 * after `npm run build` (`--save` keeps the generated module, `--wasm` reuses
 * one, so two builds of the reader can be timed on the same input).
 *
 * The lookup time is the median of several rounds of 20000 lookups at a
 * fixed pseudo-random sequence of offsets (the machine may be shared and
 * noisy); line and function lookups are also timed on their own.
 */

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decode } from '../interpreter/index.js';

const run = promisify(execFile);
import { dwarfFromModule, type Dwarf } from '../debug/dwarf/index.js';

export interface DwarfBenchResult {
  readonly input: string;
  readonly dwarfBytes: number;
  readonly units: number;
  readonly functions: number;
  readonly lineRows: number;
  readonly indexMs: number;
  readonly indexMsPerMB: number;
  readonly heapMBPerMB: number;
  readonly lookupNs: number;
  readonly lineLookupNs: number;
  readonly functionLookupNs: number;
  /** The first lookup of each kind, which builds its index (part of indexMs). */
  readonly firstLookupMs: number;
}

/**
 * One C file of `n` functions (file `part` of several); each function has a
 * struct parameter, nested loops, a block and inlined calls. Each file has
 * its own small entry so no giant function makes clang -O2 crawl.
 */
export function generateC(n: number, part = 0): string {
  const out = ['typedef struct { int x, y; double w[4]; } item;', 'static inline int mix(int a, int b) { return a * 31 + b; }'];
  for (let i = 0; i < n; i++) {
    out.push(`struct s${i} { int a; unsigned b : 3; item items[${1 + (i % 5)}]; struct s${i} *next; };`);
    out.push(`__attribute__((noinline)) int p${part}_f${i}(struct s${i} *p, int k) {
  int acc = ${i};
  for (int r = 0; r < k; r++) {
    for (int c = 0; c < ${2 + (i % 3)}; c++) {
      int t = mix(r, c) + p->a;
      if (t & 1) { int odd = t * 3; acc += odd; } else { acc -= t + p->items[0].x; }
    }
  }
  { int scaled = acc * ${1 + (i % 7)}; acc = mix(scaled, p->b); }
  return p->next ? acc + p${part}_f${i}(p->next, k - 1) : acc;
}`);
  }
  out.push(`__attribute__((export_name("entry${part}"))) int entry${part}(int k) { int s = 0;`);
  for (let i = 0; i < n; i++) out.push(`  { struct s${i} v = {${i}, 1, {{0}}, 0}; s += p${part}_f${i}(&v, k); }`);
  out.push('  return s; }');
  return out.join('\n');
}

function haveClang(): boolean {
  return spawnSync('clang', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Builds the generated program (`parts` compile units) at -O2 -g; returns the .wasm bytes. */
async function buildGenerated(functions: number, parts: number): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmflip-dwarf-bench-'));
  try {
    const env = { ...process.env, PATH: (process.env.PATH ?? '').split(':').filter((p) => !p.includes('node_modules')).join(':') };
    const cc = (args: string[]) => run('clang', ['--target=wasm32-wasi', `-fdebug-prefix-map=${dir}=.`, ...args], { cwd: dir, env })
      .catch((e: { stderr?: string }) => { throw new Error(`clang failed: ${e.stderr ?? String(e)}`); });
    const objects = Array.from({ length: parts }, (_, part) => `big${part}.o`);
    // Units compile in parallel, a few at a time.
    for (let first = 0; first < parts; first += 8) {
      await Promise.all(objects.slice(first, first + 8).map((o, k) => {
        const part = first + k;
        writeFileSync(join(dir, `big${part}.c`), generateC(Math.ceil(functions / parts), part));
        return cc(['-O2', '-g', '-c', `big${part}.c`, '-o', o]);
      }));
    }
    await cc(['-mexec-model=reactor', ...objects, '-o', 'big.wasm']); // libc supplies memset; its units add DWARF 4 to the mix
    return new Uint8Array(readFileSync(join(dir, 'big.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** Builds every index once (lines, unit ranges, every unit's scopes and their answers). */
function buildIndex(dwarf: Dwarf): { functions: number; lineRows: number } {
  dwarf.buildIndex();
  const functions = dwarf.allFunctions().length;
  const lineRows = dwarf.lineTables().reduce((a, t) => a + t.rowCount, 0);
  return { functions, lineRows };
}

export interface DwarfBenchOptions {
  readonly functions?: number;
  /** A prebuilt module to measure instead of generating one. */
  readonly wasm?: string;
  /** Where to keep the generated module. */
  readonly save?: string;
}

/** Median time per call of `f` over `pcs`, in ns, over `rounds` rounds. */
function timePerLookup(pcs: readonly number[], rounds: number, f: (pc: number) => unknown): number {
  const times: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const t = performance.now();
    for (const pc of pcs) f(pc);
    times.push(((performance.now() - t) * 1e6) / pcs.length);
  }
  return times.sort((a, b) => a - b)[rounds >> 1]!;
}

export async function benchDwarf(options: DwarfBenchOptions = {}): Promise<DwarfBenchResult> {
  const functions = options.functions ?? 4000;
  const parts = Math.max(1, Math.ceil(functions / 250));
  let bytes: Uint8Array, input: string;
  if (options.wasm) {
    bytes = new Uint8Array(readFileSync(options.wasm));
    input = options.wasm;
  } else if (haveClang()) {
    bytes = await buildGenerated(functions, parts);
    if (options.save) writeFileSync(options.save, bytes);
    input = `generated C, ${functions} functions in ${parts} units, clang -O2 -g`;
  } else {
    bytes = new Uint8Array(readFileSync(fileURLToPath(new URL('../../test/fixtures/dwarf/withlibc-O2-dwarf5.wasm', import.meta.url))));
    input = 'test/fixtures/dwarf/withlibc-O2-dwarf5.wasm (clang not found)';
  }
  const module = decode(bytes);
  const dwarfBytes = module.customs.filter((c) => c.name.startsWith('.debug_')).reduce((a, c) => a + c.data.length, 0);
  const mb = dwarfBytes / (1 << 20);

  const before = heapUsed();
  const t0 = performance.now();
  const { dwarf } = dwarfFromModule(module);
  dwarf.findLineInfo(0);
  dwarf.findFunction(0);
  const firstLookupMs = performance.now() - t0;
  const { functions: fnCount, lineRows } = buildIndex(dwarf);
  const indexMs = performance.now() - t0;
  const heap = heapUsed() - before;

  // Lookups at pseudo-random offsets inside functions (a fixed sequence: runs are comparable).
  const ranges = dwarf.allFunctions().flatMap((f) => f.ranges);
  let seed = 12345;
  const pcs = Array.from({ length: 20000 }, () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const r = ranges[seed % ranges.length]!;
    return r.begin + (seed % Math.max(1, r.end - r.begin));
  });
  let found = 0;
  for (const pc of pcs) if (dwarf.findLineInfo(pc) && dwarf.findFunction(pc)) found++;
  if (found === 0) throw new Error('no lookup succeeded');
  const rounds = 7;
  const lookupNs = timePerLookup(pcs, rounds, (pc) => { dwarf.findLineInfo(pc); dwarf.findFunction(pc); });
  const lineLookupNs = timePerLookup(pcs, rounds, (pc) => dwarf.findLineInfo(pc));
  const functionLookupNs = timePerLookup(pcs, rounds, (pc) => dwarf.findFunction(pc));

  return {
    input, dwarfBytes, units: dwarf.units().length, functions: fnCount, lineRows,
    indexMs, indexMsPerMB: indexMs / mb, heapMBPerMB: heap / (1 << 20) / mb, lookupNs,
    lineLookupNs, functionLookupNs, firstLookupMs,
  };
}

export function formatDwarfBench(r: DwarfBenchResult): string {
  return [
    `DWARF reader: ${r.input}`,
    `  ${(r.dwarfBytes / (1 << 20)).toFixed(2)} MB of DWARF, ${r.units} units, ${r.functions} functions/inlines, ${r.lineRows} line rows`,
    `  index build ${r.indexMs.toFixed(1)} ms (${r.indexMsPerMB.toFixed(1)} ms/MB; first lookups ${r.firstLookupMs.toFixed(1)} ms), heap ${r.heapMBPerMB.toFixed(2)} MB per MB of DWARF`,
    `  one lookup (line + function with inlined chain): ${(r.lookupNs / 1000).toFixed(2)} µs` +
      ` (line ${(r.lineLookupNs / 1000).toFixed(2)} µs, function ${(r.functionLookupNs / 1000).toFixed(2)} µs)`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
  const wasm = flag('--wasm'), save = flag('--save');
  const n = args[0] ? Number(args[0]) : undefined;
  process.stdout.write(formatDwarfBench(await benchDwarf({
    ...(n ? { functions: n } : {}), ...(wasm ? { wasm } : {}), ...(save ? { save } : {}),
  })) + '\n');
}
