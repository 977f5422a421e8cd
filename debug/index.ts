/**
 * debug/: the public surface. The DWARF reader (static debug information:
 * lines, functions, inlined calls, variables, types, locations), the
 * debugger core (`DebugSession`, DAP vocabulary, over the `DebugTarget`
 * interface runtime/ implements), expressions, and the gdb-style console.
 */

export * from './dwarf/index.js';
export { DebugSession } from './session/session.js';
export type { SessionEvents, SessionOptions, StoppedEvent, StopReasonName } from './session/session.js';
export type { DebugTarget, TargetFrame, TargetStopReason } from './session/target.js';
export type { Breakpoint, BreakpointLocation, WatchKind } from './session/breakpoints.js';
export type { SourceFrame } from './session/frames.js';
export type { DapScope, DapVariable } from './session/variables.js';
export type { CValue, Lvalue } from './session/values.js';
export { EvalError } from './session/values.js';
export { formatValue } from './session/format.js';
export type { Format } from './session/format.js';
export * from './expr/index.js';
export { DebugConsole, SessionEnd } from './console/console.js';
export type { ConsoleHost } from './console/console.js';
export * from './remote/index.js';
