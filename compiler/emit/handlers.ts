/**
 * THE compiler's instruction map: one emitter per row of the opcode table
 * (DESIGN.md invariant 1, house rule H-7). It is typed `OpHandlers<Emit>`,
 * so a row added to the table fails to type-check here until it is handled.
 * SIMD rows map to one emitter that rejects the function with a clear error.
 */
import type { OpHandlers, SimdOpName } from '../../interpreter/core.js';
import { OPCODES, isSimd } from '../../interpreter/core.js';
import { calls } from './calls.js';
import { control } from './control.js';
import type { Emit } from './func-emitter.js';
import { i64 } from './i64.js';
import { memory } from './memory.js';
import { numeric } from './numeric.js';
import { variables } from './variables.js';

/** Thrown for input the compiler does not support (SIMD); names the function and offset. */
export class UnsupportedError extends Error {
  override readonly name = 'UnsupportedError';
}

const simdUnsupported: Emit = (fe, ins) => {
  throw new UnsupportedError(
    `SIMD instruction ${ins.op} is not supported by the AOT compiler (in func ${fe.funcIndex}, at offset 0x${ins.offset.toString(16)}); run this module in debug mode`,
  );
};

const simd = Object.fromEntries(
  OPCODES.filter((r) => isSimd(r.name)).map((r) => [r.name, simdUnsupported]),
) as { readonly [K in SimdOpName]: Emit };

export const HANDLERS: OpHandlers<Emit> = {
  ...control,
  ...variables,
  ...numeric,
  ...i64,
  ...memory,
  ...calls,
  ...simd,
};
