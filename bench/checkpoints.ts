/**
 * The cost of native-debug's checkpoints (issue 6): each kernel of
 * bench/kernels/kernels.json compiled three ways (native; `checkpoints: true`,
 * the native-debug level, with every flag clear; `checkpoints: 'traps'`, the
 * inspection level), in one process, run interleaved (native, all, traps,
 * native, …) after a warm-up, median of the samples per variant. Prints per
 * kernel the medians and the ratios to native, and the geomean of the ratios,
 * then the size of each kernel's frame maps (JSON bytes per checkpoint and
 * per KB of code). Issue 6's bar: native-debug with no breakpoint at most
 * 1.05x native (geomean).
 * `--debug-build`: the kernels built `-O0 -g` (NAME-O0g.wasm), what users
 * debug; their DWARF lets native-debug zero dead locals as the runtime does
 * (runtime/api/dwarf-locals.ts), and a fourth variant, `traps-keep`, keeps
 * every local, to show what that zeroing is worth.
 *
 *   node dist/bench/checkpoints.js [--quick] [--debug-build] [--only K] [--samples N]
 *
 * Invariant: every run's result is checked against the kernel's recorded
 * checksum, so a variant that computes something else fails loudly instead
 * of looking fast. Code is loaded the way runtime/ loads it (compile,
 * interpreter instance state, loadCompiled with the deopt entry's env).
 */
import { decode, validate, type FuncInstance, instantiate as instantiateState } from '../interpreter/index.js';
import { compile, loadCompiled, type CompileOptions } from '../compiler/index.js';
import { DeoptEntry } from '../runtime/api/deopt-entry.js';
import { dwarfLocals } from '../runtime/api/dwarf-locals.js';
import { frameMapSize, type FrameMaps } from '../deopt/index.js';
import { checksumOf, kernelBytes, loadKernels, runSize, type Kernel } from './kernels.js';

interface Variant {
  readonly name: string;
  readonly checkpoints: CompileOptions['checkpoints'];
  /** Dead locals zeroed as the runtime does (from DWARF); false: every local kept. */
  readonly zero: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'native', checkpoints: false, zero: false },
  { name: 'all', checkpoints: true, zero: true },
  { name: 'traps', checkpoints: 'traps', zero: true },
];
const KEEP: Variant = { name: 'traps-keep', checkpoints: 'traps', zero: false };

interface Options {
  quick: boolean;
  only: string | undefined;
  samples: number;
  /** Kernel file suffix: '' for the -O2 builds, '-O0g' with --debug-build. */
  build: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { quick: false, only: undefined, samples: 0, build: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') o.quick = true;
    else if (a === '--debug-build') o.build = '-O0g';
    else if (a === '--only') o.only = argv[++i];
    else if (a === '--samples') o.samples = Number(argv[++i]);
    else throw new Error(`unknown option ${a} (options: --quick, --debug-build, --only K, --samples N)`);
  }
  if (o.samples === 0) o.samples = o.quick ? 5 : 9;
  if (!(Number.isInteger(o.samples) && o.samples > 0)) throw new Error('--samples needs a positive integer');
  return o;
}

/** One variant of one kernel, loaded: `run(n)` calls the export's canonical entry. */
function load(kernel: Kernel, v: Variant, build: string): (n: number) => unknown {
  const module = decode(kernelBytes(kernel, build));
  validate(module);
  const zeroDeadLocals = v.zero ? dwarfLocals(module) ?? false : false;
  const c = compile(module, { sourceMap: false, checkpoints: v.checkpoints, zeroDeadLocals });
  const state = instantiateState(module, () => undefined);
  const ex = state.exports.get(kernel.export);
  if (ex?.kind !== 'func') throw new Error(`${kernel.name}: no exported function ${kernel.export}`);
  const index = (ex.value as FuncInstance & { index: number }).index;
  const extra = c.frameMaps === undefined ? undefined : { ...new DeoptEntry(c.frameMaps, state, 0).env() };
  const code = loadCompiled(c.js, state, c.lineOffsets, undefined, extra);
  const entry = code.C[index]!;
  return (n) => entry(n);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `run(n)` `reps` times, checking each result; returns the time in ms. */
function timeIt(kernel: Kernel, run: (n: number) => unknown, n: number, reps: number, expected: string): number {
  const start = performance.now();
  for (let r = 0; r < reps; r++) {
    const got = checksumOf(run(n) as number | bigint, kernel.result);
    if (got !== expected) throw new Error(`${kernel.name}: result ${got}, expected ${expected}`);
  }
  return performance.now() - start;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const kernels = loadKernels().filter((k) => o.only === undefined || k.name === o.only);
  if (kernels.length === 0) throw new Error(`no kernel named ${o.only}`);
  const variants = o.build === '' ? VARIANTS : [...VARIANTS, KEEP];
  const ratios: number[][] = variants.map(() => []);
  const what = o.build === '' ? 'the -O2 kernels' : 'the kernels built -O0 -g (dead locals zeroed but those DWARF names)';
  console.log(`checkpoint overhead on ${what}, ${o.quick ? 'quick' : 'full'} n, ${o.samples} interleaved samples per variant (median ms; ratio to native)`);
  console.log(['kernel'.padEnd(10), ...variants.map((v) => v.name.padStart(10)), ...variants.slice(1).map((v) => `${v.name}/native`.padStart(14))].join(' '));
  for (const k of kernels) {
    const { n, expected } = runSize(k, o.quick);
    const runs = variants.map((v) => load(k, v, o.build));
    // Warm-up (and, for --quick, enough repetitions for a sample of ~20 ms).
    let reps = 1;
    for (const run of runs) timeIt(k, run, n, 1, expected);
    if (o.quick) {
      const once = Math.max(0.05, timeIt(k, runs[0]!, n, 3, expected) / 3);
      reps = Math.max(1, Math.round(20 / once));
    }
    for (const run of runs) timeIt(k, run, n, reps, expected);
    const samples: number[][] = variants.map(() => []);
    for (let s = 0; s < o.samples; s++) {
      runs.forEach((run, i) => samples[i]!.push(timeIt(k, run, n, reps, expected) / reps));
    }
    const med = samples.map(median);
    const row = med.map((m, i) => (i === 0 ? 1 : m / med[0]!));
    row.forEach((r, i) => ratios[i]!.push(r));
    console.log([k.name.padEnd(10), ...med.map((m) => m.toFixed(2).padStart(10)), ...row.slice(1).map((r) => `${r.toFixed(3)}x`.padStart(14))].join(' '));
  }
  const geo = ratios.map((rs) => Math.exp(rs.reduce((a, r) => a + Math.log(r), 0) / rs.length));
  console.log(['geomean'.padEnd(10), ...variants.map(() => ''.padStart(10)), ...geo.slice(1).map((g) => `${g.toFixed(3)}x`.padStart(14))].join(' '));
  mapSizes(kernels, o.build);
}

/** The frame maps native-debug keeps beside each kernel's code (trap sites included, as compiled). */
function mapSizes(kernels: readonly Kernel[], build: string): void {
  console.log('\nframe maps (JSON), as compiled with checkpoints: true');
  console.log(['kernel'.padEnd(10), 'checkpoints'.padStart(12), 'bytes'.padStart(9), 'B/checkpoint'.padStart(13), 'B per KB code'.padStart(14)].join(' '));
  let json = 0, checkpoints = 0, code = 0;
  for (const k of kernels) {
    const module = decode(kernelBytes(k, build));
    validate(module);
    const maps = compile(module, { sourceMap: false, checkpoints: true }).frameMaps as unknown as FrameMaps;
    const s = frameMapSize(maps, module);
    json += s.jsonBytes; checkpoints += s.checkpoints; code += s.codeBytes;
    console.log([k.name.padEnd(10), String(s.checkpoints).padStart(12), String(s.jsonBytes).padStart(9), s.bytesPerCheckpoint.toFixed(1).padStart(13), s.bytesPerCodeKB.toFixed(0).padStart(14)].join(' '));
  }
  console.log(['all'.padEnd(10), String(checkpoints).padStart(12), String(json).padStart(9), (json / checkpoints).toFixed(1).padStart(13), (json / (code / 1024)).toFixed(0).padStart(14)].join(' '));
}

main();
