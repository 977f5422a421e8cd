/**
 * Runs spec scripts and tallies them: per file, per command type, and in
 * total, with known failures (known-failures.ts) set apart.
 *
 * Counting rule (the one the CLI's totals and `--json` use): a command is
 * passed, failed or skipped; a failure on the known-failures list counts as
 * skipped (and is listed under `known`), so `failed` is exactly what needs
 * fixing. A known failure that passes counts as passed and is listed under
 * `unexpectedPasses`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { findEngine, type SpecEngine } from './engine.js';
import { KnownFailures, loadKnownFailures, type KnownFailure } from './known-failures.js';
import { runScriptFile } from './script.js';
import './interp-engine.js';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** Of `skipped`: failures excused by the known-failures list. */
  known: number;
}

export interface Failure {
  readonly file: string;
  readonly line: number;
  readonly type: string;
  readonly reason: string;
}

export interface FileResult extends Counts {
  readonly name: string;
  readonly byType: Record<string, Counts>;
  readonly failures: Failure[];
  /** Failures excused by the list, with the list's reason. */
  readonly knownFailures: (Failure & { readonly excuse: string })[];
  readonly unexpectedPasses: KnownFailure[];
  readonly ms: number;
}

export interface SuiteResult extends Counts {
  readonly engine: string;
  readonly dir: string;
  readonly files: FileResult[];
}

export function zeroCounts(): Counts {
  return { passed: 0, failed: 0, skipped: 0, known: 0 };
}

/** The scripts of a suite folder (`<name>/<name>.json`), sorted; a script folder itself gives just its own name. */
export function listScripts(dir: string): string[] {
  const own = basename(dir);
  if (existsSync(join(dir, `${own}.json`))) return [own];
  return readdirSync(dir).filter((n) => existsSync(join(dir, n, `${n}.json`))).sort();
}

/** Whether `name` is selected by `--only` patterns (exact names, `*` wildcards, comma lists). */
export function selected(name: string, only: readonly string[]): boolean {
  if (only.length === 0) return true;
  return only.flatMap((o) => o.split(',')).some((p) => {
    const re = new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return re.test(name) || re.test(name.replace(/\.json$/, ''));
  });
}

/** Runs one script (the folder `scriptDir` holds `<name>.json`) and tallies it. */
export function runSpecFile(scriptDir: string, name: string, engine: SpecEngine, known: KnownFailures): FileResult {
  const t0 = performance.now();
  const outcomes = runScriptFile(scriptDir, name, engine);
  const result: FileResult = {
    name, ...zeroCounts(), byType: {}, failures: [], knownFailures: [], unexpectedPasses: [], ms: 0,
  };
  for (const o of outcomes) {
    const excuse = known.lookup(name, o.line);
    const byType = (result.byType[o.type] ??= zeroCounts());
    if (o.status === 'failed' && excuse !== undefined) {
      result.knownFailures.push({ file: name, line: o.line, type: o.type, reason: o.reason ?? '', excuse: excuse.reason });
      bump(result, byType, 'skipped');
      result.known++;
      byType.known++;
      continue;
    }
    if (o.status === 'passed' && excuse !== undefined && !result.unexpectedPasses.includes(excuse)) result.unexpectedPasses.push(excuse);
    if (o.status === 'failed') result.failures.push({ file: name, line: o.line, type: o.type, reason: o.reason ?? '' });
    bump(result, byType, o.status);
  }
  // An entry whose line has no command at all is stale too.
  for (const k of known.forFile(name)) {
    if (!outcomes.some((o) => o.line === k.line) && !result.unexpectedPasses.includes(k)) result.unexpectedPasses.push(k);
  }
  return { ...result, ms: performance.now() - t0 };
}

function bump(a: Counts, b: Counts, s: 'passed' | 'failed' | 'skipped'): void {
  a[s]++;
  b[s]++;
}

export interface SuiteOptions {
  readonly dir: string;
  readonly engine: string;
  readonly only?: readonly string[];
  /** Defaults to the checked-in list. */
  readonly knownFailures?: readonly KnownFailure[];
  /** Called after each file (progress output). */
  readonly onFile?: (r: FileResult) => void;
  /** Makes the engine instead of `engine`'s registered factory (an engine with settings, e.g. deopt every N). */
  readonly create?: () => SpecEngine;
}

/** Runs every selected script of a suite folder. Throws an Error for an unknown engine or a missing folder. */
export function runSpecSuite(opts: SuiteOptions): SuiteResult {
  const entry = findEngine(opts.engine);
  if (entry === undefined) throw new Error(`unknown engine ${JSON.stringify(opts.engine)}`);
  if (!existsSync(opts.dir)) throw new Error(`spec suite folder not found: ${opts.dir}`);
  if (!statSync(opts.dir).isDirectory()) throw new Error(`${opts.dir} is not a folder (give the spec suite's folder, or a script's)`);
  const engine = (opts.create ?? entry.create)();
  const known = new KnownFailures(opts.knownFailures ?? loadKnownFailures(), engine.name);
  const names = listScripts(opts.dir).filter((n) => selected(n, opts.only ?? []));
  const single = names.length === 1 && basename(opts.dir) === names[0];
  const suite: SuiteResult = { engine: engine.name, dir: opts.dir, ...zeroCounts(), files: [] };
  for (const name of names) {
    const r = runSpecFile(single ? opts.dir : join(opts.dir, name), name, engine, known);
    suite.files.push(r);
    suite.passed += r.passed;
    suite.failed += r.failed;
    suite.skipped += r.skipped;
    suite.known += r.known;
    opts.onFile?.(r);
  }
  return suite;
}
