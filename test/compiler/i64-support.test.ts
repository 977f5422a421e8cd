/**
 * The i64 helpers compiled modules carry (compiler/emit/i64-support.ts):
 * BigInt-free multiply, division and remainder give
 * exactly the interpreter's numeric.ts results, on edge values and on
 * random operands of every magnitude.
 */
import { describe, expect, it } from 'vitest';
import { numeric as N } from '../../interpreter/index.js';
import { i64Support } from '../../compiler/emit/i64-support.js';

type Fn = (...args: number[]) => number;
const NAMES = ['i64mul', 'i64divu', 'i64remu', 'i64divs', 'i64rems'];
const H: { [k: string]: Fn } & { hi: () => number } = new Function(
  'imul', 'Math_floor',
  `'use strict'; let H = 0;\n${i64Support(NAMES).join('\n')}\nreturn { ${NAMES.join(', ')}, hi: () => H };`,
)(Math.imul, Math.floor);

const EDGES = [0n, 1n, 2n, 3n, 7n, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, 0x1fffffffffffffn, 0x20000000000000n,
  0x7fffffffffffffffn, -1n, -2n, -0x80000000n, -0x8000000000000000n, 0x123456789abcdefn, -0x123456789abcdefn];

function rand64(seed: { s: bigint }): bigint {
  seed.s = (seed.s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  const bits = Number(seed.s >> 58n); // random magnitude, so small and large divisors both occur
  return BigInt.asIntN(64, seed.s >> BigInt(bits));
}

const halves = (v: bigint): [number, number] => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];

function same(name: string, got: number, want: number, wantHi: number, what: string): void {
  expect([got, H.hi()], `${name} ${what}`).toEqual([want, wantHi]);
}

function agree(a: bigint, b: bigint): void {
  const [alo, ahi] = halves(a), [blo, bhi] = halves(b);
  const what = `${a} ${b}`;
  let want = N.mul64(alo, ahi, blo, bhi);
  same('i64mul', H.i64mul!(alo, ahi, blo, bhi), want, N.hi64, what);
  if (b === 0n) return;
  for (const rem of [false, true]) {
    want = N.divu64(alo, ahi, blo, bhi, rem);
    same(rem ? 'i64remu' : 'i64divu', H[rem ? 'i64remu' : 'i64divu']!(alo, ahi, blo, bhi), want, N.hi64, what);
    if (a === -(1n << 63n) && b === -1n && !rem) continue; // trapped by the caller
    want = N.divs64(alo, ahi, blo, bhi, rem);
    same(rem ? 'i64rems' : 'i64divs', H[rem ? 'i64rems' : 'i64divs']!(alo, ahi, blo, bhi), want, N.hi64, what);
  }
}

describe('i64 helpers of compiled modules', () => {
  it('match numeric.ts on every pair of edge values', () => {
    for (const a of EDGES) for (const b of EDGES) agree(a, b);
  });
  it('match numeric.ts on 20000 random operand pairs of mixed magnitude', () => {
    const seed = { s: 0x9e3779b97f4a7c15n };
    for (let i = 0; i < 20000; i++) agree(rand64(seed), rand64(seed));
  });
  it('include each needed helper once, with what it calls', () => {
    const text = i64Support(['i64rems', 'i64divs']).join('\n');
    expect(text.match(/function i64udiv\(/g)).toHaveLength(1);
    expect(text).toContain('function i64mulhu(');
    expect(text).not.toContain('function i64mul(');
  });
});
