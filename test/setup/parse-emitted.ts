/**
 * Every module text the compiler emits while the tests run is parsed by
 * acorn (issue 3), whichever suite compiled it: `compile` and
 * `compileParallel` (the two ways to a module text, compiler/native.ts) are
 * wrapped so each text is parsed as the body of the factory
 * compiler/link/load.ts makes of it. A text acorn rejects fails the test that
 * compiled it, with acorn's message and position.
 *
 * Invariant: the wrapped functions return exactly what the originals return.
 */
import { parse } from 'acorn';
import { vi } from 'vitest';
import type * as Native from '../../compiler/native.js';

/** Texts already parsed (the same text is compiled again and again by some suites). */
const parsed = new Set<string>();

function check(js: string): void {
  if (parsed.has(js)) return;
  try {
    // The text opens with its own 'use strict', so acorn applies strict mode's rules as V8 does.
    parse(`(function (env) {\n${js}\n})`, { ecmaVersion: 2022, sourceType: 'script' });
  } catch (e) {
    throw new Error(`acorn rejects a module text the compiler emitted: ${(e as Error).message}`, { cause: e });
  }
  if (parsed.size > 4096) parsed.clear();
  parsed.add(js);
}

/** Whether acorn has parsed `js` in this suite (what the setup's own test checks). */
export function wasParsed(js: string): boolean {
  return parsed.has(js);
}

vi.mock('../../compiler/native.js', async (importOriginal) => {
  const native = await importOriginal<typeof Native>();
  return {
    ...native,
    compile: (...args: Parameters<typeof native.compile>) => {
      const out = native.compile(...args);
      check(out.js);
      return out;
    },
    compileParallel: async (...args: Parameters<typeof native.compileParallel>) => {
      const out = await native.compileParallel(...args);
      check(out.js);
      return out;
    },
  };
});
