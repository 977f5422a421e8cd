/**
 * The inline i64 division of compiled code (compiler/emit/i64-divide.ts):
 * quotients and remainders equal BigInt's on operands aimed at its edges
 * (divisors around 2^31, dividends that are exact multiples, one off, of
 * either sign and every magnitude), for variable and constant divisors.
 */
import { describe, expect, it } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { T, funcsModule, sleb } from '../helpers/wasm-builder.js';
import { compiledI64 } from '../helpers/compiled.js';

const OPS = { div_s: 0x7f, div_u: 0x80, rem_s: 0x81, rem_u: 0x82 } as const;
type Op = keyof typeof OPS;

const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);

/** BigInt's answer; divisor nonzero and not the overflowing INT64_MIN / -1 of div_s. */
function want(op: Op, a: bigint, b: bigint): bigint {
  if (op === 'div_u') return s64(u64(a) / u64(b));
  if (op === 'rem_u') return s64(u64(a) % u64(b));
  return op === 'div_s' ? s64(a / b) : a % b;
}

function operands(): [bigint, bigint][] {
  let s = 0x2545f4914f6cdd1dn;
  const next = (): bigint => (s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn);
  const divisors = [1n, 2n, 3n, 7n, 0xffffn, 0x1fffffn, 0x200000n, 0x7ffffffen, 0x7fffffffn, 0x80000000n, 0x80000001n, 0xffffffffn,
    0x100000000n, 0x100000001n, 0x7fffffffffffffffn];
  for (let i = 0; i < 40; i++) divisors.push(next() >> (next() % 64n));
  const pairs: [bigint, bigint][] = [];
  for (const d of divisors) {
    for (const b of [d, -d]) {
      for (let i = 0; i < 12; i++) {
        const a = next() >> (next() % 64n);
        const q = a / (b === 0n ? 1n : b);
        for (const x of [a, q * b, q * b + 1n, q * b - 1n, s64(a << 32n), -a]) pairs.push([s64(x), s64(b)]);
      }
      pairs.push([-(1n << 63n), s64(b)], [(1n << 63n) - 1n, s64(b)]);
    }
  }
  return pairs.filter(([, b]) => b !== 0n);
}

/** `code` (without the function's `end`) as the body of a loop run once, where a division by a variable is written inline. */
const inLoop = (code: number[]): number[] => [0x03, T.i64, ...code, 0x0b, 0x0b];

/** The emitted body of the one function of `code`, without the module's helpers. */
function emittedBody(code: number[], params: number[]): string {
  const m = decode(funcsModule([{ type: [params, [T.i64]], body: code }]));
  validate(m);
  const js = compile(m).js;
  return js.slice(js.indexOf('function f0('), js.indexOf('FN[0] = f0;'));
}

describe('inline i64 division', () => {
  const pairs = operands();
  for (const op of Object.keys(OPS) as Op[]) {
    // Outside loops the wrapper (one short call); inline, the last arm calls
    // the general helper itself: V8 inlines a wrapper at every call, hot or not.
    const wrapper = `i64${op.startsWith('div') ? 'div' : 'rem'}${op.endsWith('_s') ? 's' : 'u'}(`;
    const general = `i64${op.endsWith('_s') ? 's' : 'u'}div(`;
    const placements = [
      ['in a loop (inline)', inLoop([0x20, 0, 0x20, 1, OPS[op]]), true],
      ['outside any loop (a helper call)', [0x20, 0, 0x20, 1, OPS[op], 0x0b], false],
    ] as const;
    for (const [where, code, inline] of placements) {
      it(`i64.${op} by a local ${where} equals BigInt's on ${pairs.length} edge-aimed operand pairs`, () => {
        const js = emittedBody([...code], [T.i64, T.i64]);
        // Inline: the arms by divisor size, the helper taking the wide divisors
        // in one of them; outside loops: the traps, then the helper for every divisor.
        for (const part of ['di = ', 'else ']) {
          if (inline) expect(js).toContain(part);
          else expect(js).not.toContain(part);
        }
        const [called, unused] = inline ? [general, wrapper] : [wrapper, general];
        expect(js.split(called).length - 1, `calls of ${called}`).toBe(1);
        expect(js).not.toContain(unused);
        if (inline) expect(js).toContain(`, ${op.startsWith('rem')});`);
        const f = compiledI64([...code], [T.i64, T.i64]);
        for (const [a, b] of pairs) {
          if (op === 'div_s' && a === -(1n << 63n) && b === -1n) continue;
          expect(f(a, b), `${a} ${op} ${b}`).toBe(want(op, a, b));
        }
      });
    }
    it(`i64.${op} by a local outside any loop traps as inline: divide by zero${op === 'div_s' ? ', and INT64_MIN / -1 overflows' : ''}`, () => {
      const f = compiledI64([0x20, 0, 0x20, 1, OPS[op], 0x0b], [T.i64, T.i64]);
      expect(() => f(5n, 0n)).toThrow(/integer divide by zero/);
      if (op === 'div_s') expect(() => f(-(1n << 63n), -1n)).toThrow(/integer overflow/);
      else expect(f(-(1n << 63n), -1n)).toBe(want(op, -(1n << 63n), -1n));
    });
    it(`i64.${op} by a constant divisor equals BigInt's`, () => {
      for (const b of [3n, -7n, 0x7fffffffn, -0x7fffffffn, 0x80000000n, 0x123456789n]) {
        const f = compiledI64([0x20, 0, 0x42, ...sleb(b), OPS[op], 0x0b], [T.i64]);
        for (const [a] of pairs.slice(0, 400)) expect(f(a), `${a} ${op} ${b}`).toBe(want(op, a, b));
      }
    });
    it(`i64.${op} by the constant 0 traps, and div_s of INT64_MIN by the constant -1 overflows`, () => {
      const byZero = compiledI64([0x20, 0, 0x42, 0, OPS[op], 0x0b], [T.i64]);
      expect(() => byZero(5n)).toThrow(/integer divide by zero/);
      const byMinusOne = compiledI64([0x20, 0, 0x42, ...sleb(-1n), OPS[op], 0x0b], [T.i64]);
      if (op === 'div_s') expect(() => byMinusOne(-(1n << 63n))).toThrow(/integer overflow/);
      else expect(byMinusOne(-(1n << 63n))).toBe(want(op, -(1n << 63n), -1n));
    });
    it(`i64.${op} by constant divisors around 2^16 (those below it take uint32 divisions only) equals BigInt's`, () => {
      for (const b of [1n, -1n, 2n, 10n, -10n, 60n, 1000n, 10000n, -10000n, 0xfffen, 0xffffn, -0xffffn, 0x10000n, -0x10000n, 0x10001n, -0x1fffdn, 100000n]) {
        const code = [0x20, 0, 0x42, ...sleb(b), OPS[op], 0x0b];
        const m = decode(funcsModule([{ type: [[T.i64], [T.i64]], body: code }]));
        validate(m);
        const magnitude = op.endsWith('_u') ? u64(b) : b < 0n ? -b : b;
        // A divisor below 2^16 needs no double estimate (and a 64-bit one no inline path at all).
        if (magnitude <= 0xffffn) expect(compile(m).js, `${op} ${b}`).not.toContain('di = ');
        if (magnitude <= 0xffffn) expect(compile(m).js, `${op} ${b}`).toMatch(new RegExp(`>>> 0\\) [/%] ${magnitude}\\)`));
        const f = compiledI64(code, [T.i64]);
        for (const [a] of pairs) {
          if (op === 'div_s' && a === -(1n << 63n) && b === -1n) continue;
          expect(f(a), `${a} ${op} ${b}`).toBe(want(op, a, b));
        }
      }
    });
  }
});
