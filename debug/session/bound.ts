/**
 * Where the session's breakpoints are bound in the running target (session.ts):
 * code address → the ids of the breakpoints bound there, which of them a stop
 * at an address reports (enabled, condition, hit and ignore counts; logpoints
 * print and do not stop), and the question a running loop asks before each
 * pass, whether any could stop within a range of addresses.
 *
 * Invariant: an address is set in the target exactly while some breakpoint is
 * bound there; `#list` mirrors `#at` (dropped after any change, rebuilt on use).
 */
import type { Breakpoint } from './breakpoints.js';
import type { Conditions } from './conditions.js';
import type { DebugTarget } from './target.js';

export class BoundBreakpoints {
  readonly #at = new Map<number, { funcIndex: number; ids: Set<number> }>();
  /** `#at` as a flat array for `mayStopBetween`. */
  #list: { address: number; ids: number[] }[] | null = null;

  /** `log`: a logpoint's printed line (dprintf); `output`: where logpoint lines and condition errors go. */
  constructor(
    private readonly bps: ReadonlyMap<number, Breakpoint>,
    private readonly conditions: Conditions,
    private readonly log: (bp: Breakpoint) => string,
    private readonly output: (text: string) => void,
  ) {}

  /** Sets `bp`'s locations in `t` (the target may move one to the instruction it stops at; the breakpoint keeps where it went). */
  bind(t: DebugTarget, bp: Breakpoint): void {
    bp.locations = bp.locations.map((loc) => {
      const actual = t.setBreakpoint(loc.funcIndex, loc.address) ?? loc.address;
      const b = this.#at.get(actual) ?? { funcIndex: loc.funcIndex, ids: new Set<number>() };
      b.ids.add(bp.id);
      this.#at.set(actual, b);
      this.#list = null;
      return { address: actual, funcIndex: loc.funcIndex };
    });
  }

  /** Unbinds breakpoint `bp`; an address left with none is cleared in `t` (when one runs). */
  unbind(t: DebugTarget | null, bp: Breakpoint): void {
    for (const loc of bp.locations) {
      const b = this.#at.get(loc.address);
      if (!b) continue;
      b.ids.delete(bp.id);
      this.#list = null;
      if (b.ids.size === 0) {
        t?.clearBreakpoint(b.funcIndex, loc.address);
        this.#at.delete(loc.address);
      }
    }
  }

  /** Clears every bound address in `t` (the target is going away). */
  clear(t: DebugTarget): void {
    for (const [address, b] of this.#at) t.clearBreakpoint(b.funcIndex, address);
    this.#at.clear();
    this.#list = null;
  }

  has(pc: number): boolean {
    return this.#at.has(pc);
  }

  /** Enabled breakpoints at `pc` whose condition holds, after hit counts; logpoints print here and do not stop. */
  hits(pc: number): Breakpoint[] {
    const b = this.#at.get(pc);
    if (!b) return [];
    const hits: Breakpoint[] = [];
    for (const id of b.ids) {
      const bp = this.bps.get(id);
      if (!bp || !bp.enabled) continue;
      if (bp.condition !== undefined) {
        try {
          if (!this.conditions.holds(bp.condition)) continue;
        } catch (e) {
          this.output(`Error in testing condition for breakpoint ${bp.id}: ${(e as Error).message}\n`);
          hits.push(bp);
          continue;
        }
      }
      bp.hitCount++;
      if (bp.ignoreCount > 0) { bp.ignoreCount--; continue; }
      if (bp.log) { this.output(this.log(bp)); continue; }
      hits.push(bp);
    }
    return hits;
  }

  /**
   * Whether a breakpoint bound in [from, to] could stop now: one without a
   * condition could; one with a condition could when the condition holds
   * (evaluated as at the breakpoint's address). Hit counts are left to the
   * stop that follows, so nothing is counted twice.
   */
  mayStopBetween(from: number, to: number): boolean {
    // A hot loop asks this at every pass: walk a flat array, allocate nothing.
    const list = (this.#list ??= [...this.#at].map(([address, b]) => ({ address, ids: [...b.ids] })));
    for (let i = 0; i < list.length; i++) {
      const { address, ids } = list[i]!;
      if (address < from || address > to) continue;
      for (let j = 0; j < ids.length; j++) {
        const bp = this.bps.get(ids[j]!);
        if (!bp || !bp.enabled) continue;
        if (bp.condition === undefined) return true;
        try {
          if (this.conditions.holdsAt(bp.condition, address)) return true;
        } catch {
          return true; // let the stop report the error
        }
      }
    }
    return false;
  }
}
