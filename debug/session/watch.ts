/**
 * Watchpoints by single-stepping (costly but exact, and the only way an
 * interpreter without write barriers can do it): the session keeps the
 * interpreter stopping before every instruction while a watchpoint is
 * enabled. `watch` fires when the watched bytes differ from the last seen
 * contents (gdb's semantics: a write of the same value is not reported);
 * `rwatch` fires before a load that overlaps them; `awatch` on either.
 *
 * Invariant: a check reads only the watched bytes and, for loads, the
 * instruction at the pc and its address operand.
 */
import type { Breakpoint, WatchKind } from './breakpoints.js';
import type { CodeMap } from './code-map.js';
import type { TargetFrame, DebugTarget } from './target.js';
import type { CValue } from './values.js';

export interface WatchHit {
  readonly id: number;
  readonly kind: WatchKind;
  readonly spec: string;
  readonly old?: string;
  readonly value: string;
}

/** Bytes a load instruction reads, by name (`i32.load8_u` → 1). */
function loadSize(op: string): number {
  if (!/\.load/.test(op) || op.startsWith('v128')) return 0;
  const m = /load(8|16|32)/.exec(op);
  if (m) return Number(m[1]) / 8;
  return op.startsWith('i64') || op.startsWith('f64') ? 8 : 4;
}

export function checkWatches(watches: readonly Breakpoint[], target: DebugTarget, code: CodeMap, top: TargetFrame, show: (v: CValue) => string): WatchHit | undefined {
  const mem = target.memory();
  if (!mem) return undefined;
  let instrName: string | undefined;
  for (const bp of watches) {
    const w = bp.watch!;
    const now = mem.subarray(w.address, w.address + w.size);
    if (bp.kind !== 'rwatch') {
      let changed = now.length !== w.old.length;
      for (let i = 0; !changed && i < now.length; i++) changed = now[i] !== w.old[i];
      if (changed) {
        const old = show({ type: w.type, bytes: w.old });
        w.old = now.slice();
        bp.hitCount++;
        return { id: bp.id, kind: bp.kind as WatchKind, spec: bp.spec, old, value: show({ type: w.type, bytes: w.old }) };
      }
    }
    if (bp.kind !== 'watch') {
      instrName ??= code.instrAt(top.funcIndex, top.pc)?.op ?? '';
      const size = loadSize(instrName);
      if (size === 0) continue;
      const instr = code.instrAt(top.funcIndex, top.pc)!;
      const stack = top.stack();
      const base = stack[stack.length - 1]?.value;
      if (typeof base !== 'number') continue;
      const address = (base >>> 0) + (instr.memarg?.offset ?? 0);
      if (address < w.address + w.size && address + size > w.address) {
        bp.hitCount++;
        return { id: bp.id, kind: bp.kind as WatchKind, spec: bp.spec, value: show({ type: w.type, bytes: now.slice() }) };
      }
    }
  }
  return undefined;
}
