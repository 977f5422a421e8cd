/**
 * Reading and writing canonical values in the machine's stack slots (the
 * frame-map conversion of DESIGN.md invariant 6, interpreter side).
 * `bits` selects the bit-exact form: f32 as its u32 pattern (a number), f64
 * as its u64 pattern (a BigInt). A JavaScript number cannot carry a
 * signalling NaN on every engine: reading one from a typed array quiets it.
 */
import type { ValType } from '../syntax/types.js';
import { machine as M } from './machine.js';
import { fromBigInt, hi64, toBigInt } from './numeric.js';
import type { Value } from './values.js';

/** Reads the value of type `t` in the slot at doubled index `k`. */
export function readSlot(t: ValType, k: number, bits = false): Value {
  switch (t) {
    case 'i32':
      return M.I32[k]!;
    case 'i64':
      return toBigInt(M.I32[k]!, M.I32[k + 1]!);
    case 'f32':
      return bits ? M.I32[k]! >>> 0 : M.F32[k]!;
    case 'f64':
      return bits ? BigInt.asUintN(64, toBigInt(M.I32[k]!, M.I32[k + 1]!)) : M.F64[k >> 1]!;
    case 'funcref':
    case 'externref':
      return M.R[k >> 1];
    case 'v128':
      throw new TypeError('v128 values are not supported by the interpreter yet');
  }
}

/** Writes `v` (canonical form of `t`) into the slot at doubled index `k`. */
export function writeSlot(t: ValType, k: number, v: Value, bits = false): void {
  switch (t) {
    case 'i32':
      M.I32[k] = v as number;
      return;
    case 'i64':
      M.I32[k] = fromBigInt(BigInt.asIntN(64, v as bigint));
      M.I32[k + 1] = hi64;
      return;
    case 'f32':
      if (bits) M.I32[k] = v as number;
      else M.F32[k] = v as number;
      return;
    case 'f64':
      if (bits) {
        M.I32[k] = fromBigInt(v as bigint);
        M.I32[k + 1] = hi64;
      } else M.F64[k >> 1] = v as number;
      return;
    case 'funcref':
    case 'externref':
      M.R[k >> 1] = v;
      return;
    case 'v128':
      throw new TypeError('v128 values are not supported by the interpreter yet');
  }
}
