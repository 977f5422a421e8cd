/**
 * Loop unrolling (compiler/emit/unroll.ts): a small innermost loop is written
 * four times per round and gives the interpreter's results for every trip
 * count (each copy can be the last); a trap in any copy carries the same
 * message and offset; loops holding a call, a nested loop or memory.grow,
 * and bodies past the size limit, are left alone; with checkpoints the loop's
 * check is written once per round.
 */
import { describe, expect, test } from 'vitest';
import { Trap, decode, instantiate, invoke, validate, type Module } from '../../interpreter/index.js';
import { compile, loadCompiled } from '../../compiler/index.js';
import { wat } from '../runtime/wat.js';

function build(src: string, checkpoints = false): { m: Module; js: string; call: (name: string, ...args: number[]) => unknown; interp: (name: string, ...args: number[]) => unknown } {
  const m = decode(wat(src));
  validate(m);
  const { js, lineOffsets } = compile(m, { sourceMap: false, checkpoints });
  const index = (name: string): number => m.exports.find((e) => e.name === name)!.index;
  const code = checkpoints ? undefined : loadCompiled(js, instantiate(m, {}, { runStart: false }), lineOffsets);
  const inst2 = instantiate(m, {}, { runStart: false });
  return {
    m, js,
    call: (name, ...args) => code!.C[index(name)]!(...(args as never[])),
    interp: (name, ...args) => invoke(inst2.funcs[index(name)]!, args as never[])[0],
  };
}

const SUM = `(module
  (memory 1)
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $load (export "load") (param $from i32) (param $n i32) (result i32)
    (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.load8_u (local.get $from))))
      (local.set $from (i32.add (local.get $from) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))`;

/** Occurrences of `needle` in `text`. */
function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('loop unrolling', () => {
  test('a small innermost loop is written four times a round and agrees with the interpreter at every trip count', () => {
    const b = build(SUM);
    const sum = b.js.slice(b.js.indexOf('function f0('), b.js.indexOf('function f1('));
    expect(count(sum, 'imul(')).toBe(4);
    expect(count(sum, 'if (!(')).toBe(3);
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 100, 1001]) expect(b.call('sum', n)).toBe(b.interp('sum', n));
  });

  test('a trap in a later copy has the message and offset of the instruction', () => {
    const b = build(SUM);
    const loadOffset = b.m.funcs[1]!.body.find((ins) => ins.op === 'i32.load8_u')!.offset;
    for (const from of [65536 - 1, 65536 - 2, 65536 - 3, 65536 - 6]) {
      let err: unknown;
      try { b.call('load', from, 10); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(Trap);
      expect((err as Trap).text).toBe('out of bounds memory access');
      expect((err as Trap).offset).toBe(loadOffset);
    }
    expect(b.call('load', 65536 - 4, 4)).toBe(0);
  });

  test('loops holding a call, a nested loop or memory.grow, or a long body, are not unrolled', () => {
    const b = build(`(module
      (memory 1)
      (func $id (param i32) (result i32) (local.get 0))
      (func (export "calls") (param $n i32) (result i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.add (local.get $acc) (call $id (local.get $n))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc))
      (func (export "grows") (param $n i32) (result i32)
        (loop $l
          (drop (memory.grow (i32.const 0)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $n))
      (func (export "nested") (param $n i32) (result i32) (local $j i32) (local $acc i32)
        (loop $outer
          (local.set $j (i32.const 3))
          (loop $inner
            (local.set $acc (i32.add (local.get $acc) (i32.xor (local.get $j) (local.get $n))))
            (br_if $inner (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
          (br_if $outer (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc))
      (func (export "long") (param $n i32) (result i32) (local $a i32)
        (loop $l
          ${Array.from({ length: 20 }, (_, k) => `(i32.store (i32.const ${4 * k}) (i32.add (local.get $a) (i32.const ${k})))`).join('\n          ')}
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $a)))`);
    const fn = (name: string): string => {
      const i = b.m.exports.find((e) => e.name === name)!.index;
      const from = b.js.indexOf(`function f${i}(`);
      return b.js.slice(from, b.js.indexOf('\n}\n', from));
    };
    for (const name of ['calls', 'grows', 'long']) expect(fn(name), name).not.toContain('if (!(');
    expect(count(fn('nested'), 'if (!(')).toBe(3); // the inner loop only
    expect(count(fn('nested'), '^')).toBe(4);
    for (const n of [1, 2, 5, 9]) for (const name of ['calls', 'grows', 'nested', 'long']) expect(b.call(name, n), `${name}(${n})`).toBe(b.interp(name, n));
  });

  test('with checkpoints the loop header check is written once a round', () => {
    const b = build(SUM, true);
    const sum = b.js.slice(b.js.indexOf('function f0('), b.js.indexOf('function f1('));
    expect(count(sum, 'imul(')).toBe(4);
    expect(count(sum, 'if (pf[0] !== 0)')).toBe(1);
  });
});
