/**
 * Compiled code's memory access: bounds are the DataView's own, so an access
 * out of bounds must still become the spec's trap at the right function and
 * offset (and a host's RangeError must not); views held in function locals
 * must follow growth done by a callee; an i64 store that does not fit writes
 * nothing; the fused i64 copy keeps NaN payloads bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { Trap, decode, validate } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { instantiateSync } from '../../runtime/index.js';
import { SEC, T, codeEntry, funcType, module, name, section, sleb, uleb, vec } from '../helpers/wasm-builder.js';

type Bytes = readonly number[];

/** A module of `funcs` (each its own type) over one memory of `pages` (max `max`), exporting f<i> and "mem". */
function memModule(funcs: readonly { type: readonly [Bytes, Bytes]; body: Bytes; locals?: number }[], pages = 1, max = 2, imports: Bytes[] = []): Uint8Array {
  const nImp = imports.length;
  const exports = [...funcs.map((_, i) => [...name(`f${i}`), 0x00, ...uleb(nImp + i)]), [...name('mem'), 0x02, 0]];
  return module(
    section(SEC.type, vec([...funcs.map((f) => funcType(f.type[0], f.type[1])), funcType([], [])])),
    ...(nImp > 0 ? [section(SEC.import, vec(imports))] : []),
    section(SEC.function, vec(funcs.map((_, i) => uleb(i)))),
    section(SEC.memory, vec([[0x01, ...uleb(pages), ...uleb(max)]])),
    section(SEC.export, vec(exports)),
    section(SEC.code, vec(funcs.map((f) => codeEntry(f.locals === undefined ? [] : [[f.locals, T.i32]], f.body)))),
  );
}

type ExportedMemory = { buffer: ArrayBuffer; grow(delta: number): number };

/** The exported "mem" of `ex`. */
function memOf(ex: Record<string, unknown>): ExportedMemory {
  return ex['mem'] as ExportedMemory;
}

/** Memory's current contents as 32-bit words. */
function words(ex: Record<string, unknown>): Uint32Array {
  return new Uint32Array(memOf(ex).buffer);
}

function native(bytes: Uint8Array, imports = {}): Record<string, unknown> {
  return instantiateSync(bytes, imports, { mode: 'native' }).instance.exports as Record<string, unknown>;
}

const load = { type: [[T.i32], [T.i32]], body: [0x20, 0, 0x28, 2, 0, 0x0b] } as const; // (i32.load (local.get 0))

/** (func (param $n i32) (result i32)): the sum of the i32 words at 0, 4, … 4($n - 1), a loop V8 optimizes. */
const sum = {
  type: [[T.i32], [T.i32]], locals: 2,
  body: [
    0x02, 0x40, 0x03, 0x40, // block loop
    0x20, 1, 0x20, 0, 0x4f, 0x0d, 1, // br_if 1 (i >= n)
    0x20, 2, 0x20, 1, 0x41, 2, 0x74, 0x28, 2, 0, 0x6a, 0x21, 2, // s += load(i << 2)
    0x20, 1, 0x41, 1, 0x6a, 0x21, 1, 0x0c, 0, // i++; br 0
    0x0b, 0x0b, 0x20, 2, 0x0b,
  ],
} as const;
const growBy = { type: [[T.i32], [T.i32]], body: [0x20, 0, 0x40, 0, 0x0b] } as const; // (memory.grow (local.get 0))

/** Runs `f` often enough for V8's optimizing tier to take it (and its loop) on. */
function warm(f: () => void): void {
  for (let i = 0; i < 400; i++) f();
}

describe('memory in compiled code', () => {
  it('an access past the end traps with the spec message, at its function and instruction', () => {
    const nop = { type: [[], []], body: [0x0b] } as const;
    const bytes = memModule([nop, load]);
    const f1 = native(bytes)['f1'] as (a: number) => number;
    expect(f1(65532)).toBe(0);
    let err: unknown;
    try { f1(65533); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Trap);
    const trap = err as Trap;
    expect(trap.text).toBe('out of bounds memory access');
    expect(trap.funcIndex).toBe(1);
    // The load is the second instruction of the second body: its code offset, from the line table.
    expect(trap.offset).toBe(decode(bytes).funcs[1]!.body[1]!.offset);
    expect(() => f1(-4)).toThrow(/^out of bounds memory access/);
  });

  it('an access past the end in a function reached by call_indirect is located in that function', () => {
    const bytes = module(
      section(SEC.type, vec([funcType([T.i32], [T.i32])])),
      section(SEC.function, vec([[0], [0]])),
      section(SEC.table, vec([[T.funcref, 0x00, 1]])),
      section(SEC.memory, vec([[0x00, 1]])),
      section(SEC.export, vec([[...name('viaTable'), 0x00, 1]])),
      section(SEC.elem, vec([[0x00, 0x41, 0, 0x0b, ...vec([[0]])]])),
      // f0: (i32.load (local.get 0)); f1: (call_indirect (type 0) (local.get 0) (i32.const 0))
      section(SEC.code, vec([codeEntry([], load.body), codeEntry([], [0x20, 0, 0x41, 0, 0x11, 0, 0, 0x0b])])),
    );
    const viaTable = native(bytes)['viaTable'] as (a: number) => number;
    let err: unknown;
    try { viaTable(65534); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Trap);
    expect((err as Trap).funcIndex).toBe(0);
    expect((err as Trap).offset).toBe(decode(bytes).funcs[0]!.body[1]!.offset);
  });

  it("a host function's own DataView RangeError passes through compiled code as it is", () => {
    const callHost = { type: [[], []], body: [0x10, 0, 0x0b] } as const; // (call $host)
    const imp = [...name('m'), ...name('host'), 0x00, ...uleb(1)];
    const bytes = memModule([callHost], 1, 2, [imp]);
    const host = (): void => {
      new DataView(new ArrayBuffer(1)).getInt32(0);
    };
    const f0 = native(bytes, { m: { host } })['f0'] as () => void;
    let err: unknown;
    try { f0(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RangeError);
    expect(err).not.toBeInstanceOf(Trap);
  });

  it('memory grown by a callee is seen by the caller\'s next access', () => {
    const grow = { type: [[], [T.i32]], body: [0x41, 1, 0x40, 0, 0x0b] } as const; // (memory.grow (i32.const 1))
    // (call $grow) drop (i32.load (local.get 0))
    const after = { type: [[T.i32], [T.i32]], body: [0x10, 0, 0x1a, 0x20, 0, 0x28, 2, 0, 0x0b] } as const;
    const ex = native(memModule([grow, after]));
    const f1 = ex['f1'] as (a: number) => number;
    expect(f1(65536 + 100)).toBe(0);
    expect(memOf(ex).buffer.byteLength).toBe(2 * 65536);
  });

  it('memory grown after its readers got hot is what they read next: new words and new pages, grown inside and by the host', () => {
    const ex = native(memModule([sum, growBy], 1, 3));
    const f0 = ex['f0'] as (n: number) => number, f1 = ex['f1'] as (d: number) => number;
    words(ex).fill(1);
    warm(() => expect(f0(16384)).toBe(16384));
    expect(f1(1)).toBe(1); // memory.grow inside: the optimized reader's view is stale now
    words(ex)[0] = 1000;
    words(ex)[16384] = 7;
    expect(f0(16384)).toBe(16383 + 1000);
    expect(f0(16385)).toBe(16383 + 1000 + 7);
    warm(() => f0(16385));
    expect(memOf(ex).grow(1)).toBe(2); // and by the host
    words(ex)[1] = 2000;
    words(ex)[32768] = 5;
    expect(f0(32769)).toBe(16382 + 3000 + 7 + 5);
    expect(f1(1)).toBe(-1); // past the maximum: nothing changes
    expect(f0(32769)).toBe(16382 + 3000 + 7 + 5);
    expect(() => f0(49153)).toThrow(/out of bounds memory access/);
  });

  it("one instance's growth leaves another instance of the same module reading its own memory", () => {
    const bytes = memModule([sum, growBy], 1, 3);
    const a = native(bytes), b = native(bytes);
    const sumA = a['f0'] as (n: number) => number, sumB = b['f0'] as (n: number) => number;
    words(a).fill(1);
    words(b).fill(2);
    warm(() => { expect(sumA(16384)).toBe(16384); expect(sumB(16384)).toBe(32768); });
    expect((a['f1'] as (d: number) => number)(1)).toBe(1);
    words(a)[16384] = 9;
    words(b)[0] = 0;
    expect(sumA(16385)).toBe(16384 + 9);
    expect(sumB(16384)).toBe(32766);
    expect(() => sumB(16385)).toThrow(/out of bounds memory access/);
  });

  it('native code is loaded afresh after the 1st, 2nd and 4th growth; a call running across one finishes in the code it started in', () => {
    // f0 = sum, f1 = (memory.grow (local.get 0)), f2 = (call $h) (i32.load (local.get 0)), where the host's $h grows memory.
    const callThenLoad = { type: [[T.i32], [T.i32]], body: [0x10, 0, 0x20, 0, 0x28, 2, 0, 0x0b] } as const;
    const bytes = memModule([sum, growBy, callThenLoad], 1, 8, [[...name('env'), ...name('h'), 0x00, 3]]);
    let mem: ExportedMemory | undefined;
    const h = (): void => {
      mem!.grow(1);
      new Uint32Array(mem!.buffer)[16386] = 42;
    };
    const { instance } = instantiateSync(bytes, { env: { h } }, { mode: 'native' });
    const ex = instance.exports as Record<string, unknown>;
    mem = memOf(ex);
    const f0 = ex['f0'] as (n: number) => number, f1 = ex['f1'] as (d: number) => number, f2 = ex['f2'] as (a: number) => number;
    const entry = (): unknown => (instance.state.funcs[1] as { compiled?: unknown }).compiled;
    words(ex).fill(1);
    warm(() => expect(f0(16384)).toBe(16384));
    const entries = [entry()];
    expect(f2(65536 + 8)).toBe(42); // growth 1 inside the call: f2 reads the new page in the code it started in
    entries.push(entry());
    for (let g = 2; g <= 4; g++) {
      expect(f1(1)).toBe(g);
      entries.push(entry());
      expect(f0(16387)).toBe(16384 + 42);
    }
    expect(entries.map((e, i) => i === 0 || e !== entries[i - 1])).toEqual([true, true, true, false, true]);
    expect(new Set(entries).size).toBe(4);
  });

  it('an instance out of native mode when memory grows gets fresh native code when it goes back', () => {
    const { instance } = instantiateSync(memModule([sum, growBy], 1, 3), {}, { mode: 'native' });
    const ex = instance.exports as Record<string, unknown>;
    const f0 = ex['f0'] as (n: number) => number, f1 = ex['f1'] as (d: number) => number;
    const entry = (): unknown => (instance.state.funcs[0] as { compiled?: unknown }).compiled;
    words(ex).fill(1);
    const before = entry();
    instance.mode = 'debug';
    expect(f1(1)).toBe(1); // the interpreter grows memory
    expect(entry()).toBeUndefined();
    instance.mode = 'native';
    expect(entry()).not.toBe(before);
    words(ex)[16384] = 5;
    expect(f0(16385)).toBe(16384 + 5);
  });

  it("keeps memory 0's views in fields of an object of the instance's own class, read into locals at entry", () => {
    const m = decode(memModule([sum, growBy], 1, 3));
    validate(m);
    const js = compile(m, { sourceMap: false, checkpoints: false }).js;
    expect(js).toContain('const V = new (class { constructor(m) { this.dv = m.dv; this.len = m.u8.length; this.gen = m.generation; } })(M0);');
    expect(js).toMatch(/function f0\(l0\) \{[^}]*dv = V\.dv;/);
    // memory.grow refreshes only when the generation moved: a failed or empty grow keeps the views' fields as they were.
    expect(js).toContain('s0 = M0.grow(l0 >>> 0);\n if (M0.generation !== V.gen) refresh();');
    expect(js).not.toMatch(/\bDV\b/);
  });

  it('an i64 store that does not fit traps without writing any byte', () => {
    const store = { type: [[T.i32, T.i64], []], body: [0x20, 0, 0x20, 1, 0x37, 3, 0, 0x0b] } as const;
    const ex = native(memModule([store]));
    expect(() => (ex['f0'] as (a: number, v: bigint) => void)(65532, -1n)).toThrow(/^out of bounds memory access/);
    const u8 = new Uint8Array(memOf(ex).buffer);
    expect([...u8.subarray(65528)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('an i64 copied by a load straight into a store keeps every bit, signalling NaN patterns included', () => {
    // (i64.store (local.get 0) (i64.load (local.get 1)))
    const copy = { type: [[T.i32, T.i32], []], body: [0x20, 0, 0x20, 1, 0x29, 3, 0, 0x37, 3, 0, 0x0b] } as const;
    const ex = native(memModule([copy]));
    const f0 = ex['f0'] as (d: number, s: number) => void;
    const dv = new DataView(memOf(ex).buffer);
    const patterns: [number, number][] = [[1, 0x7ff00000], [0, 0x7ff40000], [5, 0xfff00000 | 0], [0x12345678, 0x7ff80000], [-1, -1]];
    for (let r = 0; r < 20000; r++) {
      const [lo, hi] = patterns[r % patterns.length]!;
      dv.setInt32(8, lo, true);
      dv.setInt32(12, hi, true);
      const to = 16 + (r % 3) * 9; // aligned and not
      f0(to, 8);
      expect(dv.getInt32(to, true) === lo && dv.getInt32(to + 4, true) === hi, `pattern ${lo} ${hi} at ${to}`).toBe(true);
    }
    expect(() => f0(65530, 8)).toThrow(/^out of bounds memory access/);
    expect(() => f0(8, 65530)).toThrow(/^out of bounds memory access/);
  });

  it('i64 constants stored to memory keep their exact bits, whether or not they read as a double', () => {
    const values = [0n, 1n, -1n, 0x3ff0000000000000n, -0x8000000000000000n, 0x7ff0000000000000n, 0x7ff8000000000001n, 0x123456789abcdefn];
    // for each value k: (i64.store offset=8k (local.get 0) (i64.const value))
    const body = values.flatMap((v, k) => [0x20, 0, 0x42, ...sleb(v), 0x37, 3, ...uleb(8 * k)]);
    const ex = native(memModule([{ type: [[T.i32], []], body: [...body, 0x0b] }]));
    (ex['f0'] as (a: number) => void)(16);
    const dv = new DataView(memOf(ex).buffer);
    values.forEach((v, k) => expect(dv.getBigInt64(16 + 8 * k, true), `value ${v}`).toBe(v));
    expect(() => (ex['f0'] as (a: number) => void)(65536 - 60)).toThrow(/^out of bounds memory access/);
  });
});

describe('f32 stores of computed values', () => {
  // The store's own rounding replaces the dropped fround (emit/memory.ts unroundStored).
  const bitsOf = (x: number): number => new Int32Array(new Float32Array([x]).buffer)[0]!;
  const seeds = [1.1, -2.5, 3.4028234663852886e38, 1e-45, 16777217, 0.1, -0.30000001192092896, 7.006492321624085e-46];
  it('an f32.add of operands still pending stores the f32-rounded sum', () => {
    // (f32.store (local.get 2) (f32.add (local.get 0) (local.get 1))) (i32.load (local.get 2))
    const body = [0x20, 2, 0x20, 0, 0x20, 1, 0x92, 0x38, 2, 0, 0x20, 2, 0x28, 2, 0, 0x0b];
    const f0 = native(memModule([{ type: [[T.f32, T.f32, T.i32], [T.i32]], body }]))['f0'] as (a: number, b: number, p: number) => number;
    for (const a of seeds) for (const b of seeds) {
      const x = Math.fround(a), y = Math.fround(b);
      expect(f0(x, y, 16), `${x} + ${y}`).toBe(bitsOf(x + y));
    }
  });
  it('an f32.mul of loaded operands stores the f32-rounded product', () => {
    // (f32.store offset=8 (local.get 0) (f32.mul (f32.load (local.get 0)) (f32.load offset=4 (local.get 0)))) (i32.load offset=8 (local.get 0))
    const body = [0x20, 0, 0x20, 0, 0x2a, 2, 0, 0x20, 0, 0x2a, 2, 4, 0x94, 0x38, 2, 8, 0x20, 0, 0x28, 2, 8, 0x0b];
    const exports = native(memModule([{ type: [[T.i32], [T.i32]], body }]));
    const f0 = exports['f0'] as (p: number) => number;
    const mem = new Float32Array(memOf(exports).buffer);
    for (const a of seeds) for (const b of seeds) {
      mem[8] = a;
      mem[9] = b;
      expect(f0(32), `${a} * ${b}`).toBe(bitsOf(Math.fround(a) * Math.fround(b)));
    }
  });
});
