/**
 * The compiler's output on hand-made modules: traps carry the spec's message
 * and the instruction's offset, memory is correct at unaligned addresses,
 * i64 arithmetic agrees with the interpreter, names from the module never
 * reach the generated source (acorn parses every module emitted here, as
 * in every suite: test/setup/parse-emitted.ts).
 */
import { describe, expect, it } from 'vitest';
import { Trap, decode, instantiate, invoke, validate, type Module } from '../../interpreter/index.js';
import { compile, loadCompiled } from '../../compiler/index.js';
import { Memory, instantiateSync } from '../../runtime/index.js';
import { SEC, T, customSection, funcsModule, module, name, section, sleb, uleb, vec, funcType, codeEntry } from '../helpers/wasm-builder.js';

function build(bytes: Uint8Array): { m: Module; js: string; call: (fi: number, ...args: unknown[]) => unknown; interp: (fi: number, ...args: unknown[]) => unknown } {
  const m = decode(bytes);
  validate(m);
  const { js } = compile(m);
  const inst = instantiate(m, {}, { runStart: false });
  const code = loadCompiled(js, inst);
  const inst2 = instantiate(m, {}, { runStart: false });
  return {
    m, js,
    call: (fi, ...args) => code.C[fi]!(...(args as never[])),
    interp: (fi, ...args) => invoke(inst2.funcs[fi]!, args as never[])[0],
  };
}

const I32 = [T.i32], I64 = [T.i64];
const memory = vec([[0x00, ...uleb(1)]]);

describe('traps in compiled code', () => {
  it('i32.div_s by zero throws "integer divide by zero" at the division\'s offset', () => {
    const b = build(funcsModule([{ type: [[T.i32, T.i32], I32], body: [0x20, 0, 0x20, 1, 0x6d, 0x0b] }]));
    let err: unknown;
    try { b.call(0, 7, 0); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Trap);
    expect((err as Trap).text).toBe('integer divide by zero');
    expect((err as Trap).offset).toBe(b.m.funcs[0]!.body[2]!.offset);
    expect(() => b.call(0, -2147483648, -1)).toThrow(/^integer overflow/);
    expect(b.call(0, -7, 2)).toBe(-3);
  });
  it('unreachable traps with "unreachable"', () => {
    const b = build(funcsModule([{ type: [[], []], body: [0x00, 0x0b] }]));
    expect(() => b.call(0)).toThrow(/^unreachable/);
  });
  it('a load past the end traps, one within it reads little-endian whatever the alignment hint', () => {
    // (i32.load align=4 offset=0 (local.get 0))
    const b = build(funcsModule([{ type: [I32, I32], body: [0x20, 0, 0x28, 2, 0, 0x0b] }], { memory }));
    expect(b.call(0, 1)).toBe(0);
    expect(b.call(0, 65532)).toBe(0);
    expect(() => b.call(0, 65533)).toThrow(/^out of bounds memory access/);
    expect(() => b.call(0, -1)).toThrow(/^out of bounds memory access/);
  });
  it('unaligned stores and loads round-trip at every address modulo 8', () => {
    // (func (param i32 i64) (result i64) (i64.store align=8 (local.get 0) (local.get 1)) (i64.load align=8 (local.get 0)))
    const b = build(funcsModule([{ type: [[T.i32, T.i64], I64], body: [0x20, 0, 0x20, 1, 0x37, 3, 0, 0x20, 0, 0x29, 3, 0, 0x0b] }], { memory }));
    for (let a = 0; a < 8; a++) expect(b.call(0, 100 + a, -0x123456789abcdefn)).toBe(-0x123456789abcdefn);
  });
});

describe('i64 lowering', () => {
  const ops: [string, number][] = [['add', 0x7c], ['sub', 0x7d], ['mul', 0x7e], ['div_s', 0x7f], ['div_u', 0x80], ['rem_s', 0x81],
    ['rem_u', 0x82], ['and', 0x83], ['or', 0x84], ['xor', 0x85], ['shl', 0x86], ['shr_s', 0x87], ['shr_u', 0x88], ['rotl', 0x89], ['rotr', 0x8a]];
  const values = [0n, 1n, -1n, 7n, 63n, 64n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x8000000000000000n, 0x7fffffffffffffffn, 0x123456789abcdefn];
  for (const [op, code] of ops) {
    it(`i64.${op} agrees with the interpreter on edge values (variable and constant operands)`, () => {
      const variable = build(funcsModule([{ type: [[T.i64, T.i64], I64], body: [0x20, 0, 0x20, 1, code, 0x0b] }]));
      for (const a of values) for (const b of values) {
        let want: unknown, got: unknown;
        try { want = variable.interp(0, a, b); } catch (e) { want = (e as Trap).text; }
        try { got = variable.call(0, a, b); } catch (e) { got = (e as Trap).text; }
        expect(got, `${a} ${op} ${b}`).toEqual(want);
      }
      for (const b of values) {
        const constant = build(funcsModule([{ type: [I64, I64], body: [0x20, 0, 0x42, ...sleb(b), code, 0x0b] }]));
        for (const a of values) {
          let want: unknown, got: unknown;
          try { want = constant.interp(0, a); } catch (e) { want = (e as Trap).text; }
          try { got = constant.call(0, a); } catch (e) { got = (e as Trap).text; }
          expect(got, `${a} ${op} const ${b}`).toEqual(want);
        }
      }
    });
  }
});

describe('names from the module', () => {
  const hostile = ["'; globalThis.pwned = 1; //", '*/ globalThis.pwned = 2; /*', 'a\nglobalThis.pwned = 3', '</script><script>', 'x\u2028y\u2029z', '${globalThis.pwned = 4}', '\\u0027'];
  it('never appear in the generated source, and the module still runs', () => {
    const exports = vec(hostile.map((n, i) => [...name(n), 0x00, ...uleb(i % 2)]));
    const funcNames = vec([0, 1].map((i) => [...uleb(i), ...name(hostile[i + 2]!)]));
    const names = customSection('name', [0x00, ...uleb(name(hostile[0]!).length), ...name(hostile[0]!), 0x01, ...uleb(funcNames.length), ...funcNames]);
    const bytes = module(
      section(SEC.type, vec([funcType([], I32)])),
      section(SEC.function, vec([[0], [0]])),
      section(SEC.export, exports),
      section(SEC.code, vec([codeEntry([], [0x41, 1, 0x0b]), codeEntry([], [0x41, 2, 0x0b])])),
      names,
    );
    const b = build(bytes);
    for (const n of hostile) expect(b.js).not.toContain(n);
    expect(b.js).not.toMatch(/globalThis|process|require|eval|Function\(/);
    expect(b.call(0)).toBe(1);
    expect(b.call(1)).toBe(2);
    expect((globalThis as Record<string, unknown>)['pwned']).toBeUndefined();
  });

  it('imports named with them (module and field names, a function, a memory and a global) link by those names and never reach the source', () => {
    const [fnMod, fnField, memMod, memField, glMod, glField] = [hostile[0]!, hostile[1]!, hostile[2]!, '__proto__', hostile[4]!, hostile[5]!];
    const imports = vec([
      [...name(fnMod), ...name(fnField), 0x00, 0],
      [...name(memMod), ...name(memField), 0x02, 0x00, 1],
      [...name(glMod), ...name(glField), 0x03, T.i32, 0x00],
    ]);
    // (func (export "run") (result i32) (i32.add (i32.add (call 0) (global.get 0)) (i32.load (i32.const 8))))
    const bytes = module(
      section(SEC.type, vec([funcType([], I32)])),
      section(SEC.import, imports),
      section(SEC.function, vec([[0]])),
      section(SEC.export, vec([[...name('run'), 0x00, 1]])),
      section(SEC.code, vec([codeEntry([], [0x10, 0, 0x23, 0, 0x6a, 0x41, 8, 0x28, 2, 0, 0x6a, 0x0b])])),
    );
    const mem = new Memory({ initial: 1 });
    new Int32Array(mem.buffer)[2] = 300;
    const importObject = Object.create(null) as Record<string, Record<string, unknown>>;
    importObject[fnMod] = { [fnField]: () => 1 };
    importObject[memMod] = Object.defineProperty({}, memField, { value: mem, enumerable: true });
    importObject[glMod] = { [glField]: 20 };
    const { module: compiled, instance } = instantiateSync(bytes, importObject, { mode: 'native' });
    for (const n of [fnMod, fnField, memMod, glMod, glField]) expect(compiled.compiled.js).not.toContain(n);
    expect(compiled.compiled.js).not.toMatch(/globalThis|process|require|eval|Function\(|__proto__/);
    expect((instance.exports['run'] as () => number)()).toBe(321);
    expect((globalThis as Record<string, unknown>)['pwned']).toBeUndefined();
  });
});
