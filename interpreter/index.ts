/**
 * The interpreter folder's public surface: core.ts (syntax, decoding,
 * validation, the disassembler, the errors, the instance state and its
 * linking: what compiled code needs too) plus the interpreter's execution:
 * instantiation with the start function, invocation, frames and the
 * debugger's hooks. Other folders import this file, or core.ts alone when
 * they must not load the execution engine (the `static` entry point).
 */
export * from './core.js';
export { instantiate } from './exec/start.js';
export { invoke, invokeBits, invokeExport } from './exec/invoke.js';
export { captureFrames, resume, stopOffsetOf, stopStateIndex } from './exec/frames.js';
export type { FrameState, LiveFrame } from './exec/frames.js';
export { hooks, pause, setPauseFlag, setBreakpoint, clearBreakpoint, readLocal, writeLocal, currentDepth } from './exec/debug-hooks.js';
export type { DebugHooks, StopReason } from './exec/debug-hooks.js';
export { preferExact } from './exec/flat-cache.js';
