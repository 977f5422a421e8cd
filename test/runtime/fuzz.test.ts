/**
 * Differential fuzz (test/helpers/fuzz.ts): binaryen's random modules run
 * in V8's WebAssembly and in each wasmflip tier must show the same logs,
 * results, traps, globals and memory. The tiers: the interpreter (debug),
 * compiled code (native), compiled code with checkpoints (native-debug) and
 * the same forced to deopt into the interpreter at every 3rd checkpoint.
 *
 * `npm test` runs a few seeds; WASMFLIP_FUZZ_SEEDS=N (scripts/stress.sh)
 * runs N. A failing seed names itself: `fuzzModule(seed)` rebuilds its
 * module (write it out and `wasm-dis` it to read).
 */
import { describe, expect, test } from 'vitest';
import { firstDifference, fuzzModule, record, type Engine } from '../helpers/fuzz.js';

const SEEDS = Number(process.env['WASMFLIP_FUZZ_SEEDS'] ?? 16);

const TIERS: readonly Engine[] = [
  { name: 'debug', options: { mode: 'debug' } },
  { name: 'native', options: { mode: 'native' } },
  { name: 'native-debug', options: { mode: 'native-debug' } },
  { name: 'native-debug, a deopt at every 3rd checkpoint', options: { mode: 'native-debug', deoptEvery: 3 } },
];

describe('differential fuzz against V8 (binaryen translate-to-fuzz modules)', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    test(`seed ${seed}: every tier shows what V8 shows`, () => {
      const bytes = fuzzModule(seed);
      const want = record(bytes, 'v8');
      expect(want.length).toBeGreaterThan(1);
      for (const tier of TIERS) {
        const got = record(bytes, tier);
        expect(firstDifference(want, got), `${tier === 'v8' ? 'v8' : tier.name}, seed ${seed}`).toBeNull();
      }
    }, 60_000);
  }
});
