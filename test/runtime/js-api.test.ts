/**
 * The JS-API-shaped runtime: exports as functions (i64 as BigInt), Memory /
 * Table / Global objects over the shared state, instances linking to each
 * other's exports, and the tier switching per call on one instance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Trap, decode, validate as validateModule, instantiate as instantiateState } from '../../interpreter/index.js';
import { compile, loadCompiled } from '../../compiler/index.js';
import { Global, Memory, WasmflipModule, instantiate, validate } from '../../runtime/index.js';
import { SEC, T, codeEntry, funcType, module, name, section, uleb, vec } from '../helpers/wasm-builder.js';
import { WASM2_FEATURES, wat } from './wat.js';

/** (memory (export "mem") 1 3) (global (export "g") (mut i64) 5) (func (export "bump") (param i64) (result i64)
 *  g += p; store g at 8; return g) (func (export "grow") (result i32) memory.grow 1) */
function counterModule(): Uint8Array {
  return module(
    section(SEC.type, vec([funcType([T.i64], [T.i64]), funcType([], [T.i32])])),
    section(SEC.function, vec([[0], [1]])),
    section(SEC.memory, vec([[0x01, 1, 3]])),
    section(SEC.global, vec([[T.i64, 1, 0x42, 5, 0x0b]])),
    section(SEC.export, vec([[...name('mem'), 2, 0], [...name('g'), 3, 0], [...name('bump'), 0, 0], [...name('grow'), 0, 1]])),
    section(SEC.code, vec([
      codeEntry([], [0x23, 0, 0x20, 0, 0x7c, 0x24, 0, 0x41, 8, 0x23, 0, 0x37, 3, 0, 0x23, 0, 0x0b]),
      codeEntry([], [0x41, 1, 0x40, 0, 0x0b]),
    ])),
  );
}

/** (import "m" "bump" (func (param i64) (result i64))) (func (export "twice") (param i64) (result i64) bump(bump(p))) */
function userModule(): Uint8Array {
  return module(
    section(SEC.type, vec([funcType([T.i64], [T.i64])])),
    section(SEC.import, vec([[...name('m'), ...name('bump'), 0x00, 0]])),
    section(SEC.function, vec([[0]])),
    section(SEC.export, vec([[...name('twice'), 0, 1]])),
    section(SEC.code, vec([codeEntry([], [0x20, 0, 0x10, 0, 0x10, 0, 0x0b])])),
  );
}

describe('instantiate in the shape of the WebAssembly JS API', () => {
  it('exports functions taking and returning BigInt i64, a Memory and a Global over the same state', async () => {
    const { instance } = await instantiate(counterModule(), {}, { mode: 'native' });
    const bump = instance.exports['bump'] as (x: bigint) => bigint;
    const mem = instance.exports['mem'] as Memory;
    const g = instance.exports['g'] as Global;
    expect(bump(10n)).toBe(15n);
    expect(g.value).toBe(15n);
    expect(new DataView(mem.buffer).getBigInt64(8, true)).toBe(15n);
    g.value = -(1n << 62n);
    expect(bump(1n)).toBe(-(1n << 62n) + 1n);
    expect(mem.grow(1)).toBe(1);
    expect(mem.buffer.byteLength).toBe(2 * 65536);
    expect((instance.exports['grow'] as () => number)()).toBe(2);
    expect((instance.exports['grow'] as () => number)()).toBe(-1);
    expect(() => mem.grow(1)).toThrow(RangeError);
  });

  it('switches tier per call on one instance: debug and native see each other\'s writes', async () => {
    const { instance } = await instantiate(counterModule(), {}, { mode: 'native' });
    const bump = instance.exports['bump'] as (x: bigint) => bigint;
    expect(bump(1n)).toBe(6n);
    instance.mode = 'debug';
    expect(bump(1n)).toBe(7n);
    instance.mode = 'native';
    expect(bump(1n)).toBe(8n);
  });

  it('links one instance\'s exports into another, across tiers', async () => {
    const { instance: a } = await instantiate(counterModule(), {}, { mode: 'debug' });
    const { instance: b } = await instantiate(userModule(), { m: { bump: a.exports['bump'] } }, { mode: 'native' });
    expect((b.exports['twice'] as (x: bigint) => bigint)(3n)).toBe(16n);
    expect((a.exports['g'] as Global).value).toBe(16n);
  });

  it('calls host imports with canonical values and validates bytes', async () => {
    const seen: unknown[] = [];
    const { instance } = await instantiate(userModule(), { m: { bump: (x: bigint) => { seen.push(x); return x * 2n; } } });
    expect((instance.exports['twice'] as (x: bigint) => bigint)(5n)).toBe(20n);
    expect(seen).toEqual([5n, 10n]);
    expect((instance.exports['twice'] as (x: bigint) => bigint).length).toBe(1);
    expect(validate(userModule())).toBe(true);
    expect(validate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]))).toBe(false);
  });

  it.each(['debug', 'native'] as const)('passes funcrefs as JS functions both ways: results, host arguments, host results (%s)', async (mode) => {
    const bytes = wat(`(module
      (import "host" "take" (func $take (param funcref i32) (result funcref)))
      (import "host" "pair" (func $pair (result funcref i32)))
      (table (export "table") 2 funcref)
      (elem declare func $seven)
      (func $seven (export "seven") (result i32) (i32.const 7))
      (func (export "ref") (result funcref) (ref.func $seven))
      (func (export "two") (result i32 funcref) (i32.const 1) (ref.func $seven))
      (func (export "roundTrip") (result i32)
        (table.set (i32.const 1) (call $take (ref.func $seven) (i32.const 5)))
        (call_indirect (result i32) (i32.const 1)))
      (func (export "fromPair") (result i32) (local $f funcref) (local $n i32)
        call $pair
        local.set $n
        local.set $f
        (table.set (i32.const 0) (local.get $f))
        (i32.add (local.get $n) (call_indirect (result i32) (i32.const 0)))))`, WASM2_FEATURES);
    const seen: unknown[] = [];
    let exported: unknown;
    const { instance } = await instantiate(bytes, {
      host: {
        take: (f: unknown, n: number) => { seen.push(typeof f, n, f === exported); return f; },
        pair: () => [exported, 3],
      },
    }, { mode });
    const e = instance.exports as Record<string, (...a: unknown[]) => unknown>;
    exported = e['seven'];
    // An Exported Function's length is its parameter count, its name its function index.
    expect([e['seven']!.length, e['seven']!.name]).toEqual([0, '2']);
    expect([e['fromPair']!.length, (instance.exports['table'] as { get(i: number): (...a: unknown[]) => unknown }).get(1)]).toEqual([0, null]);
    expect(e['ref']!()).toBe(exported);
    const [one, f] = e['two']!() as [number, unknown];
    expect(one).toBe(1);
    expect(f).toBe(exported);
    expect((f as () => number)()).toBe(7);
    expect(e['roundTrip']!()).toBe(7);
    expect(e['fromPair']!()).toBe(10);
    expect(seen).toEqual(['function', 5, true]);
    expect((instance.exports['table'] as { get(i: number): unknown }).get(1)).toBe(exported);
  });

  it('turns a JavaScript stack overflow into the spec\'s exhaustion trap', async () => {
    // (func (export "f") call 0)
    const bytes = module(section(SEC.type, vec([funcType([], [])])), section(SEC.function, vec([[0]])),
      section(SEC.export, vec([[...name('f'), 0, 0]])), section(SEC.code, vec([codeEntry([], [0x10, 0, 0x0b])])));
    const { instance } = await instantiate(bytes, {}, { mode: 'native' });
    expect(() => (instance.exports['f'] as () => void)()).toThrow(/^call stack exhausted/);
    void uleb;
  });
});

describe('native-mode traps and source positions', () => {
  it('a trap carries the original source position the module\'s line info gives for its instruction', () => {
    // (func (param i32) (result i32) (i32.load (local.get 0))) over one page
    const bytes = module(
      section(SEC.type, vec([funcType([T.i32], [T.i32])])),
      section(SEC.function, vec([[0]])),
      section(SEC.memory, vec([[0x00, 1]])),
      section(SEC.code, vec([codeEntry([], [0x20, 0, 0x28, 2, 0, 0x0b])])),
    );
    const m = decode(bytes);
    validateModule(m);
    const compiled = compile(m, { sourceMap: false });
    const load = m.funcs[0]!.body[1]!.offset;
    const code = loadCompiled(compiled.js, instantiateState(m, {}), compiled.lineOffsets, (off) => (off === load ? 'prog.c:7:3' : undefined));
    let err: unknown;
    try { code.C[0]!(65535); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Trap);
    expect((err as Error).message).toMatch(/^out of bounds memory access \(in func 0, at offset 0x[0-9a-f]+\) \[prog\.c:7:3\]$/);
    expect((err as { source?: string }).source).toBe('prog.c:7:3');
  });

  it('a module with DWARF maps its code offsets to C file and line; one without maps none', () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'dwarf');
    const bytes = new Uint8Array(readFileSync(join(dir, 'shapes-O0-dwarf5.wasm')));
    const m = decode(bytes);
    validateModule(m);
    const withDwarf = new WasmflipModule(bytes, m);
    const run = m.funcs[m.exports.find((e) => e.name === 'run')!.index - m.importedFuncCount]!;
    const positions = run.body.map((ins) => withDwarf.sourcePosition(ins.offset)).filter((p) => p !== undefined);
    expect(positions.length).toBeGreaterThan(0);
    for (const p of positions) expect(p).toMatch(/shapes\.c:\d+:\d+$/);
    const plain = new WasmflipModule(counterModule(), decode(counterModule()));
    expect(plain.sourcePosition(plain.module.funcs[0]!.body[0]!.offset)).toBeUndefined();
  });
});
