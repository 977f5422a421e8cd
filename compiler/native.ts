/**
 * compiler/'s surface without the interpreter (index.ts adds it):
 * WebAssembly → JavaScript, as a visible list of named passes
 * (house rule H-16, after binaryen's wasm2js `processWasm`). The input is a
 * decoded and validated Module (validation fills the operand-stack heights
 * the emitter checks itself against); the output is module text for a
 * strict-mode factory over its instance's environment, a source map, the
 * text's line → code offset table (traps found on the JS stack are placed
 * with it, link/env.ts), the frame layouts and timings.
 *
 * The pipeline, in order:
 *   1. check-features   reject SIMD before emitting anything (clear error, not a half-built module)
 *   2. frame-layout     name every local / stack slot's JS variable (frame maps of issue 6 read this)
 *   2b. may-grow        which functions may grow memory (calls to others need not re-read memory's views)
 *   3. emit-function    each body → one JS function (inline, or on a worker pool for large modules)
 *                       (small innermost loops unrolled four times as they close: emit/unroll.ts;
 *                       without checkpoints, f32 loop nests also as asm.js functions: asm/)
 *   3a. dead-locals     (with checkpoints and option `zeroDeadLocals`) which dead locals to zero before each trap site and call
 *   3b. checkpoints     (option `checkpoints`, off by default) flag checks + frame maps for deopt
 *   3c. store-pairs     i32 store pairs and i64 stores of loop-invariant values as one f64 store
 *   4. emit-module      prologue, adapters, the asm.js module, indirect-call dispatchers, canonical entries
 *   5. source-map       every emitted statement → its instruction (DWARF line or disassembly)
 */
import type { Module } from '../interpreter/core.js';
import { codeBytes } from './chunks.js';
import { checkFeatures } from './passes/check-features.js';
import { emitFunction, type FuncCode } from './passes/emit-function.js';
import { emitModule } from './passes/emit-module.js';
import { frameLayout } from './passes/frame-layout.js';
import { frameMapsOf, type CheckpointMode } from './passes/checkpoints.js';
import { mayGrow } from './passes/may-grow.js';
import { sourceMap } from './passes/source-map.js';
import type { CompiledModule, CompileOptions, FrameLayout } from './types.js';

export type { CheckpointKind, CompiledModule, CompileOptions, CompileStats, FrameLayout, Repr, Slot } from './types.js';
export { UnsupportedError } from './emit/handlers.js';
export { loadCompiled, factoryOf, ownFactory, FUNCTION_HEADER_LINES, type LoadedCode } from './link/load.js';
export { sigOf, big, lo64, hi64, callFunc, exhaustion, type Describe } from './link/env.js';
export { disassembly, sourceMap } from './passes/source-map.js';
export { emitModule, type ModuleText } from './passes/emit-module.js';
export { emitFunction, type FuncCode } from './passes/emit-function.js';
export { cancelWarm, compileParallel, warmPool } from './parallel.js';
export { codeBytes } from './chunks.js';
export { mayGrow } from './passes/may-grow.js';
export { FRAME_MAP_VERSION as CHECKPOINT_MAP_VERSION, letterOf, mayTrap } from './passes/checkpoints.js';
export type { FrameMaps as CheckpointMaps, CheckpointRow as CheckpointMapRow, FuncFrameMap as FuncCheckpointMap } from './passes/checkpoints.js';

/** Times one pass into `passMs`. */
function timed<T>(passMs: Record<string, number>, name: string, f: () => T): T {
  const start = performance.now();
  try {
    return f();
  } finally {
    passMs[name] = (passMs[name] ?? 0) + performance.now() - start;
  }
}

/** The checkpoint pass's mode for the options (`true`: every kind), or null when it is off. */
function checkpointMode(options: CompileOptions): CheckpointMode | null {
  const c = options.checkpoints;
  return c === true ? 'all' : c === 'traps' || c === 'stress' ? c : null;
}

const NONE: ReadonlySet<number> = new Set();

/** The locals of function `i` kept while dead (CompileOptions.zeroDeadLocals), or null to zero none. */
function keptLocals(options: CompileOptions, i: number): ReadonlySet<number> | null {
  const z = options.zeroDeadLocals;
  return z === true ? NONE : typeof z === 'function' ? z(i) : null;
}

/** Compiles a validated module on this thread. */
export function compile(module: Module, options: CompileOptions = {}): CompiledModule {
  return finish(module, options, (passMs, grows) => {
    const funcs: FuncCode[] = [];
    timed(passMs, 'emit-function', () => {
      for (let i = module.importedFuncCount; i < module.funcTypes.length; i++) funcs.push(emitFunction(module, i, grows, checkpointMode(options), keptLocals(options, i)));
    });
    return { funcs, workers: 0 };
  });
}

/**
 * The passes around function emission, shared by the inline and parallel
 * paths: `emitAll` produces every function's code (pass 3) given the
 * may-grow table.
 */
export function finish(
  module: Module,
  options: CompileOptions,
  emitAll: (passMs: Record<string, number>, grows: Uint8Array) => { funcs: FuncCode[]; workers: number },
): CompiledModule;
export function finish(
  module: Module,
  options: CompileOptions,
  emitAll: (passMs: Record<string, number>, grows: Uint8Array) => Promise<{ funcs: FuncCode[]; workers: number }>,
): Promise<CompiledModule>;
export function finish(
  module: Module,
  options: CompileOptions,
  emitAll: (passMs: Record<string, number>, grows: Uint8Array) => { funcs: FuncCode[]; workers: number } | Promise<{ funcs: FuncCode[]; workers: number }>,
): CompiledModule | Promise<CompiledModule> {
  const start = performance.now();
  const passMs: Record<string, number> = {};
  timed(passMs, 'check-features', () => checkFeatures(module));
  const layouts: FrameLayout[] = timed(passMs, 'frame-layout', () =>
    module.funcs.map((f, k) => frameLayout(module, module.importedFuncCount + k, f)));
  const grows = timed(passMs, 'may-grow', () => mayGrow(module));
  const rest = ({ funcs, workers }: { funcs: FuncCode[]; workers: number }): CompiledModule => {
    const text = timed(passMs, 'emit-module', () => emitModule(module, funcs, checkpointMode(options) !== null));
    const frameMaps = checkpointMode(options) !== null
      ? frameMapsOf(funcs.map((f) => ({ funcIndex: f.funcIndex, base: f.checkpoints!.base, locals: f.checkpoints!.locals, rows: f.checkpoints!.rows })))
      : undefined;
    const js = text.pieces.join('\n') + '\n';
    const map = options.sourceMap === false ? undefined : timed(passMs, 'source-map', () => sourceMap(module, text, options, options.sourceMapLineShift ?? 0));
    const totalMs = performance.now() - start;
    const bytes = codeBytes(module);
    return {
      js, map, layouts, lineOffsets: Int32Array.from(text.offsets), ...(frameMaps === undefined ? {} : { frameMaps }),
      stats: {
        functions: funcs.length, codeBytes: bytes, jsBytes: js.length, passMs, totalMs,
        msPerKB: bytes > 0 ? totalMs / (bytes / 1024) : 0, workers,
      },
    };
  };
  const emitted = emitAll(passMs, grows);
  return emitted instanceof Promise ? emitted.then(rest) : rest(emitted);
}
