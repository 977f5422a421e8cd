/**
 * `wasmflip spectest [DIR]`: runs the WebAssembly spec suite (JSON + .wasm,
 * ../shared/spectest/INDEX.md) on an engine and prints counts per file, per
 * command type and in total, ending with `N passed, N failed, N skipped`.
 * `--json` prints one JSON object and nothing else on stdout.
 *
 * Invariant: the exit code is 0 exactly when no command failed (known
 * failures, counted as skipped, excepted); 2 for a bad command line or a
 * missing suite folder.
 */
import {
  createAotDeoptEngine, defaultSpecDir, engines, knownFailuresPath, runSpecSuite, zeroCounts,
  type Counts, type FileResult, type SuiteResult,
} from '../../spectest/index.js';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import { readArgs } from '../args.js';

interface Options {
  dir: string | undefined;
  engine: string;
  only: string[];
  json: boolean;
  verbose: boolean;
  deoptEvery: number | undefined;
}

/** How many failures the text report lists without --verbose. */
const BRIEF_FAILURES = 10;

export const command: CliCommand = {
  name: 'spectest',
  summary: 'run the WebAssembly spec test suite (JSON + .wasm form)',
  usage: [
    'usage: wasmflip spectest [DIR] [--engine ENGINE] [--deopt-every N] [--only NAME]... [--json] [--verbose]',
    '--deopt-every N runs the aot-deopt engine (compiled code forced to deopt into the interpreter at every Nth checkpoint).',
    'DIR defaults to $WASMFLIP_SPECTEST, then ../shared/spectest beside the wasmflip folder.',
    'NAME selects scripts by name (comma lists and * wildcards allowed, e.g. --only "simd_*").',
    '--json prints {"passed","failed","skipped","files":{NAME:{...}}} only; --verbose lists every failure.',
    'Known failures (runtime/spectest/known-failures.json) count as skipped and are listed apart.',
  ].join('\n'),
  run(args, io) {
    const o = parseArgs(args);
    const dir = o.dir ?? defaultSpecDir(io.env);
    let result: SuiteResult;
    try {
      const every = o.deoptEvery;
      result = runSpecSuite({ dir, engine: o.engine, only: o.only, ...(every !== undefined ? { create: () => createAotDeoptEngine(every) } : {}) });
    } catch (e) {
      const msg = (e as Error).message;
      io.err(`wasmflip spectest: ${msg}${msg.startsWith('unknown engine') ? ` (engines: ${engines().map((x) => x.name).join(', ')})` : ''}\n`);
      return 2;
    }
    if (result.files.length === 0) {
      io.err(`wasmflip spectest: no scripts${o.only.length ? ` matching ${o.only.join(', ')}` : ''} in ${dir}\n`);
      return 2;
    }
    if (o.json) io.out(JSON.stringify(jsonReport(result)) + '\n');
    else textReport(result, o.verbose, io);
    return result.failed > 0 ? 1 : 0;
  },
};

function parseArgs(args: readonly string[]): Options {
  const o: Options = { dir: undefined, engine: 'interp', only: [], json: false, verbose: false, deoptEvery: undefined };
  let engineGiven = false;
  const rest = readArgs(args, {
    values: {
      '--engine': (v) => { o.engine = v; engineGiven = true; },
      '--only': (v) => { o.only.push(v); },
      '--deopt-every': (v) => {
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--deopt-every takes a positive integer, got ${JSON.stringify(v)}`);
        o.deoptEvery = n;
      },
    },
    flags: { '--json': () => { o.json = true; }, '--verbose': () => { o.verbose = true; }, '-v': () => { o.verbose = true; } },
    positional: (a) => {
      if (o.dir !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(a)}`);
      o.dir = a;
    },
  });
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (o.deoptEvery !== undefined) {
    if (engineGiven && o.engine !== 'aot-deopt') throw new UsageError(`--deopt-every runs the aot-deopt engine; it cannot be combined with --engine ${o.engine}`);
    o.engine = 'aot-deopt';
  }
  return o;
}

/** The `--json` shape: totals and per-file counts, nothing else. */
export function jsonReport(r: SuiteResult): { passed: number; failed: number; skipped: number; files: Record<string, { passed: number; failed: number; skipped: number }> } {
  const files: Record<string, { passed: number; failed: number; skipped: number }> = {};
  for (const f of r.files) files[f.name] = { passed: f.passed, failed: f.failed, skipped: f.skipped };
  return { passed: r.passed, failed: r.failed, skipped: r.skipped, files };
}

function textReport(r: SuiteResult, verbose: boolean, io: CliIO): void {
  const width = Math.max(...r.files.map((f) => f.name.length));
  io.out(`spec suite ${r.dir} on engine ${r.engine}\n`);
  for (const f of r.files) io.out(`${f.name.padEnd(width)}  ${counts(f)}  (${Math.round(f.ms)} ms)\n`);
  io.out('\nby command type:\n');
  const byType = new Map<string, Counts>();
  for (const f of r.files) {
    for (const [t, c] of Object.entries(f.byType)) {
      const acc = byType.get(t) ?? zeroCounts();
      acc.passed += c.passed; acc.failed += c.failed; acc.skipped += c.skipped; acc.known += c.known;
      byType.set(t, acc);
    }
  }
  const tw = Math.max(...[...byType.keys()].map((t) => t.length));
  for (const [t, c] of [...byType].sort((a, b) => a[0].localeCompare(b[0]))) io.out(`  ${t.padEnd(tw)}  ${counts(c)}\n`);
  listProblems(r.files, verbose, io);
  io.out(`${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped\n`);
}

function counts(c: Counts): string {
  const known = c.known > 0 ? ` (${c.known} known failures)` : '';
  return `${String(c.passed).padStart(6)} passed ${String(c.failed).padStart(5)} failed ${String(c.skipped).padStart(6)} skipped${known}`;
}

function listProblems(files: readonly FileResult[], verbose: boolean, io: CliIO): void {
  const known = files.flatMap((f) => f.knownFailures);
  const stale = files.flatMap((f) => f.unexpectedPasses);
  const failures = files.flatMap((f) => f.failures);
  if (known.length > 0) {
    io.out(`\n${known.length} known failures (counted as skipped; listed in ${knownFailuresPath()})\n`);
    if (verbose) for (const k of known) io.out(`  ${k.file}:${k.line} ${k.type}: ${k.excuse}\n`);
  }
  if (stale.length > 0) {
    io.out(`\n${stale.length} known failures now pass (remove them from the list):\n`);
    for (const k of stale) io.out(`  ${k.file}:${k.line}: ${k.reason}\n`);
  }
  if (failures.length > 0) {
    io.out(`\n${failures.length} failures:\n`);
    const shown = verbose ? failures : failures.slice(0, BRIEF_FAILURES);
    for (const f of shown) io.out(`  ${f.file}:${f.line} ${f.type}: ${f.reason}\n`);
    if (shown.length < failures.length) io.out(`  ... and ${failures.length - shown.length} more (--verbose lists them all)\n`);
  }
  io.out('\n');
}
