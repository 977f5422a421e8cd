/**
 * Which stores the emitter writes as one f64 store of a double:
 * - pairs of i32 stores in a row to one base local, the first 4 bytes above
 *   the second, of values that are constants or locals the innermost
 *   enclosing loop never writes (a memset's word loop):
 *
 *     local.get 3  i32.const 60  i32.add  local.get 2  i32.store
 *     local.get 3  i32.const 56  i32.add  local.get 2  i32.store
 *
 *       w2_2 = f64FromBits(l2, l2);                     (before `while (true) {`)
 *       …
 *       a = ((l3 + 56) | 0);
 *       if ((a >>> 0) > 4294967291) { …the two int32 stores… } else {
 *        dv.setFloat64(((l3 + 56) | 0) >>> 0, w2_2, true);
 *       }
 *
 * - i64 stores of a local the innermost enclosing loop never writes (musl's
 *   memset, as in wasi-libc: `*(u64 *)(s+8) = c64`), instead of two int32
 *   stores of its halves:
 *
 *     local.get 1  local.get 6  i64.store offset=8
 *
 *       w6 = f64FromBits(l6, l6h);                      (before `while (true) {`)
 *       …
 *       dv.setFloat64((l1 >>> 0) + 8, w6, true);
 *
 * Why: V8 reloads a DataView's fields (map, length, data pointer) after each
 * of its stores, so a store's cost is mostly its checks, not its bytes:
 * bench/kernels/memops ran 2.10x → 1.67x of V8's WebAssembly, a loop over
 * wasi-libc's memset 5.3x → 2.6x. The double is built once per entry to the
 * loop; built at each store it was slower than two int32 stores (the 8-byte
 * read of the two 4-byte writes stalls).
 *
 * Invariants:
 * - Trap-exact: an i64 store is one 8-byte access either way. A merged pair
 *   covers the same 8 bytes and fails exactly when the first store (the
 *   higher one) would, at its offset, before writing anything, as the pair
 *   does. Pairs the other way round (lower first) are left alone: there the
 *   first store may succeed before the second traps. When the addresses are
 *   `base + c` and `base + c + 4`, the sum can wrap between them (base + c
 *   just below 2^32): then the higher store lands at the bottom of memory
 *   and succeeds, so that case (one compare for a run of pairs on one base,
 *   which the branch predictor always gets right) runs the stores one by one.
 * - Bits exact: the double is only moved between the pun and the DataView
 *   (as copy64 in emit/memory.ts does), never computed on, so NaN patterns
 *   keep every bit.
 * - A hoisted double is recomputed at every entry to the loop, which writes
 *   none of its locals, so it holds their current bits at each store.
 *   Stores outside any loop merge only with constants.
 */
import type { BlockStructure, Func, Instr } from '../../interpreter/core.js';

export type PairValue = { readonly local: number } | { readonly constant: number };

/** One merged pair, at the first store's body index. */
export interface StorePair {
  /** The value of the lower 4 bytes (the second store's). */
  readonly lo: PairValue;
  /** The value of the upper 4 bytes (the first store's). */
  readonly hi: PairValue;
  /** The base local both addresses start from. */
  readonly base: number;
  /** The `i32.const` added to the base before each store (0: none); `hiAdd` is the first store's. */
  readonly loAdd: number;
  readonly hiAdd: number;
  /** The lower store's memarg offset (the upper one's is this, or this + 4 when the adds are equal). */
  readonly offset: number;
  readonly hiOffset: number;
  /** The body indices of the first (upper) and second (lower) store: where a trap of each is reported. */
  readonly hiAt: number;
  readonly loAt: number;
}

/** Pairs in a row on one base, emitted together (one wrap guard for all). */
export interface StoreRun {
  readonly pairs: readonly StorePair[];
  /** Body instructions after the run's first store that it covers. */
  readonly skip: number;
}

/** A double built before a loop: of two i32 locals (low word, high word), or of one i64 local. */
export type Hoisted = { readonly lo: number; readonly hi: number } | { readonly i64: number };

export interface StorePairs {
  /** By the body index of a run's first store. */
  readonly runs: ReadonlyMap<number, StoreRun>;
  /** By the body index of an `i64.store` of a loop-invariant local: the local. */
  readonly wide: ReadonlyMap<number, number>;
  /** By a `loop`'s body index: the doubles built before it. */
  readonly hoisted: ReadonlyMap<number, readonly Hoisted[]>;
}

/** The variable holding a hoisted double. */
export function hoistedName(h: Hoisted): string {
  return 'i64' in h ? `w${h.i64}` : `w${h.lo}_${h.hi}`;
}

/** The merged stores of `func` (with `structure`, its blockStructure). */
export function storePairs(func: Func, structure: BlockStructure): StorePairs {
  const body = func.body;
  const written = writtenInLoops(body, structure);
  const runs = new Map<number, StoreRun>();
  const wide = new Map<number, number>();
  const hoisted = new Map<number, Hoisted[]>();
  /** Registers the double of `locals` (built as `h`) before the innermost loop around `at`, if that loop writes none of them. */
  const hoist = (at: number, locals: readonly number[], h: Hoisted): boolean => {
    const loop = innermostLoop(body, structure, at);
    if (loop < 0 || locals.some((l) => written.get(loop)!.has(l))) return false;
    const list = hoisted.get(loop) ?? [];
    if (!list.some((x) => hoistedName(x) === hoistedName(h))) list.push(h);
    hoisted.set(loop, list);
    return true;
  };
  /** Whether `pair` (at body index `at`) can be merged; registers its double for hoisting if it needs one. */
  const usable = (pair: StorePair, at: number): boolean => {
    const { lo, hi } = pair;
    if (!('local' in lo) && !('local' in hi)) return true;
    // A local and a constant together are rare enough to leave alone.
    if (!('local' in lo && 'local' in hi)) return false;
    return hoist(at, [lo.local, hi.local], { lo: lo.local, hi: hi.local });
  };
  for (let i = 1; i < body.length; i++) {
    const v = body[i - 1]!;
    if (body[i]!.op === 'i64.store' && v.op === 'local.get' && hoist(i, [v.index!], { i64: v.index! })) wide.set(i, v.index!);
  }
  for (let i = 0; i < body.length; i++) {
    const run: StorePair[] = [];
    let start = -1, end = -1;
    for (let at = i; ;) {
      const first = storeAt(body, at);
      const second = first === null ? null : storeAt(body, first.end + 1);
      const pair = second === null ? null : pairOf(first!, second);
      if (pair === null || (run.length > 0 && pair.base !== run[0]!.base) || !usable(pair, at)) break;
      if (run.length === 0) start = first!.end;
      run.push(pair);
      end = second!.end;
      at = end + 1;
    }
    if (run.length === 0) continue;
    runs.set(start, { pairs: run, skip: end - start });
    i = end;
  }
  return { runs, wide, hoisted };
}

/** An i32.store of `local.get base [i32.const add i32.add]` and a value, starting at body index `at`. */
interface Store {
  readonly base: number;
  readonly add: number | null;
  readonly value: PairValue;
  readonly offset: number;
  /** The store's body index. */
  readonly end: number;
}

function storeAt(body: readonly Instr[], at: number): Store | null {
  const b = body[at];
  if (b?.op !== 'local.get') return null;
  let k = at + 1;
  let add: number | null = null;
  if (body[k]?.op === 'i32.const' && body[k + 1]?.op === 'i32.add') {
    add = body[k]!.value as number;
    k += 2;
  }
  const v = body[k], s = body[k + 1];
  if (v === undefined || s?.op !== 'i32.store') return null;
  const value: PairValue | null = v.op === 'local.get' ? { local: v.index! } : v.op === 'i32.const' ? { constant: v.value as number } : null;
  if (value === null) return null;
  return { base: b.index!, add, value, offset: s.memarg!.offset, end: k + 1 };
}

/** The pair `first` (upper) and `second` (lower, 4 bytes below) make, or null. */
function pairOf(first: Store, second: Store): StorePair | null {
  if (first.base !== second.base) return null;
  const hiAdd = first.add ?? 0, loAdd = second.add ?? 0;
  const byOffset = hiAdd === loAdd && first.offset === second.offset + 4;
  const byAdd = hiAdd === loAdd + 4 && first.offset === second.offset;
  if (!byOffset && !byAdd) return null;
  return {
    lo: second.value, hi: first.value, base: first.base, loAdd, hiAdd, offset: second.offset, hiOffset: first.offset,
    hiAt: first.end, loAt: second.end,
  };
}

/** The body index of the innermost `loop` containing instruction `i` (-1: none). */
function innermostLoop(body: readonly Instr[], structure: BlockStructure, i: number): number {
  for (let b = structure.parent[i]!; b >= 0; b = structure.parent[b]!) if (body[b]!.op === 'loop') return b;
  return -1;
}

/** For each `loop` (by body index): the locals its body writes (`local.set` / `local.tee`), nested blocks included. */
function writtenInLoops(body: readonly Instr[], structure: BlockStructure): Map<number, Set<number>> {
  const written = new Map<number, Set<number>>();
  for (let i = 0; i < body.length; i++) if (body[i]!.op === 'loop') written.set(i, new Set());
  for (let i = 0; i < body.length; i++) {
    const ins = body[i]!;
    if (ins.op !== 'local.set' && ins.op !== 'local.tee') continue;
    for (let b = structure.parent[i]!; b >= 0; b = structure.parent[b]!) written.get(b)?.add(ins.index!);
  }
  return written;
}
