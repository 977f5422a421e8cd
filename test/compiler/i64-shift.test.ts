/**
 * The inline i64 shifts and rotations of compiled code by a variable count
 * (compiler/emit/i64.ts `variableShift`, `variableRotate`): results equal
 * the interpreter's numeric.ts for every count 0-63, counts past 63 (taken
 * mod 64, high half of the count ignored) and operands of every shape, and
 * the same operation by a constant count agrees.
 */
import { describe, expect, it } from 'vitest';
import { numeric as N } from '../../interpreter/index.js';
import { T, sleb } from '../helpers/wasm-builder.js';
import { compiledI64 } from '../helpers/compiled.js';

const OPS = { shl: [0x86, N.shl64], shr_s: [0x87, N.shrs64], shr_u: [0x88, N.shru64], rotl: [0x89, N.rotl64], rotr: [0x8a, N.rotr64] } as const;

const VALUES = [0n, 1n, -1n, 0x80000000n, 0xffffffffn, 0x100000000n, -(1n << 63n), 0x123456789abcdefn, -0x123456789abcdefn, 0x7fffffffffffffffn];

const halves = (v: bigint): [number, number] => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
const join = (lo: number, hi: number): bigint => BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));

describe('inline i64 shifts and rotations by a variable count', () => {
  const counts = [...Array.from({ length: 64 }, (_, i) => BigInt(i)), 64n, 65n, 95n, 127n, 0x100000020n, -1n, -32n];
  for (const [op, [code, numeric]] of Object.entries(OPS)) {
    it(`i64.${op} equals numeric.ts for counts 0-63 and past`, () => {
      const f = compiledI64([0x20, 0, 0x20, 1, code, 0x0b], [T.i64, T.i64]);
      for (const v of VALUES) {
        const [lo, hi] = halves(v);
        for (const n of counts) {
          const low = numeric(lo, hi, Number(BigInt.asIntN(32, n)));
          expect(f(v, n), `${v} ${op} ${n}`).toBe(join(low, N.hi64));
        }
      }
    });
    it(`i64.${op} by a variable count equals the same shift by a constant`, () => {
      const f = compiledI64([0x20, 0, 0x20, 1, code, 0x0b], [T.i64, T.i64]);
      for (const n of [0n, 1n, 31n, 32n, 33n, 63n]) {
        const g = compiledI64([0x20, 0, 0x42, ...sleb(n), code, 0x0b], [T.i64]);
        for (const v of VALUES) expect(f(v, n), `${v} ${op} ${n}`).toBe(g(v));
      }
    });
  }
});
