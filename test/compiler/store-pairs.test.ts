/**
 * Merged i32 store pairs (compiler/passes/store-pairs.ts, emit/memory.ts
 * storeRun): which pairs merge, and that merged code leaves memory exactly
 * as the interpreter does, bit for bit (NaN patterns included), also when a
 * store traps at the end of memory or an address sum wraps past 2^32
 * between the two stores of a pair.
 */
import { describe, expect, it } from 'vitest';
import { blockStructure, decode, validate } from '../../interpreter/index.js';
import { storePairs } from '../../compiler/passes/store-pairs.js';
import { compile } from '../../compiler/index.js';
import { instantiateSync } from '../../runtime/index.js';
import { SEC, T, codeEntry, funcType, module, name, section, sleb, vec } from '../helpers/wasm-builder.js';

type Bytes = readonly number[];
const get = (k: number): Bytes => [0x20, k];
const set = (k: number): Bytes => [0x21, k];
const i32 = (v: number): Bytes => [0x41, ...sleb(v)];
const add: Bytes = [0x6a];
const store = (offset = 0): Bytes => [0x36, 2, ...sleb(offset).map((b, i, a) => (i === a.length - 1 ? b & 0x7f : b))];
const loop: Bytes = [0x03, 0x40], end: Bytes = [0x0b];
const brIf = (d: number): Bytes => [0x0d, d];

/** `i32.store` of `value` at `local.get base` + `c` (an i32.add when c is not 0) + offset. */
const st = (base: number, c: number, value: Bytes, offset = 0): Bytes =>
  [...get(base), ...(c === 0 ? [] : [...i32(c), ...add]), ...value, ...store(offset)];

/**
 * f(p, lo, hi, n): `body` inside a loop run n times (n >= 1) that advances p
 * by 16 each round (`pre` before it); one page of memory, exported as "mem".
 */
function loopModule(body: Bytes, pre: Bytes = [], locals: readonly (readonly [number, number])[] = []): Uint8Array {
  const full = [
    ...pre, ...loop, ...body,
    ...get(0), ...i32(16), ...add, ...set(0),
    ...get(3), ...i32(-1), ...add, ...set(3), ...get(3), ...brIf(0), ...end,
  ];
  return module(
    section(SEC.type, vec([funcType([T.i32, T.i32, T.i32, T.i32], [])])),
    section(SEC.function, vec([[0]])),
    section(SEC.memory, vec([[0x00, 1]])),
    section(SEC.export, vec([[...name('f'), 0x00, 0], [...name('mem'), 0x02, 0]])),
    section(SEC.code, vec([codeEntry(locals, [...full, 0x0b])])),
  );
}

/** Memset's word loop: pairs at p+12/p+8 and p+4/p (adds), of (lo, hi) = (local 1, local 2). */
const memsetBody = [...st(0, 12, get(2)), ...st(0, 8, get(1)), ...st(0, 4, get(2)), ...st(0, 0, get(1))];

/** Local 4 (an i64) = hi:lo of locals 2 and 1, then i64 stores of it at p and p+8 in the loop. */
const wideStores = (loopBody: Bytes = []): Uint8Array => loopModule(
  [...loopBody, ...get(0), ...get(4), 0x37, 3, 0, ...get(0), ...get(4), 0x37, 3, 8],
  [...get(1), 0xad, ...get(2), 0xad, 0x42, 32, 0x86, 0x84, ...set(4)],
  [[1, T.i64]],
);

/** The merged runs of the module's function, as `first store index: pair count`, and its merged i64 stores. */
function runsOf(bytes: Uint8Array): string[] {
  const m = decode(bytes);
  validate(m);
  const f = m.funcs[0]!;
  const { runs, wide } = storePairs(f, blockStructure(f));
  return [...[...runs].map(([i, r]) => `${i}: ${r.pairs.length}`), ...[...wide].map(([i, l]) => `${i}: i64 l${l}`)];
}

function jsOf(bytes: Uint8Array, checkpoints: false | 'traps' = false): string {
  const m = decode(bytes);
  validate(m);
  return compile(m, { sourceMap: false, checkpoints }).js;
}

/** Runs f(args) in `mode`; returns the memory's bytes and the error, if any. */
function run(bytes: Uint8Array, mode: 'native' | 'native-debug' | 'debug', args: readonly number[]): { mem: Uint8Array; error: string } {
  const ex = instantiateSync(bytes, {}, { mode }).instance.exports as Record<string, unknown>;
  let error = '';
  try {
    (ex['f'] as (...a: number[]) => void)(...args);
  } catch (e) {
    error = (e as Error).message;
  }
  return { mem: new Uint8Array((ex['mem'] as { buffer: ArrayBuffer }).buffer).slice(), error };
}

/** Native, native-debug and the interpreter leave the same memory and error. */
function expectSame(bytes: Uint8Array, args: readonly number[]): { mem: Uint8Array; error: string } {
  const want = run(bytes, 'debug', args);
  for (const mode of ['native', 'native-debug'] as const) {
    const got = run(bytes, mode, args);
    expect(got.error, mode).toBe(want.error);
    expect(Buffer.from(got.mem).equals(Buffer.from(want.mem)), `${mode}: memory differs`).toBe(true);
  }
  return want;
}

describe('store pairs: which merge', () => {
  it('a descending pair of loop-invariant locals merges, and a run of them shares one entry', () => {
    expect(runsOf(loopModule(memsetBody))).toEqual(['5: 2']);
    const js = jsOf(loopModule(memsetBody));
    expect(js).toContain('w1_2 = f64FromBits(l1, l2);');
    expect(js).toContain('dv.setFloat64(((l0 + 8) | 0) >>> 0, w1_2, true);');
    expect(js).toContain('dv.setFloat64(l0 >>> 0, w1_2, true);');
  });

  it('an ascending pair does not merge: its first store can succeed before the second traps', () => {
    expect(runsOf(loopModule([...st(0, 0, get(1)), ...st(0, 4, get(2))]))).toEqual([]);
  });

  it('a pair of a local the loop writes does not merge', () => {
    const writes = [...get(1), ...i32(1), ...add, ...set(1)];
    expect(runsOf(loopModule([...writes, ...memsetBody]))).toEqual([]);
  });

  it('pairs by memarg offset merge, one with a local and a constant does not', () => {
    expect(runsOf(loopModule([...st(0, 0, get(2), 4), ...st(0, 0, get(1), 0)]))).toEqual(['3: 1']);
    expect(runsOf(loopModule([...st(0, 0, i32(7), 4), ...st(0, 0, get(1), 0)]))).toEqual([]);
  });

  it('an i64 store of a local the loop does not write is one f64 store; of one it writes, two int32 stores', () => {
    expect(runsOf(wideStores())).toEqual(['11: i64 l4', '14: i64 l4']);
    const js = jsOf(wideStores());
    expect(js).toContain('w4 = f64FromBits(l4, l4h);');
    expect(js).toContain('dv.setFloat64((l0 >>> 0) + 8, w4, true);');
    const writes = [...get(4), 0x42, 1, 0x7c, ...set(4)]; // l4 += 1
    expect(runsOf(wideStores(writes))).toEqual([]);
  });

  it('checkpointed code merges them too, its trap catch rebuilding the operands at every store of a run', () => {
    expect(jsOf(wideStores(), 'traps')).toContain('dv.setFloat64((l0 >>> 0) + 8, w4, true);');
    const js = jsOf(loopModule(memsetBody), 'traps');
    expect(js).toContain('dv.setFloat64(l0 >>> 0, w1_2, true);');
    // Every store of the run (p+12, p+8, p+4, p) has its rebuild: the first's from the emitter's own
    // stack, the others' from the run's.
    const m = decode(loopModule(memsetBody));
    const stores = m.funcs[0]!.body.filter((ins) => ins.op === 'i32.store').map((ins) => ins.offset);
    const rebuilt = [...js.matchAll(/case (\d+): s0 = ([^;]*); s1 = (l\d);/g)].map((c) => `${c[1]}: ${c[2]}, ${c[3]}`);
    expect(rebuilt).toEqual([
      `${stores[0]}: ((l0 + 12) | 0), l2`, `${stores[1]}: ((l0 + 8) | 0), l1`, `${stores[2]}: ((l0 + 4) | 0), l2`, `${stores[3]}: l0, l1`,
    ]);
  });

  it('outside a loop, only constant pairs merge', () => {
    const consts = [...st(0, 0, i32(0x7ff00000), 4), ...st(0, 0, i32(1), 0)];
    const locals = [...st(0, 0, get(2), 4), ...st(0, 0, get(1), 0)];
    expect(runsOf(loopModule([], consts))).toEqual(['2: 1']);
    expect(runsOf(loopModule([], locals))).toEqual([]);
  });
});

describe('store pairs: memory as the interpreter leaves it', () => {
  const patterns = [0, -1, 0x12345678, 0x7ff00001, 0x7ff80000, -0x800000, 0x7f800001, 1];

  it('every bit pattern, NaNs included, in both words', () => {
    for (const lo of patterns) for (const hi of [lo, 0x7ff00000, -1]) expectSame(loopModule(memsetBody), [64, lo, hi, 5]);
  });

  it('i64 stores of every bit pattern, and one past the end writing nothing', () => {
    for (const lo of patterns) for (const hi of [lo, 0x7ff00000, 0x7ff80000, -1]) expectSame(wideStores(), [64, lo, hi, 3]);
    for (const p of [65536 - 20, 65536 - 16, 65536 - 12, 65536 - 4]) {
      expect(expectSame(wideStores(), [p, 0x01020304, 0x7ff00005, 2]).error).toMatch(/^out of bounds memory access/);
    }
  });

  it('an i64 constant whose double is a NaN or an infinity is stored bit for bit', () => {
    for (const bits of [0x7ff0000000000001n, -0x8000000000001n, 0x7ff0000000000000n, -0x10000000000000n, 0x7ff8000000000abcn]) {
      const { mem } = expectSame(loopModule([], [...get(0), 0x42, ...sleb(bits), 0x37, 3, 0]), [40, 0, 0, 1]);
      expect(new DataView(mem.buffer).getBigInt64(40, true)).toBe(bits);
    }
  });

  it('a constant pair whose double is a signalling NaN', () => {
    const consts = [...st(0, 0, i32(0x7ff00000), 4), ...st(0, 0, i32(1), 0)];
    const { mem } = expectSame(loopModule([], consts), [24, 0, 0, 1]);
    expect([...mem.slice(24, 32)]).toEqual([1, 0, 0, 0, 0, 0, 0xf0, 0x7f]);
  });

  it('a pair past the end of memory traps before writing either word', () => {
    for (const p of [65536 - 14, 65536 - 12, 65536 - 8, 65536 - 2, 65536]) {
      const { error } = expectSame(loopModule(memsetBody), [p, 0x01020304, 0x05060708, 1]);
      expect(error).toMatch(/^out of bounds memory access/);
    }
  });

  it('a run whose later pair traps leaves the earlier pair written', () => {
    const ascending = [...st(0, 4, get(2)), ...st(0, 0, get(1)), ...st(0, 12, get(2)), ...st(0, 8, get(1))];
    expect(runsOf(loopModule(ascending))).toEqual(['5: 2']);
    for (const p of [65536 - 12, 65536 - 10, 65536 - 6]) {
      const { mem, error } = expectSame(loopModule(ascending), [p, 0x01020304, 0x05060708, 1]);
      expect(error).toMatch(/^out of bounds memory access/);
      if (p === 65536 - 12) expect([...mem.slice(p, p + 8)]).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    }
  });

  it('an address sum that wraps past 2^32 between a pair\'s stores writes the upper word at the bottom first', () => {
    // p + 8 = 2^32 - 4: the p+12 store lands at 0 and succeeds, the p+8 one traps.
    const { mem, error } = expectSame(loopModule(memsetBody), [-12, 0x01020304, 0x05060708, 1]);
    expect(error).toMatch(/^out of bounds memory access/);
    expect([...mem.slice(0, 4)]).toEqual([8, 7, 6, 5]);
    // One round in bounds first, then the wrapping one.
    for (const p of [-16, -8, -4, -28]) expectSame(loopModule(memsetBody), [p, 0x0a0b0c0d, -2, 3]);
  });
});

describe('store pairs: random runs of stores', () => {
  it('leave memory and traps as the interpreter does, at addresses near both ends of memory and of 2^32', () => {
    let state = 0x2545f491;
    const next = (k: number): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % k;
    };
    const locals = [get(1), get(2)], constants = [i32(0x7ff00001), i32(-1), i32(0), i32(0x12345678)];
    const pick = (from: readonly Bytes[]): Bytes => from[next(from.length)]!;
    let merged = 0;
    for (let round = 0; round < 60; round++) {
      const stores: Bytes[] = [];
      for (let k = 1 + next(4); k > 0; k--) {
        // A pair 4 bytes apart, upper first (by add or by offset; two locals, two constants or one of
        // each), or now and then the other way round, or a lone store.
        const add = 4 * next(18) - 8, offset = 4 * next(3), kind = next(6);
        const [hi, lo] = next(3) === 0 ? [pick(locals), pick(constants)] : next(2) === 0 ? [pick(locals), pick(locals)] : [pick(constants), pick(constants)];
        if (kind === 0) stores.push(st(0, add, hi, offset));
        else if (kind === 1) stores.push(st(0, add - 4, lo, offset), st(0, add, hi, offset));
        else if (kind < 4) stores.push(st(0, add, hi, offset), st(0, add - 4, lo, offset));
        else stores.push(st(0, add, hi, offset + 4), st(0, add, lo, offset));
      }
      const bytes = loopModule(stores.flat());
      merged += runsOf(bytes).length;
      for (const p of [64, 65536 - 60 - 4 * next(8), 65536 - 4 * next(20), -4 * next(20), 0x7ffffff0]) {
        expectSame(bytes, [p, 0x01020304, 0x7ff80000, 2]);
      }
    }
    expect(merged, 'some runs merged').toBeGreaterThan(20);
  });
});
