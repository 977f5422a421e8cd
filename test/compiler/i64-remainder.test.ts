/**
 * A quotient's remainder, reused (compiler/emit/i64-remainder.ts): where a
 * body computes `x - (x / d) * d` after `q = x / d` (stored to a local, or
 * teed straight into the product), with d a local or a constant, the
 * division's own remainder replaces the multiply and subtraction. The result
 * must equal BigInt's on every path of the division (inline, int32, helpers,
 * signed and unsigned) in native and native-debug code, and the sequence
 * must not be taken when x, d or q may have changed in between.
 */
import { describe, expect, it } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { instantiateSync } from '../../runtime/api/api.js';
import type { InstantiateOptions } from '../../runtime/api/instance-core.js';
import { T, funcsModule, name, sleb, vec } from '../helpers/wasm-builder.js';

const OP = { i64_mul: 0x7e, i64_sub: 0x7d, i64_add: 0x7c, i64_xor: 0x85, i64_rotl: 0x89, div_s: 0x7f, div_u: 0x80 } as const;
const get = (i: number): number[] => [0x20, i];
const set = (i: number): number[] => [0x21, i];
const tee = (i: number): number[] => [0x22, i];
const exportF = vec([[...name('f'), 0x00, 0]]);

/**
 * f(x, d) with q in local 2: `q = x / d`, then `between`, then
 * `x - q * d` (`qFirst`: the product's operands in that order), returned as
 * that value xor rotl(q, 17), so a wrong quotient shows as well.
 */
function body(div: number, between: number[], qFirst: boolean, useTee = false): number[] {
  const product = qFirst ? [...get(2), ...get(1)] : [...get(1), ...get(2)];
  return [
    ...get(0), ...get(1), div, ...(useTee ? [...tee(2), 0x1a] : set(2)),
    ...between,
    ...get(0), ...product, OP.i64_mul, OP.i64_sub,
    ...get(2), 0x42, 17, OP.i64_rotl, OP.i64_xor, 0x0b,
  ];
}

/**
 * The teed shape, f(x, d) = x - (q = x / D) * D xor rotl(q, 17) with
 * `local.get x` pushed before the division and the quotient teed straight
 * into the product; D is local 1, or the constant `c` when given.
 * `teeTo`: the local q goes to.
 */
function teed(div: number, c: bigint | null, teeTo = 2): number[] {
  const d = c === null ? get(1) : [0x42, ...sleb(c)];
  return [
    ...get(0), ...get(0), ...d, div, ...tee(teeTo), ...d, OP.i64_mul, OP.i64_sub,
    ...get(teeTo), 0x42, 17, OP.i64_rotl, OP.i64_xor, 0x0b,
  ];
}

/** The stored shape with the constant divisor c. */
function storedConst(div: number, c: bigint): number[] {
  return [
    ...get(0), 0x42, ...sleb(c), div, ...set(2),
    ...get(0), 0x42, ...sleb(c), ...get(2), OP.i64_mul, OP.i64_sub,
    ...get(2), 0x42, 17, OP.i64_rotl, OP.i64_xor, 0x0b,
  ];
}

const CONSTANTS = [3n, 10n, -7n, 0x7fffffffn, 0x80000000n, 0x123456789n, -0x123456789n];

/**
 * f with `code` (ending in the function's `end`) as the body of a loop run
 * once: a division by a variable is written inline, with its remainder, only
 * inside a loop (i64-divide.ts); elsewhere it is a helper call.
 */
const inLoop = (code: number[]): number[] => [0x03, T.i64, ...code.slice(0, -1), 0x0b, 0x0b];

const moduleOf = (code: number[], loop = true): Uint8Array =>
  funcsModule([{ type: [[T.i64, T.i64], [T.i64]], locals: [[2, T.i64]], body: loop ? inLoop(code) : code }], { export: exportF });

const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const rotl17 = (x: bigint): bigint => s64((u64(x) << 17n) | (u64(x) >> 47n));

function want(signed: boolean, x: bigint, d: bigint, bump = 0n): bigint {
  const q = signed ? s64(x / d) : s64(u64(x) / u64(d));
  return s64(s64(x + bump) - q * d) ^ rotl17(q);
}

/** Operands reaching every path: int32 pairs, 64-bit dividends by 31-bit divisors, divisors of 32 bits and above, both signs. */
const PAIRS: [bigint, bigint][] = [];
for (const x of [0n, 7n, -7n, 0x7fffffffn, -0x80000000n, 0x123456789abcdefn, -0x123456789abcdefn, s64(0xfedcba9876543210n), -(1n << 63n), (1n << 63n) - 1n]) {
  for (const d of [1n, 3n, -3n, 0x7fffffffn, -0x7fffffffn, 0x80000000n, -0x80000000n, 0xffffffffn, 0x100000001n, -0x123456789n, (1n << 63n) - 1n]) {
    if (!(x === -(1n << 63n) && d === -1n)) PAIRS.push([x, d]);
  }
}

const TIERS: readonly [string, InstantiateOptions][] = [
  ['native', { mode: 'native' }],
  ['native-debug', { mode: 'native-debug' }],
  ['native-debug, a deopt at every checkpoint', { mode: 'native-debug', deoptEvery: 1 }],
];

type Fn = (x: bigint, d: bigint) => bigint;
const fOf = (bytes: Uint8Array, options: InstantiateOptions): Fn =>
  (instantiateSync(bytes, undefined, options).instance.exports as Record<string, Fn>)['f']!;

function emitted(bytes: Uint8Array): string {
  const m = decode(bytes);
  validate(m);
  return compile(m).js;
}

const CASES = [
  { what: 'div_s, q before d', div: OP.div_s, signed: true, between: [] as number[], qFirst: true, tee: false },
  { what: 'div_u, d before q', div: OP.div_u, signed: false, between: [], qFirst: false, tee: false },
  { what: 'div_s through local.tee, with straight-line code between', div: OP.div_s, signed: true, between: [...get(2), 0x42, 1, OP.i64_add, 0x1a], qFirst: true, tee: true },
  { what: 'div_u with another local written between', div: OP.div_u, signed: false, between: [...get(1), ...set(3)], qFirst: false, tee: false },
];

describe.each(TIERS)('x - (x / d) * d takes the division\'s remainder (%s)', (_, options) => {
  for (const c of CASES) {
    it(`${c.what}: equals BigInt's on every division path`, () => {
      const bytes = moduleOf(body(c.div, c.between, c.qFirst, c.tee));
      expect(emitted(bytes)).toMatch(/rm0 = /);
      const f = fOf(bytes, options);
      for (const [x, d] of PAIRS) expect(f(x, d), `${x} / ${d}`).toBe(want(c.signed, x, d));
    });
  }

  for (const [what, div, signed] of [['div_s', OP.div_s, true], ['div_u', OP.div_u, false]] as const) {
    it(`teed ${what} by a local: equals BigInt's on every division path`, () => {
      const bytes = moduleOf(teed(div, null));
      expect(emitted(bytes)).toMatch(/rm0 = /);
      const f = fOf(bytes, options);
      for (const [x, d] of PAIRS) expect(f(x, d), `${x} / ${d}`).toBe(want(signed, x, d));
    });
    it(`teed and stored ${what} by constants: equal BigInt's`, () => {
      for (const c of CONSTANTS) {
        for (const code of [teed(div, c), storedConst(div, c)]) {
          const bytes = moduleOf(code);
          expect(emitted(bytes)).toMatch(/rm0 = /);
          const f = fOf(bytes, options);
          for (const [x] of PAIRS) expect(f(x, 0n), `${x} / ${c}`).toBe(want(signed, x, c));
        }
      }
    });
  }

  it('teed into the dividend\'s own local (x /= d): the remainder is the old x\'s', () => {
    const shapes = [{ div: OP.div_u, signed: false, c: null }, { div: OP.div_s, signed: true, c: 10n }] as const;
    for (const { div, signed, c } of shapes) {
      const bytes = moduleOf(teed(div, c, 0));
      expect(emitted(bytes)).toMatch(/rm0 = /);
      const f = fOf(bytes, options);
      for (const [x, d] of PAIRS) expect(f(x, d), `${x} / ${c ?? d}`).toBe(want(signed, x, c ?? d));
    }
  });

  it('teed into the divisor\'s own local: the product is computed, of q by q', () => {
    const bytes = moduleOf(teed(OP.div_u, null, 1));
    expect(emitted(bytes)).not.toMatch(/rm0/);
    const f = fOf(bytes, options);
    for (const [x, d] of PAIRS) {
      const q = s64(u64(x) / u64(d));
      expect(f(x, d), `${x} / ${d}`).toBe(s64(x - q * q) ^ rotl17(q));
    }
  });

  it('x written between: the product is computed, on the new x', () => {
    // x += 1 between the division and the sequence.
    const bytes = moduleOf(body(OP.div_u, [...get(0), 0x42, 1, OP.i64_add, ...set(0)], true));
    expect(emitted(bytes)).not.toMatch(/rm0/);
    const f = fOf(bytes, options);
    for (const [x, d] of PAIRS) expect(f(x, d), `${x} / ${d}`).toBe(want(false, x, d, 1n));
  });

  it('outside any loop, by a local: the helper divides and the product is computed', () => {
    for (const code of [body(OP.div_s, [], true), teed(OP.div_u, null)]) {
      const bytes = moduleOf(code, false);
      expect(emitted(bytes)).not.toMatch(/rm0/);
      expect(emitted(bytes)).toMatch(/i64div[su]\(/);
    }
    const f = fOf(moduleOf(body(OP.div_s, [], true), false), options);
    for (const [x, d] of PAIRS) expect(f(x, d), `${x} / ${d}`).toBe(want(true, x, d));
    const g = fOf(moduleOf(teed(OP.div_u, null), false), options);
    for (const [x, d] of PAIRS) expect(g(x, d), `${x} / ${d}`).toBe(want(false, x, d));
  });

  it('a block between: the product is computed', () => {
    const bytes = moduleOf(body(OP.div_s, [0x02, 0x40, 0x0b], false));
    expect(emitted(bytes)).not.toMatch(/rm0/);
    const f = fOf(bytes, options);
    for (const [x, d] of PAIRS) expect(f(x, d), `${x} / ${d}`).toBe(want(true, x, d));
  });
});
