/**
 * Starting a program under a debugger, the part the command-line debugger
 * (cli/commands/debug.ts) and the remote debuggee worker (remote/worker.ts)
 * share: instantiate a module with WASI in the chosen mode, find the export
 * to run (`--invoke NAME` or `_start`), parse its arguments, and later call
 * it, returning results in the bit-exact form `formatValue` prints. Each
 * caller words the failures its own way.
 *
 * Invariant: a failure before the call is returned as data (never thrown)
 * once it is the program's or the user's fault; anything else propagates.
 */
import { LinkError, Trap, type FuncInstance, type FuncType, type Value, type ValType } from '../interpreter/index.js';
import { callFunc } from '../compiler/index.js';
import { instantiateModule, type InstantiateOptions, type WasmflipInstance } from './api/instance.js';
import type { WasmflipModule } from './api/module.js';
import { WasiError, type WasiHost } from './wasi/index.js';
import { parseValue } from './cli/format.js';
import { toBits, toCanonical } from './spectest/index.js';

export interface Program {
  readonly instance: WasmflipInstance;
  readonly name: string;
  readonly func: FuncInstance;
  readonly type: FuncType;
  readonly args: Value[];
}

export type Prepared =
  | { readonly ok: true; readonly program: Program }
  /** Linking, a segment or the start function failed. */
  | { readonly ok: false; readonly why: 'start'; readonly message: string }
  /** No export to run: `name` undefined when neither --invoke nor `_start` names one. */
  | { readonly ok: false; readonly why: 'entry'; readonly name: string | undefined; readonly functions: string[] }
  /** The arguments do not fit the export's parameters. */
  | { readonly ok: false; readonly why: 'args'; readonly message: string };

/** Instantiates `module` against `wasi` and prepares the call of `invoke` (default `_start`) with `values`. */
export function prepareProgram(module: WasmflipModule, wasi: WasiHost, options: InstantiateOptions, invoke: string | undefined, values: readonly string[]): Prepared {
  let instance: WasmflipInstance;
  try {
    instance = instantiateModule(module, (m, n) => wasi.resolve(m, n), options);
    wasi.bind({ exportValue: (n: string) => instance.state.exports.get(n) });
  } catch (e) {
    wasi.flush();
    if (e instanceof LinkError || e instanceof Trap || e instanceof WasiError) return { ok: false, why: 'start', message: e.message };
    throw e;
  }
  const exports = instance.state.exports;
  const name = invoke ?? (exports.has('_start') ? '_start' : undefined);
  const ex = name !== undefined ? exports.get(name) : undefined;
  if (ex?.kind !== 'func') return { ok: false, why: 'entry', name, functions: [...exports].filter(([, x]) => x.kind === 'func').map(([n]) => n) };
  const type = ex.value.type;
  if (values.length !== type.params.length) return { ok: false, why: 'args', message: `${JSON.stringify(name)} takes ${type.params.length} arguments, got ${values.length}` };
  let args: Value[];
  try {
    args = values.map((v, i) => toCanonical(type.params[i]!, parseValue(type.params[i]! as ValType, v)));
  } catch (e) {
    return { ok: false, why: 'args', message: (e as Error).message };
  }
  return { ok: true, program: { instance, name: name!, func: ex.value, type, args } };
}

/** Calls the program in its instance's current tier; results bit-exact (f32 / f64 as bit patterns). */
export function callProgram(p: Program): unknown[] {
  const r = callFunc(p.func, p.args);
  const rs = p.type.results;
  const results = rs.length === 0 ? [] : rs.length === 1 ? [r] : (r as unknown[]);
  return results.map((v, i) => toBits(rs[i]!, v));
}
