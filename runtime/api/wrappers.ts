/**
 * The JS API's object shapes over the shared store objects: `Memory`
 * (`.buffer`, `.grow()`), `Table` (`get/set/grow/length`), `Global`
 * (`.value`), and exported functions as plain JS functions. Each wrapper is
 * a thin view: the MemoryInstance / TableInstance / GlobalInstance /
 * FuncInstance underneath is what both tiers use (DESIGN.md invariant 5),
 * and `unwrap` turns any of these back into it, so one wasmflip instance's
 * exports import into another directly.
 *
 * Invariant: one wrapper per store object (cached), so `exports.f ===
 * exports.f` and a function read back from a table is the exported one.
 *
 * Unlike WebAssembly.Memory's, a growth does not detach the old `buffer`
 * (it keeps its size and contents): V8 silently refuses to detach a buffer
 * an asm.js module is linked to (compiler/asm/link.ts), so only some would
 * be detached. Holders of `buffer` re-read it after growth, as with WebAssembly.
 */
import {
  GlobalInstance, MemoryInstance, TableInstance, isFuncInstance, toWasmValue,
  type FuncInstance, type FuncType, type GlobalType, type Ref, type RefType, type Value, type ValType,
} from '../../interpreter/core.js';
import { callFunc } from '../../compiler/native.js';

const storeOf = new WeakMap<object, FuncInstance | MemoryInstance | TableInstance | GlobalInstance>();
const funcWrappers = new WeakMap<FuncInstance, (...args: unknown[]) => unknown>();

export class Memory {
  readonly #mem: MemoryInstance;
  constructor(descriptor: { initial: number; maximum?: number } | MemoryInstance) {
    this.#mem = descriptor instanceof MemoryInstance
      ? descriptor
      : new MemoryInstance({ limits: descriptor.maximum === undefined ? { min: descriptor.initial } : { min: descriptor.initial, max: descriptor.maximum } });
    storeOf.set(this, this.#mem);
  }
  get buffer(): ArrayBuffer {
    return this.#mem.buffer;
  }
  /** Grows by `delta` pages; returns the old size in pages (RangeError when it cannot, as the JS API). */
  grow(delta: number): number {
    const old = this.#mem.grow(delta >>> 0);
    if (old < 0) throw new RangeError(`Memory.grow(${delta}): cannot grow past ${this.#mem.max} pages`);
    return old;
  }
}

export class Table {
  readonly #table: TableInstance;
  constructor(descriptor: { element: RefType | 'anyfunc'; initial: number; maximum?: number } | TableInstance) {
    if (descriptor instanceof TableInstance) this.#table = descriptor;
    else {
      const elem: RefType = descriptor.element === 'anyfunc' ? 'funcref' : descriptor.element;
      const limits = descriptor.maximum === undefined ? { min: descriptor.initial } : { min: descriptor.initial, max: descriptor.maximum };
      this.#table = new TableInstance({ elem, limits });
    }
    storeOf.set(this, this.#table);
  }
  get length(): number {
    return this.#table.size;
  }
  get(i: number): unknown {
    if (!(i >>> 0 < this.#table.size)) throw new RangeError(`Table.get(${i}): index out of bounds`);
    return fromRef(this.#table.elements[i >>> 0]);
  }
  set(i: number, v: unknown = null): void {
    if (!(i >>> 0 < this.#table.size)) throw new RangeError(`Table.set(${i}): index out of bounds`);
    this.#table.elements[i >>> 0] = toRef(this.#table.type.elem, v);
  }
  grow(delta: number, init: unknown = null): number {
    const old = this.#table.grow(delta >>> 0, toRef(this.#table.type.elem, init));
    if (old < 0) throw new RangeError(`Table.grow(${delta}): cannot grow past ${this.#table.max} elements`);
    return old;
  }
}

export class Global {
  readonly #global: GlobalInstance;
  constructor(descriptor: { value: ValType; mutable?: boolean } | GlobalInstance, value?: unknown) {
    if (descriptor instanceof GlobalInstance) this.#global = descriptor;
    else {
      const type: GlobalType = { type: descriptor.value, mutable: descriptor.mutable === true };
      this.#global = new GlobalInstance(type, toWasmValue(type.type, value ?? (type.type === 'i64' ? 0n : 0)));
    }
    storeOf.set(this, this.#global);
  }
  get value(): unknown {
    return fromRef(this.#global.value as Ref);
  }
  set value(v: unknown) {
    if (!this.#global.type.mutable) throw new TypeError('Global.value: the global is immutable');
    this.#global.value = toWasmValue(this.#global.type.type, unwrapFunc(v));
  }
  valueOf(): unknown {
    return this.value;
  }
}

/**
 * The JS function for a FuncInstance (one per instance of it): arguments
 * coerced as the JS API does, results canonical (several as an array). It
 * runs in the callee instance's current tier: compiled when the runtime has
 * set `compiled` on it (native mode), interpreted otherwise.
 */
export function wrapFunc(f: FuncInstance): (...args: unknown[]) => unknown {
  let w = funcWrappers.get(f);
  if (w === undefined) {
    const { params, results } = f.type;
    const call = (args: unknown[]): unknown => callFunc(f, params.map((t, i) => argument(t, args[i])) as Value[]);
    // A funcref result leaves as its JS function, as a table read or a global's value does.
    w = results.some(isRef)
      ? (...args: unknown[]): unknown => (results.length === 1 ? fromRef(call(args) as Ref) : (call(args) as Ref[]).map(fromRef))
      : (...args: unknown[]): unknown => call(args);
    // As the JS API's Exported Function: `length` its parameter count, `name` its function index.
    Object.defineProperty(w, 'length', { value: params.length });
    Object.defineProperty(w, 'name', { value: f.kind === 'wasm' ? String(f.index) : (f.name ?? '') });
    funcWrappers.set(f, w);
    storeOf.set(w, f);
  }
  return w;
}

const isRef = (t: ValType): boolean => t === 'funcref' || t === 'externref';

/**
 * A JS argument as the JS API's ToWebAssemblyValue takes it: an i64 only
 * from a BigInt, a funcref only from null or a WebAssembly function (both a
 * TypeError otherwise, as in V8), the rest as toWasmValue converts them.
 */
function argument(t: ValType, v: unknown): Value {
  if (t === 'i64' && typeof v !== 'bigint') throw new TypeError(`Cannot convert ${String(v)} to a BigInt`);
  const u = unwrapFunc(v);
  if (t === 'funcref' && u !== null && !isFuncInstance(u)) throw new TypeError('type incompatibility when transforming from/to JS: a funcref takes null or a WebAssembly function');
  return toWasmValue(t, u);
}

/**
 * A host JS function imported with type `type`, as the store calls it: when
 * the type has references, funcref arguments reach it as JS functions
 * (wrapFunc) and the functions it returns go back as the store's. Without
 * references, `fn` itself (no cost per call).
 */
export function hostAdapter(type: FuncType, fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  if (!type.params.some(isRef) && !type.results.some(isRef)) return fn;
  return (...args: unknown[]): unknown => {
    const r = fn(...args.map((a) => fromRef(a as Ref)));
    return type.results.length > 1 && r !== null && typeof r === 'object' && Symbol.iterator in r
      ? [...(r as Iterable<unknown>)].map(unwrapFunc)
      : unwrapFunc(r);
  };
}

/** The store object behind a wrapper (or the value itself when it is not one). */
export function unwrap(v: unknown): unknown {
  return (typeof v === 'object' || typeof v === 'function') && v !== null ? storeOf.get(v) ?? v : v;
}

function unwrapFunc(v: unknown): unknown {
  const u = unwrap(v);
  return isFuncInstance(u) ? u : v;
}

/** A table element or global value as host JS sees it: functions as callable wrappers. */
function fromRef(v: Ref | Value): unknown {
  return isFuncInstance(v) ? wrapFunc(v) : v;
}

function toRef(elem: RefType, v: unknown): Ref {
  const u = unwrap(v);
  if (elem === 'funcref' && u !== null && !isFuncInstance(u)) throw new TypeError('a funcref table holds only WebAssembly functions or null');
  return u as Ref;
}
