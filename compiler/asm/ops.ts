/**
 * The asm.js translation's instruction map, a partial one: an instruction
 * without a row here makes its region stay JavaScript (regions.ts reads the
 * keys to skip such regions without translating them). The rows come from
 * the same opcode table as the compiler's HANDLERS, typed by its OpName.
 */
import type { Instr, OpName } from '../../interpreter/core.js';
import { control } from './control.js';
import type { AsmEmitter } from './emitter.js';
import { memory } from './memory.js';
import { numeric } from './numeric.js';

export type AsmOp = (ae: AsmEmitter, ins: Instr) => void;

export const ASM_OPS: { readonly [K in OpName]?: AsmOp } = { ...control, ...numeric, ...memory };
