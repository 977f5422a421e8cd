/**
 * The compiler's data: options, the result of `compile`, and the frame
 * layout that says which JavaScript variable holds each Wasm local and each
 * operand-stack slot (DESIGN.md invariant 4). The layout is plain JSON-able
 * data so the checkpoint pass and deopt/ (issue 6) can read it without
 * re-deriving the compiler's naming.
 *
 * Invariant: local i of function f lives in `l<i>` (plus `l<i>h`, the high
 * half, when it is an i64); the operand-stack slot at height j lives in
 * `s<j>` (plus `s<j>h`). Names never depend on anything in the module but
 * indices, so no module-controlled text reaches generated code this way.
 */
import type { RawSourceMap } from 'source-map';
import type { ValType } from '../interpreter/core.js';
import type { FrameMaps } from './passes/checkpoints.js';

/** Which checkpoints to compile (CompileOptions.checkpoints): `true` every kind, or a variant of passes/checkpoints.ts. */
export type CheckpointKind = true | 'traps' | 'stress';

export interface CompileOptions {
  /** Build a source map (default true). */
  readonly sourceMap?: boolean;
  /** Name of the generated file, for the source map's `file` field. */
  readonly fileName?: string;
  /**
   * Line info provider for source maps: code offset → original position.
   * When absent, the map points at the module's disassembly.
   */
  readonly lineInfo?: (offset: number) => { file: string; line: number; column: number } | undefined;
  /** Generated lines that will precede the module text where it is finally written (shifts the source map). */
  readonly sourceMapLineShift?: number;
  /** Compile functions on a worker pool when the code is at least this many bytes (default 1 MiB). */
  readonly parallelThreshold?: number;
  /**
   * Worker threads for such a compile (0: always inline; at most 8). By
   * default one per spare core, none with fewer than two spare: on 2 cores
   * one worker speeds up repeated compiles in a warm process (0.96-1.26x,
   * about 1.1x typically) but slows a one-shot compile in a fresh one
   * (0.86-0.93x, compiler/parallel.ts).
   */
  readonly threads?: number;
  /**
   * Emit deopt checkpoints (passes/checkpoints.ts: function entry, loop
   * headers, after calls, trap catches) and the frame maps (default false:
   * native code is then byte-identical to a build without the pass).
   * `'traps'`: after-call checks and trap catches only (traps stop with every
   * frame's state; no breakpoints). `'stress'`: every kind, each taken check
   * first asking the runtime whether to leave (`deoptEvery`). Compiles inline.
   */
  readonly checkpoints?: false | CheckpointKind;
  /**
   * With checkpoints: zero each dead local (one no later instruction reads)
   * before trap sites and calls (passes/dead-locals.ts), so the trap catch,
   * which reads every local, does not keep them all alive. `true`: every
   * dead local but those the name section names; a function: also keeping
   * the locals it returns for a function index (those DWARF names). Default
   * false: every local keeps its value, as in the interpreter.
   */
  readonly zeroDeadLocals?: boolean | ((funcIndex: number) => ReadonlySet<number>);
}

/** How one Wasm value lives in JS: an int32 number, two int32 halves, a number, or a JS value. */
export type Repr = 'i32' | 'i64pair' | 'f32' | 'f64' | 'ref';

export function reprOf(t: ValType): Repr {
  switch (t) {
    case 'i32': return 'i32';
    case 'i64': return 'i64pair';
    case 'f32': return 'f32';
    case 'f64': return 'f64';
    case 'funcref':
    case 'externref': return 'ref';
    case 'v128': throw new Error('v128 has no JavaScript representation in compiled code');
  }
}

/** Where one Wasm value lives: the JS variable (and its high half for i64) and how to read it canonically. */
export interface Slot {
  readonly name: string;
  /** For `i64pair`: the variable holding the high 32 bits (signed). */
  readonly hi?: string;
  readonly repr: Repr;
}

/** A function's frame layout: the JS variable of every local and of every operand-stack height. */
export interface FrameLayout {
  readonly funcIndex: number;
  /** Parameters first, then declared locals. */
  readonly locals: readonly Slot[];
  /** Stack slot names by height (0 = bottom); the repr varies by offset, so only names are fixed. */
  readonly stack: readonly { readonly name: string; readonly hi: string }[];
}

export interface CompileStats {
  readonly functions: number;
  /** Bytes of the Code section's function bodies. */
  readonly codeBytes: number;
  readonly jsBytes: number;
  /** Wall-clock milliseconds of each pass, in pipeline order. */
  readonly passMs: Readonly<Record<string, number>>;
  readonly totalMs: number;
  readonly msPerKB: number;
  /** Worker threads used (0: compiled inline). */
  readonly workers: number;
}

export interface CompiledModule {
  /**
   * The body of a strict-mode factory `function (env) { ... }`: given the
   * environment (instance state and support functions, see link/env.ts) it
   * returns the compiled functions. Load it with `loadCompiled`.
   */
  readonly js: string;
  readonly map: RawSourceMap | undefined;
  /** Per line of `js` (0-based), the code offset it came from, or -1: locates traps found from a stack trace. */
  readonly lineOffsets: Int32Array;
  readonly layouts: readonly FrameLayout[];
  readonly stats: CompileStats;
  /** With `checkpoints`: the frame maps (deopt/frame-map.ts's format; ids are `firstId + row`). */
  readonly frameMaps?: FrameMaps;
}
