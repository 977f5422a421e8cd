/**
 * The entry point for the debugging levels (`wasmflip/inspection` …
 * `wasmflip/modify`, and the presets that use them): the main API plus
 * what embeds a debugger in a host — the DAP-vocabulary DebugSession, the
 * interpreter target it drives (native-debug routes compiled frames into
 * it), the gdb-style console, and the worker-thread RemoteDebugger.
 *
 * Invariant: a re-export only; the level itself is an `instantiate` option.
 */
export { instantiate, instantiateSync, instantiateCompiled } from './api/api.js';
export type { InstantiateResult } from './api/api.js';
export { compile, validate, WasmflipModule } from './api/module.js';
export { WasmflipInstance } from './api/instance.js';
export type { InstantiateOptions, Mode } from './api/instance.js';
export { Memory, Table, Global } from './api/wrappers.js';
export { LEVELS, PRESETS, LEVEL_INFO, PRESET_INFO } from './api/levels.js';
export type { Level, Preset } from './api/levels.js';
export { InterpreterTarget } from './debug-target.js';
export { DebugSession, DebugConsole, dwarfFromModule } from '../debug/index.js';
export { RemoteDebugger } from './remote/index.js';
