/**
 * Forced deopts on a sample of the spec suite: every module of the chosen
 * scripts is instantiated twice; each `assert_return` / `assert_trap` /
 * `action` runs plainly on one instance and, on the other, with a deopt at
 * EVERY checkpoint reached (stops before each instruction pick the function
 * entries, loop headers and after-call points; each stack is encoded as
 * compiled code would hand it over, decoded by deopt/, checked, and resumed).
 * Results (and trap messages) must agree; state carried from command to
 * command (memories, globals, tables) goes through the deopted runs too.
 *
 * Invariant: skips itself visibly when the spec suite is absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  bitsToF32, bitsToF64, decode, instantiate, invoke, validate,
  type Instance, type Value,
} from '../../interpreter/index.js';
import { buildFrameMaps, type FrameMaps } from '../../deopt/index.js';
import { spectestExports } from '../../runtime/spectest/host.js';
import { argValue, ExternRefs, type SpecValue } from '../../runtime/spectest/values.js';
import { specDir } from '../helpers/spectest-files.js';
import { runWithDeopts, sameValue } from './harness.js';

/** Scripts with numeric, multi-value, control, call and recursion content; no `register`. */
const FILES = [
  'i32', 'i64', 'f32', 'f64', 'fac', 'call', 'call_indirect', 'func', 'block', 'loop', 'br', 'br_if',
  'br_table', 'if', 'return', 'select', 'local_tee', 'left-to-right', 'stack', 'unwind', 'labels',
  'switch', 'forward', 'memory',
];
/** Per script, at most this many assert_return commands are stressed (spread evenly); the rest run plainly on both. */
const PER_FILE = 40;

interface Cmd {
  type: string;
  filename?: string;
  action?: { type: string; field: string; args?: SpecValue[] };
}

type Outcome = { ok: Value[] } | { trap: string };

function canonicalArgs(args: readonly SpecValue[], refs: ExternRefs): Value[] {
  return args.map((a) => {
    const v = argValue(a, refs);
    if (a.type === 'f32') return bitsToF32(v as number);
    if (a.type === 'f64') return bitsToF64(v as bigint);
    return v as Value;
  });
}

function outcome(run: () => Value[]): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    if (e instanceof Error && e.name !== 'Error') return { trap: e.message };
    throw e;
  }
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if ('trap' in a || 'trap' in b) return 'trap' in a && 'trap' in b && a.trap === b.trap;
  return a.ok.length === b.ok.length && a.ok.every((v, i) => sameValue(v, b.ok[i]!));
}

const dir = specDir();

describe.skipIf(dir === null)('forced deopts at every checkpoint on spec-suite scripts', () => {
  for (const name of FILES) {
    test(`${name}: every stressed invocation agrees with the plain run`, () => {
      const { commands } = JSON.parse(readFileSync(join(dir!, name, `${name}.json`), 'utf8')) as { commands: Cmd[] };
      const asserts = commands.filter((c) => c.type === 'assert_return').length;
      const stride = Math.max(1, Math.ceil(asserts / PER_FILE));
      const refs = new ExternRefs();
      let plain: Instance | undefined, stressed: Instance | undefined, maps: FrameMaps | undefined;
      let nth = 0, stressedCount = 0, deopts = 0;
      for (const c of commands) {
        if (c.type === 'module') {
          const load = (): Instance => {
            const module = decode(new Uint8Array(readFileSync(join(dir!, name, c.filename!))));
            validate(module);
            const host = spectestExports();
            return instantiate(module, (m, n) => (m === 'spectest' ? host.get(n) : undefined));
          };
          plain = load();
          stressed = load();
          maps = buildFrameMaps(stressed.module);
          continue;
        }
        if (c.action?.type !== 'invoke' || !['assert_return', 'assert_trap', 'action'].includes(c.type)) continue;
        const args = canonicalArgs(c.action.args ?? [], refs);
        const funcOf = (inst: Instance) => {
          const ex = inst.exports.get(c.action!.field);
          if (ex?.kind !== 'func') throw new Error(`${name}: no exported function ${c.action!.field}`);
          return ex.value;
        };
        const want = outcome(() => invoke(funcOf(plain!), args));
        const stress = c.type !== 'assert_return' || nth++ % stride === 0;
        const got = outcome(() => {
          if (!stress) return invoke(funcOf(stressed!), args);
          const r = runWithDeopts(stressed!, maps!, funcOf(stressed!), args, { every: 1, mode: 'step', maxDeopts: 150 });
          stressedCount++;
          deopts += r.deopts;
          return r.results;
        });
        if (!sameOutcome(got, want)) {
          expect.fail(`${name} ${c.action.field}(${args.map(String).join(', ')}): got ${JSON.stringify(got, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}, plain run ${JSON.stringify(want, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
        }
      }
      expect(stressedCount).toBeGreaterThan(0);
      expect(deopts).toBeGreaterThan(0);
      counts.set(name, { stressed: stressedCount, deopts });
    });
  }

  test('the sample covers a few hundred stressed invocations', () => {
    const total = [...counts.values()].reduce((n, c) => n + c.stressed, 0);
    const sum = (k: 'deopts'): number => [...counts.values()].reduce((n, c) => n + c[k], 0);
    console.log(`deopt spec sample: ${total} stressed invocations, ${sum('deopts')} deopts`);
    expect(total).toBeGreaterThan(300);
  });
});

const counts = new Map<string, { stressed: number; deopts: number }>();
