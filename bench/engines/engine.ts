/**
 * The one interface every benchmarked configuration implements.
 * Invariant: `load` does all compilation up front and reports how long it took;
 * the returned `run` only executes, so the measured time is execution time.
 * A configuration that cannot be set up (e.g. a level this build does not
 * support) throws from `load`: the runner turns that into a FAILED cell.
 */
import type { ResultType } from '../kernels.js';

/** What an engine needs to know about the export it will call. */
export interface KernelSignature {
  /** Export name of the (n: i32) -> i32|i64 function. */
  export: string;
  result: ResultType;
}

/** Compilation cost of one module in one engine, when the engine can measure it. */
export interface CompileInfo {
  /** Wall-clock milliseconds spent turning the module into runnable code. */
  ms: number;
  /** Other named timings and sizes (`jsBytes`: generated JavaScript, when there is any). */
  detail?: Record<string, number>;
}

/** A module loaded into an engine, ready to call. */
export interface LoadedKernel {
  run: (n: number) => number | bigint;
  compile?: CompileInfo;
  /** What the runtime says it runs (e.g. `mode: native-debug`, `level: control`). */
  info?: Record<string, string>;
  /** The module's exported memory, where the configuration exposes it (growth.ts grows it between calls). */
  memory?: { grow(delta: number): number };
  /** Undoes global state the configuration installed (debug hooks); called once, after the last run. */
  dispose?: () => void;
}

/** A way of running WebAssembly: V8's own, wasm2js, wasmflip at some level, … */
export interface Engine {
  /** Short name used by `--engines` and in reports. */
  name: string;
  /** One line for the report's legend. */
  description: string;
  /**
   * The package entry points (package.json "exports" keys) whose ES import
   * graphs this configuration loads; each item lists alternatives, the first
   * one the package exports is used. Absent: no code of ours (V8, wasm2js).
   */
  entries?: readonly (readonly string[])[];
  load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel>;
}
