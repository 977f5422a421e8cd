/**
 * The environment a compiled module's factory receives: its instance (the
 * state both tiers share) and the support functions its code calls. This is
 * everything generated code can reach (emit-module.ts destructures exactly
 * `ENV_NAMES`); JavaScript built-ins are captured here when this file loads,
 * so a page that later replaces `Math.fround` cannot change compiled code.
 *
 * Invariant: support functions compute what numeric.ts computes for the
 * interpreter (they call it) and throw the interpreter's Trap / Exhaustion
 * classes with the spec's messages, the code offset and the function index.
 */
import {
  Exhaustion, Trap, numeric as N, toWasmValue, typeIdOf,
  type FuncInstance, type FuncType, type Instance, type Ref, type Value,
} from '../../interpreter/core.js';
import { ENV_NAMES } from '../passes/emit-module.js';
import { asmLink } from '../asm/index.js';

const { fround, imul, clz32, ceil, floor, trunc, sqrt, min, max, abs } = Math;

const sF64 = new Float64Array(1);
const sF32 = new Float32Array(sF64.buffer, 0, 1);
const sI32 = new Int32Array(sF64.buffer);

export const f32Bits = (x: number): number => ((sF32[0] = x), sI32[0]!);
export const f32FromBits = (b: number): number => ((sI32[0] = b), sF32[0]!);
export const f64Lo = (x: number): number => ((sF64[0] = x), sI32[0]!);
export const f64Hi = (x: number): number => ((sF64[0] = x), sI32[1]!);
export const f64FromBits = (lo: number, hi: number): number => ((sI32[0] = lo), (sI32[1] = hi), sF64[0]!);

/** |x| by clearing the sign bit, so a NaN keeps its payload (spec: fabs is a bit operation). */
function absBits(x: number): number {
  if (x === x) return abs(x);
  sF64[0] = x;
  sI32[1] = sI32[1]! & 0x7fffffff;
  return sF64[0]!;
}

/** copysign on the sign bit (f32 values are exact doubles, and the sign bit is the same one). */
function copysign(a: number, b: number): number {
  sF64[0] = b;
  const sign = sI32[1]! & 0x80000000;
  sF64[0] = a;
  sI32[1] = (sI32[1]! & 0x7fffffff) | sign;
  return sF64[0]!;
}

/** Rounding that returns NaN operands quieted (spec: an arithmetic NaN), which Math.floor & co. do not. */
const quietNaN = (f: (x: number) => number) => (x: number): number => (x === x ? f(x) : x + 0);

export const lo64 = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const hi64 = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));
export const big = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

/**
 * A structural id per function type (spec 2.0: equal params and results), so
 * call_indirect compares integers; the interpreter's ids, so both tiers agree.
 */
export const sigOf: (t: FuncType) => number = typeIdOf;

/** Calls any function instance with canonical values; one result as itself, several as an array. */
let interpret: ((f: FuncInstance, args: readonly Value[]) => Value[]) | undefined;

/** Wires in the interpreter's `invoke` for functions without compiled code (compiler/index.ts). */
export function useInterpreter(run: (f: FuncInstance, args: readonly Value[]) => Value[]): void {
  interpret = run;
}

export function callFunc(f: FuncInstance, args: Value[]): unknown {
  if (f.kind === 'host') {
    const r = f.fn(...args);
    const rs = f.type.results;
    if (rs.length === 0) return undefined;
    if (rs.length === 1) return toWasmValue(rs[0]!, r);
    const vs = [...(r as Iterable<unknown>)];
    if (vs.length !== rs.length) throw new TypeError(`host function returned ${vs.length} values, expected ${rs.length}`);
    return vs.map((v, i) => toWasmValue(rs[i]!, v));
  }
  if (f.compiled !== undefined) return f.compiled(...args);
  if (interpret === undefined) throw new TypeError(`function ${f.index} has no compiled code, and this entry point loads no interpreter to run it (import wasmflip rather than wasmflip/static)`);
  const rs = interpret(f, args);
  return rs.length === 0 ? undefined : rs.length === 1 ? rs[0] : rs;
}

/** V8's message for a DataView access past the end: compiled code's only bounds check (emit/memory.ts). */
const DV_OOB = 'Offset is outside the bounds of the DataView';
/**
 * A stack frame of a compiled function: `at f12 (…:line:column)`, or
 * `at Array.f12 (…)` when called through `FN[i](…)` (call_indirect).
 */
const FRAME = /^\s*at (?:[\w$]+\.)?f(\d+) \(.*:(\d+):\d+\)$/;

const STACK_OVERFLOW = 'Maximum call stack size exceeded';

/** Code offset of a generated line (1-based, as stack traces count), or -1. */
export type Locate = (line: number) => number;

/**
 * What an error leaving compiled code becomes at its canonical entry: a
 * JavaScript stack overflow is the spec's exhaustion trap; a DataView
 * access out of bounds in compiled code is the out-of-bounds trap, placed
 * at the function (from the frame's name `f<i>`) and, given the module's
 * line table, the instruction. The RangeError is taken for ours only when
 * the frame under the DataView call is a compiled function's (or, with no
 * stack to read, when the message is the DataView's), so a host's own
 * RangeError passes through untouched.
 */
export function exhaustion(e: unknown, locate?: Locate, trap?: (msg: string, off: number, fi: number) => Trap): unknown {
  if (!(e instanceof Error)) return e;
  // V8's overflow message, whatever the class: an overflow while compiling or running a regular
  // expression comes out as that error's class. Compared without a regular expression, which near
  // the stack's end would overflow again (native-debug's trap catches run there).
  if (e.message === STACK_OVERFLOW) return new Exhaustion('call stack exhausted');
  if (!(e instanceof RangeError)) return e;
  if (/call stack/i.test(e.message)) return new Exhaustion('call stack exhausted');
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s*at /.test(l));
  // No frames to look at (stackTraceLimit = 0, a custom prepareStackTrace): the message decides.
  if (frames.length === 0) return e.message === DV_OOB ? new Trap(MESSAGES.OOB_MEMORY) : e;
  if (!/^\s*at DataView\./.test(frames[0]!)) return e;
  if (frames.length === 1) return new Trap(MESSAGES.OOB_MEMORY); // the caller's frame was cut off
  const m = FRAME.exec(frames[1]!);
  if (m === null) return e; // a host's own DataView access
  const fi = Number(m[1]), off = locate?.(Number(m[2])) ?? -1;
  if (trap !== undefined) return trap(MESSAGES.OOB_MEMORY, off, fi);
  return new Trap(MESSAGES.OOB_MEMORY, off < 0 ? undefined : off, fi);
}

const MESSAGES = {
  UNREACHABLE: 'unreachable',
  DIV_ZERO: N.DIV_ZERO,
  INT_OVERFLOW: N.INT_OVERFLOW,
  INVALID_CONVERSION: N.INVALID_CONVERSION,
  OOB_MEMORY: 'out of bounds memory access',
  OOB_TABLE: 'out of bounds table access',
  UNDEFINED_ELEMENT: 'undefined element',
  UNINITIALIZED_ELEMENT: 'uninitialized element',
  INDIRECT_MISMATCH: 'indirect call type mismatch',
} as const;

/** The original source position of a code offset (`file.c:12:5`), when the module has line info. */
export type Describe = (offset: number) => string | undefined;

/**
 * Builds the environment of one instance. `locate` finds the instruction of
 * a trap seen on the stack (load.ts); `describe`, when given, adds the
 * original source position to every trap: `… (in func 3, at offset 0x1a3)
 * [shapes.c:12:5]`, also as the trap's `source` property.
 */
export function makeEnv(inst: Instance, locate?: Locate, describe?: Describe): Record<(typeof ENV_NAMES)[number], unknown> {
  const names = inst.module.names.funcs;
  const trap = (msg: string, off: number, fi: number): Trap => {
    const t = new Trap(msg, off < 0 ? undefined : off, fi, names.get(fi));
    const source = off >= 0 ? describe?.(off) : undefined;
    if (source !== undefined) {
      t.message += ` [${source}]`;
      Object.defineProperty(t, 'source', { value: source, enumerable: true });
    }
    return t;
  };
  const rethrow = (e: unknown, off: number, fi: number): unknown => (typeof e === 'string' ? trap(e, off, fi) : e);
  const mem = () => inst.mems[0]!;
  const oob = (what: string, off: number, fi: number): Trap => trap(what, off, fi);

  const env = {
    inst, trap, N, fround, imul, clz32,
    Math_ceil: ceil, Math_floor: floor, Math_trunc: trunc, Math_sqrt: sqrt, Math_min: min, Math_max: max,
    abs32: absBits, abs64: absBits,
    ceil64: quietNaN(ceil), floor64: quietNaN(floor), trunc64f: quietNaN(trunc), nearest64: quietNaN(N.nearest), copysign32: copysign, copysign64: copysign,
    f32Bits, f32FromBits, f64Lo, f64Hi, f64FromBits, lo64, hi64, big, callFunc, sigOf,
    exhaustion: (e: unknown): unknown => exhaustion(e, locate, trap),
    trunc64(signed: boolean, x: number, off: number, fi: number): number {
      try {
        return signed ? N.truncS64(x) : N.truncU64(x);
      } catch (e) {
        throw rethrow(e, off, fi);
      }
    },
    memoryInit(seg: number, d: number, s: number, n: number, off: number, fi: number): void {
      const data = inst.datas[seg]!, u8 = mem().u8;
      d >>>= 0; s >>>= 0; n >>>= 0;
      if (s + n > data.length || d + n > u8.length) throw oob(MESSAGES.OOB_MEMORY, off, fi);
      u8.set(data.subarray(s, s + n), d);
    },
    dataDrop(seg: number): void {
      inst.datas[seg] = new Uint8Array(0);
    },
    memoryCopy(d: number, s: number, n: number, off: number, fi: number): void {
      const u8 = mem().u8;
      d >>>= 0; s >>>= 0; n >>>= 0;
      if (s + n > u8.length || d + n > u8.length) throw oob(MESSAGES.OOB_MEMORY, off, fi);
      u8.copyWithin(d, s, s + n);
    },
    memoryFill(d: number, v: number, n: number, off: number, fi: number): void {
      const u8 = mem().u8;
      d >>>= 0; n >>>= 0;
      if (d + n > u8.length) throw oob(MESSAGES.OOB_MEMORY, off, fi);
      u8.fill(v & 0xff, d, d + n);
    },
    tableFill(t: number, i: number, v: Ref, n: number, off: number, fi: number): void {
      const el = inst.tables[t]!.elements;
      i >>>= 0; n >>>= 0;
      if (i + n > el.length) throw oob(MESSAGES.OOB_TABLE, off, fi);
      el.fill(v, i, i + n);
    },
    tableCopy(dt: number, st: number, d: number, s: number, n: number, off: number, fi: number): void {
      const dst = inst.tables[dt]!.elements, src = inst.tables[st]!.elements;
      d >>>= 0; s >>>= 0; n >>>= 0;
      if (s + n > src.length || d + n > dst.length) throw oob(MESSAGES.OOB_TABLE, off, fi);
      if (dst === src) dst.copyWithin(d, s, s + n);
      else for (let k = 0; k < n; k++) dst[d + k] = src[s + k];
    },
    tableInit(seg: number, t: number, d: number, s: number, n: number, off: number, fi: number): void {
      const el = inst.tables[t]!.elements, elem = inst.elems[seg]!;
      d >>>= 0; s >>>= 0; n >>>= 0;
      if (s + n > elem.length || d + n > el.length) throw oob(MESSAGES.OOB_TABLE, off, fi);
      for (let k = 0; k < n; k++) el[d + k] = elem[s + k];
    },
    elemDrop(seg: number): void {
      inst.elems[seg] = [];
    },
    asmLink: (asmModule: Parameters<typeof asmLink>[0], limits: readonly number[]) => asmLink(asmModule, mem(), limits, trap, MESSAGES),
    ...MESSAGES,
  };
  return env;
}
