/**
 * The run-time objects of an instance (spec 4.2.3 "Store"): memories,
 * tables, globals and function instances. Both tiers share them (DESIGN.md
 * invariant 5): compiled code and the interpreter read and write the very
 * same objects, so switching tier never copies state.
 *
 * Invariant: a MemoryInstance's `buffer`, `u8` and `dv` always describe the
 * current memory; growth replaces all three at once and bumps `generation`,
 * so code that caches views re-reads them after anything that may grow
 * memory (a call or memory.grow).
 */
import type { FuncType, GlobalType, MemType, Module, TableType } from '../syntax/types.js';
import type { FlatFunc } from './flat-func.js';
import type { Ref, Value } from './values.js';

export const PAGE_SIZE = 65536;
/** 65536 pages = 4 GiB, the most a 32-bit memory can address. */
export const MAX_PAGES = 65536;
/** Tables are limited to 2^32-1 elements by the spec; engines cap far lower. */
export const MAX_TABLE_SIZE = 10_000_000;

export class MemoryInstance {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  dv: DataView;
  /** Bumped on every growth, so cached views can be checked cheaply. */
  generation = 0;
  /**
   * Called after every growth: an instance running native code reloads it on
   * some (runtime/api/instance-core.ts). Kept as long as the memory: an
   * instance importing it lives as long in practice.
   */
  readonly onGrow: (() => void)[] = [];
  readonly max: number;

  constructor(readonly type: MemType) {
    this.max = Math.min(type.limits.max ?? MAX_PAGES, MAX_PAGES);
    this.buffer = new ArrayBuffer(type.limits.min * PAGE_SIZE);
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  get pages(): number {
    return this.buffer.byteLength / PAGE_SIZE;
  }

  /** Grows by `delta` pages; returns the old size in pages, or -1 (spec: memory.grow). */
  grow(delta: number): number {
    const old = this.pages;
    if (delta === 0) return old;
    const next = old + delta;
    if (delta < 0 || next > this.max) return -1;
    let buffer: ArrayBuffer;
    try {
      buffer = new ArrayBuffer(next * PAGE_SIZE);
    } catch {
      return -1; // the host could not allocate: the spec lets grow fail
    }
    new Uint8Array(buffer).set(this.u8);
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.dv = new DataView(buffer);
    this.generation++;
    for (const f of this.onGrow) f();
    return old;
  }
}

export class TableInstance {
  readonly elements: Ref[];
  readonly max: number;

  constructor(readonly type: TableType, init: Ref = null) {
    this.max = Math.min(type.limits.max ?? MAX_TABLE_SIZE, MAX_TABLE_SIZE);
    this.elements = new Array<Ref>(type.limits.min).fill(init);
  }

  get size(): number {
    return this.elements.length;
  }

  /** Grows by `delta` entries set to `init`; returns the old size, or -1 (spec: table.grow). */
  grow(delta: number, init: Ref): number {
    const old = this.elements.length;
    if (delta < 0 || old + delta > this.max) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}

export class GlobalInstance {
  /** The value in canonical form (i64 as BigInt; f32 as a number). */
  value: Value;
  constructor(readonly type: GlobalType, value: Value) {
    this.value = value;
  }
}

/** A function defined by a module, run by whichever tier the runtime picks. */
export interface WasmFunc {
  readonly kind: 'wasm';
  readonly type: FuncType;
  readonly instance: Instance;
  /** Index in the module's function index space. */
  readonly index: number;
  /**
   * Set by the runtime when another tier (compiled code) should run this
   * function: the interpreter then calls it like a host function, with
   * canonical values (one result as itself, several as an array). Unset, the
   * interpreter runs the function itself.
   */
  compiled?: ((...args: Value[]) => unknown) | undefined;
  /**
   * The interpreter's code for this function, cached by flat-cache.ts with
   * the epoch it was chosen in (a change of variant bumps the epoch).
   */
  flat?: FlatFunc;
  flatEpoch?: number;
}

/** A function supplied by the host. Receives and returns canonical values. */
export interface HostFunc {
  readonly kind: 'host';
  readonly type: FuncType;
  readonly fn: (...args: Value[]) => unknown;
  readonly name?: string;
}

export type FuncInstance = WasmFunc | HostFunc;

export function hostFunc(type: FuncType, fn: (...args: Value[]) => unknown, name?: string): HostFunc {
  return name === undefined ? { kind: 'host', type, fn } : { kind: 'host', type, fn, name };
}

export function isFuncInstance(v: unknown): v is FuncInstance {
  return typeof v === 'object' && v !== null && ((v as FuncInstance).kind === 'wasm' || (v as FuncInstance).kind === 'host') && 'type' in v;
}

export type ExternVal =
  | { readonly kind: 'func'; readonly value: FuncInstance }
  | { readonly kind: 'table'; readonly value: TableInstance }
  | { readonly kind: 'memory'; readonly value: MemoryInstance }
  | { readonly kind: 'global'; readonly value: GlobalInstance };

/** A module instance (spec 4.2.5), shared by both tiers. */
export class Instance {
  readonly funcs: FuncInstance[] = [];
  readonly tables: TableInstance[] = [];
  readonly mems: MemoryInstance[] = [];
  readonly globals: GlobalInstance[] = [];
  /** Element segments; a dropped segment becomes empty. */
  readonly elems: Ref[][] = [];
  /** Data segments; a dropped segment becomes empty. */
  readonly datas: Uint8Array[] = [];
  readonly exports = new Map<string, ExternVal>();
  /**
   * Per-tier state hung on the instance by the runtime (the interpreter's
   * pre-decoded code, the compiler's output, the mode). Keyed by tier name.
   */
  readonly tiers = new Map<string, unknown>();

  constructor(readonly module: Module) {}
}
