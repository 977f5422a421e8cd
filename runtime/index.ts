/**
 * wasmflip's public surface (the package's main export): the
 * WebAssembly-JS-API-shaped `instantiate` / `compile` / `validate` with the
 * `native` (compiled) and `debug` (interpreter) modes, the Memory / Table /
 * Global wrappers, the remote (worker-thread) debugger, the WASI preview1
 * host, the spec runner and the CLI entry points.
 */
export { instantiate, instantiateSync, instantiateCompiled } from './api/api.js';
export type { InstantiateResult } from './api/api.js';
export { compile, validate, WasmflipModule } from './api/module.js';
export { WasmflipInstance } from './api/instance.js';
export type { InstantiateOptions, Mode } from './api/instance.js';
export { Memory, Table, Global } from './api/wrappers.js';
export * from './spectest/index.js';
export { WASI_MODULE, WasiExit, WasiPreview1, createWasiHost } from './wasi/index.js';
export type { WasiHost, WasiHostOptions, WasiMemory, WasiOptions } from './wasi/index.js';
export { main, runCli, commands } from './cli/main.js';
export type { CliCommand, CliIO } from './cli/command.js';
export { formatValue, parseValue, ArgumentError } from './cli/format.js';
export { RemoteDebugger } from './remote/index.js';
export type { LaunchOptions } from './remote/index.js';
