/**
 * The compiled code's BigInt-free 64-bit division (compiler/link/div64.ts)
 * gives exactly the interpreter's numeric.ts results, on edge values and on
 * random operands of every magnitude.
 */
import { describe, expect, it } from 'vitest';
import { numeric as N } from '../../interpreter/index.js';
import * as D from '../../compiler/link/div64.js';

const EDGES = [0n, 1n, 2n, 3n, 7n, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, 0x1fffffffffffffn, 0x20000000000000n,
  0x7fffffffffffffffn, -1n, -2n, -0x80000000n, -0x8000000000000000n, 0x123456789abcdefn, -0x123456789abcdefn];

function rand64(seed: { s: bigint }): bigint {
  seed.s = (seed.s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  const bits = Number(seed.s >> 58n); // random magnitude, so small and large divisors both occur
  return BigInt.asIntN(64, seed.s >> BigInt(bits));
}

const halves = (v: bigint): [number, number] => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];

function agree(a: bigint, b: bigint): void {
  if (b === 0n) return;
  const [alo, ahi] = halves(a), [blo, bhi] = halves(b);
  for (const rem of [false, true]) {
    const want = N.divu64(alo, ahi, blo, bhi, rem), wantHi = N.hi64;
    const got = D.divu(alo, ahi, blo, bhi, rem);
    expect([got, D.hi], `divu ${a} ${b} rem=${rem}`).toEqual([want, wantHi]);
    if (a === -(1n << 63n) && b === -1n) continue;
    const ws = N.divs64(alo, ahi, blo, bhi, rem), wsHi = N.hi64;
    const gs = D.divs(alo, ahi, blo, bhi, rem);
    expect([gs, D.hi], `divs ${a} ${b} rem=${rem}`).toEqual([ws, wsHi]);
  }
}

describe('64-bit division without BigInt', () => {
  it('matches numeric.ts on every pair of edge values', () => {
    for (const a of EDGES) for (const b of EDGES) agree(a, b);
  });
  it('matches numeric.ts on 20000 random operand pairs of mixed magnitude', () => {
    const seed = { s: 0x9e3779b97f4a7c15n };
    for (let i = 0; i < 20000; i++) agree(rand64(seed), rand64(seed));
  });
});
