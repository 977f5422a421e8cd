/**
 * wasmflip's public surface (the package's main export). So far: the spec
 * runner (engines as data, the `spectest` host module, tallies), the WASI
 * preview1 host used by `wasmflip run`, and the CLI entry points. The
 * JS-API-shaped `instantiate` / `compile` / `validate` and the modes arrive
 * with the AOT compiler and are added here.
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
