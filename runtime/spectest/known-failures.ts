/**
 * The checked-in list of spec commands an engine is known to fail, each with
 * the reason (runtime/spectest/known-failures.json). A known failure is
 * reported apart and does not fail the run; an entry that passes is reported
 * too, so the list only ever shrinks to the truth.
 *
 * Invariant: a list whose entry lacks a file, a line or a non-empty reason
 * is rejected as a whole, so no failure is excused without saying why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { knownFailuresPath } from './paths.js';

export interface KnownFailure {
  /** Script name without extension, e.g. "float_exprs". */
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  /** Engines it applies to; all engines when absent. */
  readonly engines?: readonly string[];
}

export class KnownFailures {
  private readonly byKey = new Map<string, KnownFailure>();

  constructor(entries: readonly KnownFailure[], readonly engine: string) {
    for (const e of entries) {
      if (e.engines === undefined || e.engines.includes(engine)) this.byKey.set(`${e.file}:${e.line}`, e);
    }
  }

  /** The entry for a command of `file` at `line`, if it is expected to fail. */
  lookup(file: string, line: number): KnownFailure | undefined {
    return this.byKey.get(`${file}:${line}`);
  }

  /** All entries for one script. */
  forFile(file: string): KnownFailure[] {
    return [...this.byKey.values()].filter((e) => e.file === file);
  }
}

/** Parses and checks a list; throws an Error naming the first bad entry. */
export function parseKnownFailures(text: string, source: string): KnownFailure[] {
  const data = JSON.parse(text) as unknown;
  const list = Array.isArray(data) ? data : (data as { failures?: unknown }).failures;
  if (!Array.isArray(list)) throw new Error(`${source}: expected an array of {file, line, reason} (or {"failures": [...]})`);
  return list.map((e: unknown, i) => {
    const k = e as Partial<KnownFailure>;
    const ok = typeof k.file === 'string' && Number.isInteger(k.line) && typeof k.reason === 'string' && k.reason.trim() !== '' &&
      (k.engines === undefined || (Array.isArray(k.engines) && k.engines.every((x) => typeof x === 'string')));
    if (!ok) throw new Error(`${source}: entry ${i} needs a file, a line and a non-empty reason: ${JSON.stringify(e)}`);
    return k as KnownFailure;
  });
}

/** The checked-in list (empty when the file is absent). */
export function loadKnownFailures(path = knownFailuresPath()): KnownFailure[] {
  if (!existsSync(path)) return [];
  return parseKnownFailures(readFileSync(path, 'utf8'), path);
}
