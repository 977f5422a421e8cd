/**
 * The WebAssembly 2.0 spec suite (../shared/spectest, or $WASMFLIP_SPECTEST)
 * on the interpreter: one test per script, so a failure names its file; each
 * lists its failing commands as file:line with expected vs got. Known
 * failures (runtime/spectest/known-failures.json) are excused; one that
 * passes fails the test, so the list never hides a fixed bug.
 * Skips itself, visibly, when the suite's folder is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KnownFailures, createInterpEngine, defaultSpecDir, listScripts, loadKnownFailures, runSpecFile,
} from '../../runtime/spectest/index.js';

const dir = defaultSpecDir(process.env);
const present = existsSync(dir);
if (!present) console.warn(`[spectest] spec suite folder absent (${dir}): spec tests skipped; set WASMFLIP_SPECTEST to run them`);

describe.skipIf(!present)('spec suite on the interpreter', () => {
  const engine = createInterpEngine();
  const known = new KnownFailures(loadKnownFailures(), engine.name);
  for (const name of present ? listScripts(dir) : []) {
    it(name, () => {
      const r = runSpecFile(join(dir, name), name, engine, known);
      const report = r.failures.map((f) => `${f.file}:${f.line} ${f.type}: ${f.reason}`);
      expect(report, `${name}: ${r.failed} failed`).toEqual([]);
      const stale = r.unexpectedPasses.map((k) => `${k.file}:${k.line} passes now; remove it from known-failures.json (${k.reason})`);
      expect(stale).toEqual([]);
      expect(r.passed + r.skipped).toBeGreaterThan(0);
    });
  }
});

describe.skipIf(present)('spec suite', () => {
  it(`is absent (${dir}); set WASMFLIP_SPECTEST to run it`, () => {});
});
