/**
 * The interpreter folder's core surface: what both tiers share and nothing
 * of the interpreter's execution engine — the module's syntax (types, THE
 * opcode table, offsets), decoding, validation, the disassembler, the error
 * classes, the store (instance state) with linking and initialisation, the
 * numeric semantics and function-type ids. index.ts adds execution.
 *
 * Invariant: nothing reachable from here imports exec/run.ts (checked by a
 * test over the built import graph).
 */
export * from './syntax/types.js';
export * from './syntax/offsets.js';
export * from './syntax/opcodes.js';
export * from './errors.js';
export { decode, decodeBody, type DecodeOptions } from './binary/decode.js';
export { validate, operandTypesAt, operandTypesAtEach, operandTypesByIndex } from './valid/validate.js';
export type { Operand } from './valid/func.js';
export { blockStructure } from './valid/blocks.js';
export type { BlockStructure } from './valid/blocks.js';
export { disassembleFunc, formatInstr } from './text/disassemble.js';
export * from './exec/values.js';
export * from './exec/store.js';
export { instantiateState, evalConst } from './exec/instantiate.js';
export type { InstantiateOptions } from './exec/instantiate.js';
export { resolverOf, asExternVal, sameFuncType } from './exec/link.js';
export type { ImportObject, ImportResolver } from './exec/link.js';
export * as numeric from './exec/numeric.js';
export { typeIdOf } from './exec/typeid.js';
