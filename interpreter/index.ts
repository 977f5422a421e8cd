/**
 * The interpreter folder's public surface (the only file other folders import):
 * the module's syntax (types, THE opcode table, offsets), decoding, validation,
 * the disassembler and the error classes.
 */
export * from './syntax/types.js';
export * from './syntax/offsets.js';
export * from './syntax/opcodes.js';
export * from './errors.js';
export { decode } from './binary/decode.js';
export { validate, operandTypesAt } from './valid/validate.js';
export type { Operand } from './valid/func.js';
export { blockStructure } from './valid/blocks.js';
export type { BlockStructure } from './valid/blocks.js';
export { disassembleFunc, formatInstr } from './text/disassemble.js';

// Execution: the store, instantiation, invocation.
export * from './exec/values.js';
export * from './exec/store.js';
export { instantiate, evalConst } from './exec/instantiate.js';
export type { InstantiateOptions } from './exec/instantiate.js';
export { invoke, invokeBits, invokeExport } from './exec/invoke.js';
export { resolverOf, asExternVal, sameFuncType } from './exec/link.js';
export type { ImportObject, ImportResolver } from './exec/link.js';
export * as numeric from './exec/numeric.js';
export { captureFrames, resume, instrIndexAt, stopOffsetOf } from './exec/frames.js';
export type { FrameState, LiveFrame } from './exec/frames.js';
export { hooks, pause, setPauseFlag, setBreakpoint, clearBreakpoint, readLocal, writeLocal, currentDepth } from './exec/debug-hooks.js';
export type { DebugHooks, StopReason } from './exec/debug-hooks.js';
export { preferExact } from './exec/flat-cache.js';
export { typeIdOf } from './exec/typeid.js';
