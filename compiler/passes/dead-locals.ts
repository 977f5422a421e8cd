/**
 * Pass 3a, dead-locals (checkpointed code only): which locals to zero before
 * each trap site and call, so that a trap catch or checkpoint exit, which
 * reads every local (passes/checkpoints.ts), does not keep V8 holding every
 * local's last value up to every instruction that may throw. Clang at -O0
 * gives each intermediate value its own local; with all of them alive to
 * the end of the function, native-debug ran 2-3.5x slower than native on
 * -O0 builds, against a few percent at -O2.
 *
 *   l7 = (l6 << l5);                      // l5, l6: last read here
 *   l5 = 0; l6 = 0;                       // dead: zeroed before the next trap site
 *   s0 = dv.getInt32((l3 >>> 0) + 8, true);
 *
 * Two dataflow passes over the structured body, each iterated to a fixpoint
 * over loops:
 *  - backward liveness: a local is live before an instruction when some path
 *    from there reads it before writing it (a branch to a loop reads what
 *    the loop header needs, to a block what follows its end);
 *  - forward "maybe nonzero": written (or a parameter) since it was last
 *    zeroed, on some path; only those are worth zeroing again.
 *
 * Invariant: a local is zeroed only where it is dead, so execution resumed
 * in the interpreter from any checkpoint or trap never reads a zeroed value;
 * locals the debugger shows by name (`kept`: DWARF locations and frame
 * bases, the name section's local names) are never zeroed. The emitter also
 * skips a local that a pending operand reads (checkpoints.ts clearDeadSlots),
 * which only leaves it nonzero: missing a zeroing is always safe.
 */
import { OP_BY_NAME, signatureOf, type BlockStructure, type Func, type Instr, type OpName } from '../../interpreter/core.js';

/** A set of local indices as a bit vector (one word per 32 locals). */
type Bits = Uint32Array;

const has = (b: Bits, k: number): boolean => (b[k >>> 5]! & (1 << (k & 31))) !== 0;
const add = (b: Bits, k: number): void => {
  b[k >>> 5]! |= 1 << (k & 31);
};
const remove = (b: Bits, k: number): void => {
  b[k >>> 5]! &= ~(1 << (k & 31));
};
function unite(into: Bits, from: Bits): void {
  for (let w = 0; w < into.length; w++) into[w]! |= from[w]!;
}
/** `into |= from`, reporting whether `into` grew. */
function grow(into: Bits, from: Bits): boolean {
  let grew = false;
  for (let w = 0; w < into.length; w++) {
    const v = (into[w]! | from[w]!) >>> 0;
    if (v !== into[w]) {
      into[w] = v;
      grew = true;
    }
  }
  return grew;
}

/**
 * Instructions at which the emitter flushes the operand stack (after them no
 * pending operand reads a local: emit/func-emitter.ts), or after which the
 * rest of the block is unreachable.
 */
const FLUSHES = new Set<OpName>([
  'block', 'loop', 'if', 'else', 'end', 'br', 'br_if', 'br_table', 'return', 'unreachable', 'call', 'call_indirect',
]);

/** The opcode table's `custom` rows (no fixed signature) that leave no value. */
const CUSTOM_VOID = new Set<OpName>(['drop', 'local.set', 'global.set', 'table.set', 'table.init', 'table.copy', 'table.fill']);

/** Whether `op` leaves no value (the others in straight-line code leave one; calls flush), from the opcode table. */
function leavesNothing(op: OpName): boolean {
  const sig = signatureOf(OP_BY_NAME.get(op)!);
  return sig === null ? CUSTOM_VOID.has(op) : sig.results.length === 0;
}

/**
 * For each site, the locals a pending operand may read there: the emitter
 * keeps `local.get`s and pure operations on them as expressions until a
 * consumer or a flush materializes them, and the catch rebuilds such an
 * operand from the locals, so they are not zeroed there (checkpoints.ts
 * clearDeadSlots skips them too; this is what lets the forward pass know the
 * local stayed nonzero). Every operation is taken as possibly pending: an
 * over-estimate only delays a zeroing to a later site.
 */
function pendingReads(func: Func, isSite: (ins: Instr) => boolean, empty: () => Bits): Map<number, Bits> {
  const body = func.body;
  const heights = func.heights!;
  const out = new Map<number, Bits>();
  const deps: (Bits | undefined)[] = [];
  for (let i = 0; i < body.length; i++) {
    const ins = body[i]!;
    const h0 = heights[i]!;
    if (isSite(ins)) {
      const reads = empty();
      for (let h = 0; h < h0 && h < deps.length; h++) if (deps[h] !== undefined) unite(reads, deps[h]!);
      out.set(i, reads);
    }
    if (FLUSHES.has(ins.op)) {
      deps.length = 0;
      continue;
    }
    if (ins.op === 'local.get' || ins.op === 'local.tee') {
      const at = ins.op === 'local.get' ? h0 : h0 - 1;
      const d = deps[at] ?? empty();
      add(d, ins.index!);
      deps[at] = d;
      continue;
    }
    const h1 = heights[i + 1] ?? 0;
    const leaves = leavesNothing(ins.op) ? 0 : 1;
    const from = Math.max(0, h1 - leaves);
    let merged: Bits | undefined;
    for (let h = from; h < h0 && h < deps.length; h++) {
      if (deps[h] === undefined) continue;
      merged ??= empty();
      unite(merged, deps[h]!);
    }
    deps.length = Math.min(deps.length, from);
    if (leaves === 1) deps[from] = merged;
  }
  return out;
}

/** The block instruction a branch at `i` with label `depth` targets, or -1 for the function (a return). */
function targetOf(parent: Int32Array, i: number, depth: number): number {
  let b = parent[i]!;
  for (let d = 0; d < depth && b >= 0; d++) b = parent[b]!;
  return b;
}

/** The labels a branch instruction names (br_table: every entry and the default). */
function labelsOf(ins: Instr): readonly number[] {
  return ins.op === 'br_table' ? [...ins.labels!, ins.index!] : [ins.index!];
}

/**
 * For each trap site and call of `func` (by body index, `isSite`), the
 * locals to zero before it (`structure`: the body's blockStructure). `localCount` counts parameters and declared
 * locals; parameters are `0 … paramCount - 1`.
 */
export function deadLocalZeroing(
  func: Func, structure: BlockStructure, paramCount: number, localCount: number, isSite: (ins: Instr) => boolean, kept: ReadonlySet<number>,
): Map<number, number[]> {
  const body = func.body;
  const n = body.length;
  const words = (localCount + 31) >>> 5;
  const out = new Map<number, number[]>();
  if (localCount === 0 || n === 0 || func.heights === undefined) return out;
  const { endOf, elseOf, parent } = structure;
  const startOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (endOf[i]! >= 0 && body[i]!.op !== 'else') startOf[endOf[i]!] = i;
  const empty = (): Bits => new Uint32Array(words);

  // Backward liveness: live before each site; at loop headers, iterated.
  const liveAtSite = new Map<number, Bits>();
  const head: (Bits | undefined)[] = new Array(n);
  const afterEnd: (Bits | undefined)[] = new Array(n);
  const elseStart: (Bits | undefined)[] = new Array(n);
  const liveTarget = (i: number, depth: number): Bits | undefined => {
    const b = targetOf(parent, i, depth);
    if (b < 0) return undefined; // the function's label: a return reads no local
    return body[b]!.op === 'loop' ? head[b] : afterEnd[b];
  };
  for (let changed = true; changed;) {
    changed = false;
    let live = empty();
    for (let i = n - 1; i >= 0; i--) {
      const ins = body[i]!;
      switch (ins.op) {
        case 'end': {
          const j = startOf[i]!;
          if (j < 0) live = empty();
          else if (body[j]!.op !== 'loop') afterEnd[j] = live.slice();
          break;
        }
        case 'else': {
          const j = parent[i]!;
          elseStart[j] = live;
          live = afterEnd[j]!.slice();
          break;
        }
        case 'if': {
          const other = elseOf[i]! >= 0 ? elseStart[i]! : afterEnd[i]!;
          unite(live, other);
          break;
        }
        case 'loop':
          if (head[i] === undefined) head[i] = empty();
          if (grow(head[i]!, live)) changed = true;
          break;
        case 'br': case 'br_table': {
          live = empty();
          for (const d of labelsOf(ins)) {
            const t = liveTarget(i, d);
            if (t !== undefined) unite(live, t);
          }
          break;
        }
        case 'br_if': {
          const t = liveTarget(i, ins.index!);
          if (t !== undefined) unite(live, t);
          break;
        }
        case 'return': case 'unreachable':
          live = empty();
          break;
        case 'local.get':
          add(live, ins.index!);
          break;
        case 'local.set': case 'local.tee':
          remove(live, ins.index!);
          break;
        default:
          break;
      }
      if (isSite(ins)) liveAtSite.set(i, live.slice());
    }
  }

  // Forward "maybe nonzero", zeroing at each site what is dead there.
  const backEdges: (Bits | undefined)[] = new Array(n);
  const branchedIn: (Bits | undefined)[] = new Array(n);
  const atIf: (Bits | undefined)[] = new Array(n);
  const thenEnd: (Bits | undefined)[] = new Array(n);
  const pending = pendingReads(func, isSite, empty);
  const keep = empty();
  for (const k of kept) if (k < localCount) add(keep, k);
  const branchTo = (i: number, depth: number, dirty: Bits): boolean => {
    const b = targetOf(parent, i, depth);
    if (b < 0) return false;
    const into = body[b]!.op === 'loop' ? backEdges : branchedIn;
    if (into[b] === undefined) into[b] = empty();
    return grow(into[b]!, dirty) && body[b]!.op === 'loop';
  };
  for (let changed = true; changed;) {
    changed = false;
    out.clear();
    branchedIn.fill(undefined);
    let dirty = empty();
    for (let k = 0; k < paramCount; k++) add(dirty, k);
    for (let i = 0; i < n; i++) {
      const ins = body[i]!;
      if (isSite(ins)) {
        const live = liveAtSite.get(i)!;
        const reads = pending.get(i)!;
        const zero: number[] = [];
        for (let k = 0; k < localCount; k++) {
          if (has(dirty, k) && !has(live, k) && !has(keep, k) && !has(reads, k)) {
            zero.push(k);
            remove(dirty, k);
          }
        }
        if (zero.length > 0) out.set(i, zero);
      }
      switch (ins.op) {
        case 'loop':
          if (backEdges[i] !== undefined) unite(dirty, backEdges[i]!);
          break;
        case 'if':
          atIf[i] = dirty.slice();
          break;
        case 'else': {
          const j = parent[i]!;
          thenEnd[j] = dirty;
          dirty = atIf[j]!.slice();
          break;
        }
        case 'end': {
          const j = startOf[i]!;
          if (j < 0) break;
          if (branchedIn[j] !== undefined) unite(dirty, branchedIn[j]!);
          if (body[j]!.op === 'if') unite(dirty, elseOf[j]! >= 0 ? thenEnd[j]! : atIf[j]!);
          break;
        }
        case 'br': case 'br_table':
          for (const d of labelsOf(ins)) if (branchTo(i, d, dirty)) changed = true;
          dirty = empty();
          break;
        case 'br_if':
          if (branchTo(i, ins.index!, dirty)) changed = true;
          break;
        case 'return': case 'unreachable':
          dirty = empty();
          break;
        case 'local.set': case 'local.tee':
          add(dirty, ins.index!);
          break;
        default:
          break;
      }
    }
  }
  return out;
}
