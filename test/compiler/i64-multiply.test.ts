/**
 * The inline i64 multiply of compiled code (compiler/emit/i64.ts
 * `multiply`): products equal BigInt's, wrapped to 64 bits, for operands at
 * the edges of its 16-bit digits and 32-bit halves, with variable operands
 * and with constants of each shape (high half zero, negative, digits of
 * 0 and 0xffff) on either side; inside a loop (inline) and outside any
 * (one call of the module's i64mul).
 */
import { describe, expect, it } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { T, funcsModule, sleb } from '../helpers/wasm-builder.js';
import { compiledI64 } from '../helpers/compiled.js';

const MUL = 0x7e;

const s64 = (x: bigint): bigint => BigInt.asIntN(64, x);

const EDGES = [0n, 1n, -1n, 0xffffn, 0x10000n, 0x1ffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0xffff0000ffffn,
  -0x80000000n, (1n << 63n) - 1n, -(1n << 63n), 0x9e3779b97f4a7c15n, 0xbf58476d1ce4e5b9n, 6364136223846793005n].map(s64);

function operands(): bigint[] {
  let s = 0x2545f4914f6cdd1dn;
  const out = [...EDGES];
  for (let i = 0; i < 60; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    out.push(s64(s >> (s % 64n)), s64(s));
  }
  return out;
}

/** `code` (ending in the function's `end`) as the body of a loop run once. */
const inLoop = (code: number[]): number[] => [0x03, T.i64, ...code.slice(0, -1), 0x0b, 0x0b];

const PLACEMENTS = [
  ['in a loop (inline)', inLoop, /mt = /],
  ['outside any loop (i64mul)', (code: number[]) => code, /= i64mul\(/],
] as const;

describe.each(PLACEMENTS)('i64 multiply %s', (_, place, shape) => {
  const xs = operands();
  const compiled = (code: number[], params: number[]): ((...args: bigint[]) => bigint) => {
    const m = decode(funcsModule([{ type: [params, [T.i64]], body: place(code) }]));
    validate(m);
    const js = compile(m).js;
    expect(js.slice(js.indexOf('function f0('))).toMatch(shape);
    return compiledI64(place(code), params);
  };
  it(`equals BigInt's on ${xs.length * xs.length} pairs of variable operands`, () => {
    const f = compiled([0x20, 0, 0x20, 1, MUL, 0x0b], [T.i64, T.i64]);
    for (const a of xs) for (const b of xs) expect(f(a, b), `${a} * ${b}`).toBe(s64(a * b));
  });
  it('equals BigInt\'s by constants on either side', () => {
    for (const c of [...EDGES, 7n, -7n, 0xffff0001n, 0x1234n << 32n]) {
      const right = compiled([0x20, 0, 0x42, ...sleb(c), MUL, 0x0b], [T.i64]);
      const left = compiled([0x42, ...sleb(c), 0x20, 0, MUL, 0x0b], [T.i64]);
      for (const a of xs) {
        expect(right(a), `${a} * ${c}`).toBe(s64(a * c));
        expect(left(a), `${c} * ${a}`).toBe(s64(a * c));
      }
    }
  });
  it('a result written over its own operand\'s slot still reads both halves first (x * x, then * y)', () => {
    // (x * x) * y: the second multiply's left operand is the first's result slot.
    const f = compiled([0x20, 0, 0x20, 0, MUL, 0x20, 1, MUL, 0x0b], [T.i64, T.i64]);
    for (const a of xs.slice(0, 40)) for (const b of xs.slice(0, 40)) expect(f(a, b), `${a}^2 * ${b}`).toBe(s64(a * a * b));
  });
});
