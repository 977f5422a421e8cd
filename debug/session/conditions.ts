/**
 * Breakpoint and catchpoint conditions, evaluated where the program stands:
 * as a function of the innermost frame compiled by expr/fast.ts when it can
 * (a hot loop asks at every pass), else through the session's evaluator.
 *
 * Invariant: a condition is compiled once (cached by its text; asking again
 * for the one asked last costs a comparison), and a fast form that meets
 * something it cannot read (FallBack) defers to the evaluator.
 */
import { compileCondition, FallBack, type FastFrame } from '../expr/fast.js';
import type { DebugTarget } from './target.js';

type Fast = ((f: FastFrame) => boolean) | null;

export class Conditions {
  private readonly compiled = new Map<string, Fast>();
  private last: { text: string; fn: Fast } | undefined;
  /** The pc conditions see while `holdsAt` checks a breakpoint's address before it is reached. */
  private pc: number | undefined;
  /** The innermost frame as compiled conditions read it (no allocation per hit). */
  private readonly frame: FastFrame;

  constructor(target: () => DebugTarget, private readonly slow: (condition: string) => boolean) {
    this.frame = {
      pc: () => this.pc ?? target().topPc(),
      local: (i) => target().topLocal(i),
      global: (i) => target().global(i)?.value ?? 0,
    };
  }

  /** Whether `condition` holds in the innermost frame now. */
  holds(condition: string): boolean {
    let fast = this.last?.text === condition ? this.last.fn : this.compiled.get(condition);
    if (fast === undefined) this.compiled.set(condition, (fast = compileCondition(condition) ?? null));
    this.last = { text: condition, fn: fast };
    if (fast) {
      try {
        return fast(this.frame);
      } catch (e) {
        if (!(e instanceof FallBack)) throw e;
      }
    }
    return this.slow(condition);
  }

  /** `holds`, with `$pc` reading `pc` (a breakpoint's address the program is about to reach). */
  holdsAt(condition: string, pc: number): boolean {
    this.pc = pc;
    try {
      return this.holds(condition);
    } finally {
      this.pc = undefined;
    }
  }
}
