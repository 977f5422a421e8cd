/**
 * Import resolution and matching (spec 4.5.4 "Instantiation", step 3, and
 * 4.4 "External typing / import matching"). A mismatch is a LinkError with
 * the spec suite's messages: "unknown import", "incompatible import type".
 */
import { LinkError } from '../errors.js';
import type { FuncType, Import, Limits, Module } from '../syntax/types.js';
import { GlobalInstance, MemoryInstance, TableInstance, hostFunc, isFuncInstance, type ExternVal } from './store.js';
import { toWasmValue } from './values.js';

/** Finds the value for one import (`imp` is its declaration), or undefined when there is none. */
export type ImportResolver = (module: string, name: string, imp?: Import) => unknown;

/**
 * Imports in the JS API's shape: `{ env: { f: fn, memory: MemoryInstance, g: 42 } }`.
 * A value may be an ExternVal, a FuncInstance, a MemoryInstance, a TableInstance,
 * a GlobalInstance, a plain JS function (wrapped with the import's type), or a
 * number / bigint for an immutable global.
 */
export type ImportObject = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

export function resolverOf(imports: ImportObject | ImportResolver | undefined): ImportResolver {
  if (imports === undefined) return () => undefined;
  if (typeof imports === 'function') return imports;
  return (module, name) => {
    const ns = imports[module];
    return ns !== undefined && Object.prototype.hasOwnProperty.call(ns, name) ? ns[name] : undefined;
  };
}

/** Resolves and checks every import of `module`, in order. */
export function linkImports(module: Module, resolve: ImportResolver): ExternVal[] {
  return module.imports.map((imp) => {
    const found = resolve(imp.module, imp.name, imp);
    if (found === undefined) throw new LinkError(`unknown import`, undefined, `${quote(imp.module)}.${quote(imp.name)}`);
    return match(module, imp, found);
  });
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function incompatible(imp: Import, why: string): LinkError {
  return new LinkError('incompatible import type', undefined, `${quote(imp.module)}.${quote(imp.name)}: ${why}`);
}

function match(module: Module, imp: Import, v: unknown): ExternVal {
  const ev = asExternVal(v);
  const desc = imp.desc;
  switch (desc.kind) {
    case 'func': {
      const want = module.types[desc.typeIndex]!;
      if (ev === undefined && typeof v === 'function') {
        return { kind: 'func', value: hostFunc(want, v as (...a: unknown[]) => unknown, imp.name) };
      }
      if (ev?.kind !== 'func') throw incompatible(imp, `expected a function`);
      if (!sameFuncType(ev.value.type, want)) throw incompatible(imp, `function type differs`);
      return ev;
    }
    case 'table': {
      if (ev?.kind !== 'table') throw incompatible(imp, 'expected a table');
      const t = ev.value;
      if (t.type.elem !== desc.type.elem) throw incompatible(imp, 'element type differs');
      if (!limitsMatch({ min: t.size, max: t.type.limits.max }, desc.type.limits)) throw incompatible(imp, 'limits differ');
      return ev;
    }
    case 'memory': {
      if (ev?.kind !== 'memory') throw incompatible(imp, 'expected a memory');
      const m = ev.value;
      if (!limitsMatch({ min: m.pages, max: m.type.limits.max }, desc.type.limits)) throw incompatible(imp, 'limits differ');
      return ev;
    }
    case 'global': {
      if (ev === undefined && (typeof v === 'number' || typeof v === 'bigint') && !desc.type.mutable) {
        if ((desc.type.type === 'i64') !== (typeof v === 'bigint')) throw incompatible(imp, 'global value type differs');
        return { kind: 'global', value: new GlobalInstance(desc.type, toWasmValue(desc.type.type, v)) };
      }
      if (ev?.kind !== 'global') throw incompatible(imp, 'expected a global');
      const g = ev.value.type;
      if (g.type !== desc.type.type || g.mutable !== desc.type.mutable) throw incompatible(imp, 'global type differs');
      return ev;
    }
  }
}

/** Wraps store objects given bare (a FuncInstance, a MemoryInstance, ...) as ExternVals. */
export function asExternVal(v: unknown): ExternVal | undefined {
  if (v instanceof MemoryInstance) return { kind: 'memory', value: v };
  if (v instanceof TableInstance) return { kind: 'table', value: v };
  if (v instanceof GlobalInstance) return { kind: 'global', value: v };
  if (isFuncInstance(v)) return { kind: 'func', value: v };
  if (typeof v === 'object' && v !== null && 'kind' in v && 'value' in v) {
    const e = v as ExternVal;
    if (['func', 'table', 'memory', 'global'].includes(e.kind)) return e;
  }
  return undefined;
}

/** Spec 4.4.? "Limits" subtyping: actual {n, m} matches declared {n', m'}. */
function limitsMatch(actual: { min: number; max: number | undefined }, declared: Limits): boolean {
  if (actual.min < declared.min) return false;
  if (declared.max === undefined) return true;
  return actual.max !== undefined && actual.max <= declared.max;
}

export function sameFuncType(a: FuncType, b: FuncType): boolean {
  return (
    a.params.length === b.params.length &&
    a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) &&
    a.results.every((t, i) => t === b.results[i])
  );
}
