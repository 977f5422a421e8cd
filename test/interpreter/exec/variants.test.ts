/**
 * The interpreter's two flat-code variants compute the same: fused code (the
 * default: operands read from locals and constant slots, local.set and br_if
 * folded) and exact code (one flat instruction per Wasm instruction, what
 * debugger stops and resumes run). The spec scripts that exercise every
 * numeric, control and memory instruction run on both.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { preferExact } from '../../../interpreter/index.js';
import { KnownFailures, createInterpEngine, defaultSpecDir, loadKnownFailures, runSpecFile } from '../../../runtime/spectest/index.js';

const dir = defaultSpecDir(process.env);
const present = existsSync(dir);
if (!present) console.warn(`[variants] spec suite folder absent (${dir}): skipped`);

const scripts = [
  'i32', 'i64', 'f32', 'f64', 'conversions', 'block', 'loop', 'if', 'br', 'br_if', 'br_table', 'return', 'call', 'call_indirect',
  'local_get', 'local_set', 'local_tee', 'select', 'memory', 'address', 'memory_copy', 'memory_fill', 'table_copy', 'left-to-right',
  'float_exprs', 'int_exprs', 'labels', 'unwind', 'fac', 'stack', 'switch', 'traps', 'unreachable',
];

describe.skipIf(!present)('exact flat code passes the spec scripts fused code passes', () => {
  const engine = createInterpEngine();
  const known = new KnownFailures(loadKnownFailures(), engine.name);
  afterAll(() => preferExact(false));
  for (const name of scripts) {
    it(name, () => {
      preferExact(true);
      try {
        const r = runSpecFile(join(dir, name), name, engine, known);
        expect(r.failures.map((f) => `${f.file}:${f.line} ${f.type}: ${f.reason}`)).toEqual([]);
        expect(r.passed).toBeGreaterThan(0);
      } finally {
        preferExact(false);
      }
    });
  }
});
