/**
 * Differential fuzz (test/helpers/fuzz.ts): binaryen's random modules run
 * in V8's WebAssembly and in each wasmflip tier must show the same logs,
 * results, traps, globals and memory. The tiers: the interpreter (debug),
 * compiled code (native), compiled code with checkpoints (native-debug) and
 * the same forced to deopt into the interpreter at every 3rd checkpoint.
 *
 * `npm test` runs a few seeds; WASMFLIP_FUZZ_SEEDS=N (scripts/stress.sh)
 * runs N. A seed whose module uses an instruction past WebAssembly 2.0 is
 * skipped, with the instruction named (about 2% of seeds). A failing seed names itself: `fuzzModule(seed)` rebuilds its
 * module (write it out and `wasm-dis` it to read).
 */
import { describe, expect, test } from 'vitest';
import { DecodeError, decode } from '../../interpreter/index.js';
import { firstDifference, fuzzModule, record, type Engine } from '../helpers/fuzz.js';

/** The reason a module is past WebAssembly 2.0 (an opcode of a later proposal), or null. */
function beyond20(bytes: Uint8Array): string | null {
  try {
    decode(bytes);
    return null;
  } catch (e) {
    if (e instanceof DecodeError && /^illegal opcode d[3-6]\b/.test(e.message)) return `${e.message}: function references, past WebAssembly 2.0`;
    throw e;
  }
}

const SEEDS = Number(process.env['WASMFLIP_FUZZ_SEEDS'] ?? 16);

const TIERS: readonly Engine[] = [
  { name: 'debug', options: { mode: 'debug' } },
  { name: 'native', options: { mode: 'native' } },
  { name: 'native-debug', options: { mode: 'native-debug' } },
  { name: 'native-debug, a deopt at every 3rd checkpoint', options: { mode: 'native-debug', deoptEvery: 3 } },
];

describe('differential fuzz against V8 (binaryen translate-to-fuzz modules)', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    test(`seed ${seed}: every tier shows what V8 shows`, (ctx) => {
      const bytes = fuzzModule(seed);
      // With reference types on, binaryen sometimes writes the function-references
      // proposal's ref.as_non_null / br_on_null / br_on_non_null (0xd3-0xd6), which
      // WebAssembly 2.0 does not have: such a module is not one wasmflip runs.
      const beyond = beyond20(bytes);
      if (beyond !== null) return ctx.skip(`seed ${seed}: ${beyond}`);
      const want = record(bytes, 'v8');
      expect(want.length).toBeGreaterThan(1);
      for (const tier of TIERS) {
        const got = record(bytes, tier);
        expect(firstDifference(want, got), `${tier === 'v8' ? 'v8' : tier.name}, seed ${seed}`).toBeNull();
      }
    }, 60_000);
  }
});
