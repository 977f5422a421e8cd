/**
 * Small tables and helpers of the lowering (predecode.ts): which compares
 * fuse with a branch, how constants become slot words, memarg offsets in
 * int32 code words, and the global access op of each value type.
 */
import { Trap } from '../errors.js';
import type { Instr, ValType } from '../syntax/types.js';
import { Op } from './ops.js';

/** i32 compares and the compare-and-branch ops that jump when it holds / when it does not. */
export const JUMPS = new Map<number, readonly [Op, Op]>([
  [Op.I32Eqz, [Op.JmpI32Eqz, Op.BrIf]],
  [Op.I32Eq, [Op.JmpI32Eq, Op.JmpI32Ne]],
  [Op.I32Ne, [Op.JmpI32Ne, Op.JmpI32Eq]],
  [Op.I32LtS, [Op.JmpI32LtS, Op.JmpI32GeS]],
  [Op.I32LtU, [Op.JmpI32LtU, Op.JmpI32GeU]],
  [Op.I32GtS, [Op.JmpI32GtS, Op.JmpI32LeS]],
  [Op.I32GtU, [Op.JmpI32GtU, Op.JmpI32LeU]],
  [Op.I32LeS, [Op.JmpI32LeS, Op.JmpI32GtS]],
  [Op.I32LeU, [Op.JmpI32LeU, Op.JmpI32GtU]],
  [Op.I32GeS, [Op.JmpI32GeS, Op.JmpI32LtS]],
  [Op.I32GeU, [Op.JmpI32GeU, Op.JmpI32LtU]],
]);

/** Constant slots per function at most: past that, constants are instructions again. */
export const MAX_CONSTS = 256;

/** The two words a constant instruction puts in a slot, or null for other instructions. */
export function constWords(ins: Instr): [number, number] | null {
  switch (ins.op) {
    case 'i32.const':
    case 'f32.const':
      return [(ins.value as number) | 0, 0];
    case 'i64.const':
    case 'f64.const': {
      const v = ins.value as bigint;
      return [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
    }
    default:
      return null;
  }
}

/**
 * Flat code holds int32 words, so a memarg offset of 2^31 or more is clamped
 * to 2^31 - 1: with any memory under 2 GiB both trap, as every access there
 * is out of bounds.
 */
export function memOffset(offset: number): number {
  return offset > 0x7fffffff ? 0x7fffffff : offset;
}

export function globalOp(t: ValType, set: boolean): Op {
  switch (t) {
    case 'i32': return set ? Op.GlobalSetI32 : Op.GlobalGetI32;
    case 'i64': return set ? Op.GlobalSetI64 : Op.GlobalGetI64;
    case 'f32': return set ? Op.GlobalSetF32 : Op.GlobalGetF32;
    case 'f64': return set ? Op.GlobalSetF64 : Op.GlobalGetF64;
    case 'funcref':
    case 'externref': return set ? Op.GlobalSetRef : Op.GlobalGetRef;
    case 'v128': throw new Trap('SIMD globals are not supported by the interpreter yet');
  }
}
