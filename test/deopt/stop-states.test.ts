/**
 * Stops the interpreter names before instructions that emit no code of
 * their own (interpreter/exec/frames.ts stopStateIndex, the checkpoint
 * pass's bitsAs): the state at such a stop is the live one, in the types
 * the interpreter reads there, whatever compiled code holds at the site.
 * Each shape was found by the differential fuzz (test/runtime/fuzz.test.ts)
 * and is run here in every tier: debug, native, native-debug at the control
 * level, and native-debug forced to deopt at every Nth checkpoint.
 *
 * - An `end` closing an arm that returned: the state recorded before it is
 *   the dead arm's (empty), the live one holds the `if`'s result.
 * - `i32.wrap_i64` and a block before a loop: the loop header's stop lies
 *   before the wrap, where the value is still an i64.
 * - Dead code (an `if`) after a `br`, then the block's `end`, then a loop:
 *   the loop header's stop is named by the dead `if`.
 * - A then-arm left by a `br` over dead code (a `select` of unknown
 *   operands), then `else`, a block and a loop: the loop header's stop is
 *   named by the `else`, where the recorded state is the dead arm's.
 * - `i32.reinterpret_f32` before a trapping load: the trap site's stop lies
 *   before the reinterpret, where the address is still an f32 (results agree
 *   either way; trap-sites.test.ts checks the frames the trap stop shows).
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  captureFrames, clearBreakpoint, decode, hooks, instantiate, invoke, setBreakpoint, stopOffsetOf, validate, type CodeOffset, type FuncInstance,
} from '../../interpreter/index.js';
import { instantiateSync } from '../../runtime/api/api.js';
import type { InstantiateOptions } from '../../runtime/api/instance-core.js';
import { T, funcsModule, sleb, vec, name } from '../helpers/wasm-builder.js';

const f32 = (x: number): number[] => [...new Uint8Array(new Float32Array([x]).buffer)];
const f32OfBits = (bits: number): number => new Float32Array(new Int32Array([bits]).buffer)[0]!;
const exportF = vec([[...name('f'), 0x00, 0]]);

/** f(x) = trunc_s(x == 0 ? 2^53 (f32) : return 7): traps at x = 0, the trunc right after the `end` of an arm that returned. */
const DEAD_ARM_BODY = [0x20, 0, 0x45, 0x04, T.f32, 0x43, ...f32(2 ** 53), 0x05, 0x41, ...sleb(7), 0x0f, 0x0b, 0xa8, 0x0b];
const deadArm = funcsModule([{ type: [[T.i32], [T.i32]], body: DEAD_ARM_BODY }], { export: exportF });

/** f(n: i64) = (i32)n left below a block holding a loop that counts a local to 100; then their sum. */
const wrapBeforeLoop = funcsModule([{
  type: [[T.i64], [T.i32]], locals: [[1, T.i32]],
  body: [
    0x20, 0, 0xa7, 0x02, 0x40, 0x03, 0x40,
    0x20, 1, 0x41, 1, 0x6a, 0x22, 1, 0x41, ...sleb(100), 0x49, 0x0d, 0,
    0x0b, 0x0b, 0x20, 1, 0x6a, 0x0b,
  ],
}], { export: exportF });

/** f(x) = x left below a block that branches out over dead code (an if), then a loop counting a local to 100; their sum. */
const deadCodeBeforeLoop = funcsModule([{
  type: [[T.i32], [T.i32]], locals: [[1, T.i32]],
  body: [
    0x20, 0, 0x02, 0x40, 0x0c, 0, 0x41, 1, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b, 0x03, 0x40,
    0x20, 1, 0x41, 1, 0x6a, 0x22, 1, 0x41, ...sleb(100), 0x49, 0x0d, 0,
    0x0b, 0x20, 1, 0x6a, 0x0b,
  ],
}], { export: exportF });

/** f(x, c) = x + (c != 0 ? 9, left by a br over a dead select : a loop counting a local to 100, then the local). */
const deadArmBeforeElseLoop = funcsModule([{
  type: [[T.i32, T.i32], [T.i32]], locals: [[1, T.i32]],
  body: [
    0x20, 0, 0x20, 1, 0x04, T.i32, 0x41, 9, 0x0c, 0, 0x1b, 0x05, 0x02, 0x40, 0x03, 0x40,
    0x20, 2, 0x41, 1, 0x6a, 0x22, 2, 0x41, ...sleb(100), 0x49, 0x0d, 0,
    0x0b, 0x0b, 0x20, 2, 0x0b, 0x6a, 0x0b,
  ],
}], { export: exportF });

/** f(a: f32) = i32.load(i32.reinterpret_f32(a + 0)), one page of memory (the add keeps the interpreter from fusing the local into the load). */
const reinterpretThenLoad = funcsModule([{
  type: [[T.f32], [T.i32]],
  body: [0x20, 0, 0x43, ...f32(0), 0x92, 0xbc, 0x28, 0x02, 0x00, 0x0b],
}], { memory: [1, 0x00, 1], export: exportF });

const TIERS: readonly [string, InstantiateOptions][] = [
  ['debug', { mode: 'debug' }],
  ['native', { mode: 'native' }],
  ['native-debug', { mode: 'native-debug' }],
  ...[1, 2, 3, 5].map((n): [string, InstantiateOptions] => [`native-debug, a deopt at every ${n}th checkpoint`, { mode: 'native-debug', deoptEvery: n }]),
];

type Fn = (...args: unknown[]) => unknown;
const fOf = (bytes: Uint8Array, options: InstantiateOptions): Fn => (instantiateSync(bytes, undefined, options).instance.exports as Record<string, Fn>)['f']!;

describe.each(TIERS)('stops before code-less instructions (%s)', (_, options) => {
  test('an end after an arm that returned: the if\'s result reaches the trapping trunc', () => {
    const f = fOf(deadArm, options);
    expect(f(1)).toBe(7);
    expect(() => f(0)).toThrow(/integer overflow/);
  });

  test('i32.wrap_i64 and a block before a loop: the wrapped value survives the loop header', () => {
    const f = fOf(wrapBeforeLoop, options);
    expect(f(5n)).toBe(105);
    expect(f((1n << 40n) + 9n)).toBe(109);
  });

  test('dead code and an end before a loop: the value below survives the loop header', () => {
    const f = fOf(deadCodeBeforeLoop, options);
    expect(f(5)).toBe(105);
  });

  test('a then-arm left by a br over dead code, then else and a loop: the loop header has its live state', () => {
    const f = fOf(deadArmBeforeElseLoop, options);
    expect(f(5, 0)).toBe(105);
    expect(f(5, 1)).toBe(14);
  });

  test('i32.reinterpret_f32 before a load: the load reads the f32\'s bits, and traps with them', () => {
    const f = fOf(reinterpretThenLoad, options);
    expect(f(f32OfBits(16))).toBe(0);
    expect(() => f(1.0)).toThrow(/out of bounds memory access/);
    expect(() => f(f32OfBits(65534))).toThrow(/out of bounds memory access/);
  });
});

describe('the interpreter\'s own stop there', () => {
  afterEach(() => {
    hooks.onStop = null;
  });

  test('a breakpoint on the trunc after the dead arm shows the if\'s result on the stack', () => {
    const m = decode(deadArm);
    validate(m);
    const inst = instantiate(m, {});
    const func = m.funcs[0]!;
    const trunc = func.body.find((i) => i.op === 'i32.trunc_f32_s')!;
    // The interpreter names the stop before the trunc by the end before it (the end has no code).
    const named = stopOffsetOf(m, 0, trunc.offset as CodeOffset);
    expect(func.body.find((i) => i.offset === named)?.op).toBe('end');
    const at = setBreakpoint(m, 0, named)!;
    expect(at).toBe(named);
    const stacks: unknown[][] = [];
    hooks.onStop = (reason, live) => {
      if (reason === 'breakpoint') stacks.push(captureFrames(live).at(-1)!.stack);
    };
    expect(() => invoke(inst.funcs[0] as FuncInstance, [0])).toThrow(/integer overflow/);
    expect(stacks).toEqual([[2 ** 53]]);
    clearBreakpoint(m, 0, at);
  });
});
