/**
 * Linking the module's asm.js module (module.ts) to memory 0's current
 * buffer: the standard library it may use, the foreign trap and slow-path
 * accesses, and the bounds memory.ts checks against.
 *
 * Invariant: a link that V8 would refuse is never attempted, so V8 never
 * prints its "Linking failure in asm.js" warning and never runs the module
 * as plain JavaScript: for a buffer asm.js cannot take as its heap (or one
 * smaller than some region's access reaches, whose `m<K>` would be
 * negative) this returns null and the regions' JavaScript runs instead.
 */
import type { Trap } from '../../interpreter/core.js';
import { ASM_TRAPS } from './emitter.js';
import { ASM_ACCESS } from './memory.js';

/** The asm.js module's exports: the regions and the output getters. */
export type AsmExports = Readonly<Record<string, (...args: number[]) => number>>;
type AsmModule = (stdlib: unknown, foreign: unknown, heap: ArrayBuffer) => AsmExports;

/** Memory 0 as link needs it (a MemoryInstance). */
interface Heap {
  readonly buffer: ArrayBuffer;
  readonly dv: DataView;
}

// The built-ins, captured when this file loads: a page that later replaces
// Math.fround can neither break the link nor change what regions compute.
const { fround, imul, clz32, sqrt, abs, ceil, floor } = Math;
const STDLIB = Object.freeze({
  Math: Object.freeze({ fround, imul, clz32, sqrt, abs, ceil, floor }),
  Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Float32Array, Float64Array,
  Infinity, NaN,
});

/** Typed arrays read Wasm's byte order only on a little-endian host. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Whether V8 takes a buffer of n bytes as an asm.js heap: at least 4 KiB, a
 * power of two below 16 MiB or a multiple of 16 MiB above; and below 2 GiB,
 * so every checked address is a non-negative int32 (memory.ts).
 */
export function isAsmHeapSize(n: number): boolean {
  if (n < 4096 || n >= 2 ** 31) return false;
  return n < 2 ** 24 ? (n & (n - 1)) === 0 : n % 2 ** 24 === 0;
}

/**
 * Links `asmModule` to `mem`'s buffer, or null when asm.js cannot use it.
 * `limits`: the `offset + size` of the module's accesses (memory.ts binds
 * `m<K>` to the length − K); `trap` makes the trap a region raises, from the
 * spec's message in `messages`, the code offset and the function index.
 */
export function asmLink(
  asmModule: AsmModule, mem: Heap, limits: readonly number[],
  trap: (msg: string, off: number, fi: number) => Trap, messages: Readonly<Record<(typeof ASM_TRAPS)[number], string>>,
): AsmExports | null {
  const buffer = mem.buffer, n = buffer.byteLength, dv = mem.dv;
  if (!LITTLE_ENDIAN || !isAsmHeapSize(n) || limits.some((k) => k > n)) return null;
  /** The effective address of a slow-path access, or the out-of-bounds trap. */
  const address = (kind: number, base: number, offset: number, at: number, fi: number): number => {
    const a = (base >>> 0) + offset;
    if (a + ASM_ACCESS[kind]!.size > n) throw trap(messages.OOB_MEMORY, at, fi);
    return a;
  };
  const foreign: Record<string, unknown> = {
    T(code: number, at: number, fi: number): never {
      throw trap(messages[ASM_TRAPS[code]!], at, fi);
    },
    LD(kind: number, base: number, offset: number, at: number, fi: number): number {
      return dv[ASM_ACCESS[kind]!.get](address(kind, base, offset, at, fi), true);
    },
    ST(kind: number, base: number, offset: number, v: number, at: number, fi: number): void {
      dv[ASM_ACCESS[kind]!.set](address(kind, base, offset, at, fi), v, true);
    },
    msz: n / 65536,
  };
  for (const k of limits) foreign[`m${k}`] = n - k;
  return asmModule(STDLIB, foreign, buffer);
}
