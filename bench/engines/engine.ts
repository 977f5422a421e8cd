/**
 * The one interface every benchmarked engine implements.
 * Invariant: `load` does all compilation up front and reports how long it took;
 * the returned `run` only executes, so the measured time is execution time.
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
  /** Other named timings (e.g. a tool's process start-up that `ms` excludes). */
  detail?: Record<string, number>;
}

/** A module loaded into an engine, ready to call. */
export interface LoadedKernel {
  run: (n: number) => number | bigint;
  compile?: CompileInfo;
}

/** A way of running WebAssembly: V8's own, wasm2js, wasmflip's interpreter, … */
export interface Engine {
  /** Short name used by `--engines` and in reports. */
  name: string;
  /** One line for the report's legend. */
  description: string;
  load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel>;
}
