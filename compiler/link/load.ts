/**
 * Loading compiled code into an instance: the module text becomes a
 * strict-mode factory (`new Function('env', text)`, so it sees no enclosing
 * scope of ours) and runs once per instance with that instance's
 * environment. The functions it returns then read and write the instance's
 * shared state directly.
 *
 * Invariant: each instance of a module of up to OWN_CODE_LIMIT bytes of text
 * runs its own factory (its own type feedback); larger texts share one.
 * `FN[i]` is defined function i in the internal calling convention, `C[i]`
 * its canonical entry (see emit-module.ts).
 */
import type { Instance, Value } from '../../interpreter/core.js';
import { makeEnv, type Describe, type Locate } from './env.js';

export interface LoadedCode {
  /** Internal-convention functions by function index (defined functions only). */
  readonly FN: readonly ((...args: number[]) => unknown)[];
  /** Canonical entries by function index: canonical arguments, one result as itself, several as an array. */
  readonly C: readonly ((...args: Value[]) => unknown)[];
}

type Factory = (env: unknown) => LoadedCode;

const factories = new Map<string, Factory>();

/** The factory for a module text (cached: the same text is parsed once). */
export function factoryOf(js: string): Factory {
  let f = factories.get(js);
  if (f === undefined) {
    f = new Function('env', js) as Factory;
    factories.set(js, f);
    if (factories.size > 64) factories.delete(factories.keys().next().value!);
  }
  return f;
}

/**
 * Module text up to this size is parsed again for every instance. V8 keeps
 * type feedback and optimized code per function literal, shared by every
 * closure a factory makes: a second instance's functions (other memory,
 * other callees) then ran the first's code through polymorphic call sites,
 * up to 2x slower (nbody, recursion: bench, levels measured one after
 * another). A fresh factory gives each instance its own feedback; past this
 * size re-parsing costs more (about 1 s for 25 MB) and instances share.
 */
const OWN_CODE_LIMIT = 4 << 20;

let instances = 0;
/** A factory of its own for one instance: the unique trailing comment keeps V8's eval cache from handing back the shared one. */
function freshFactory(js: string): Factory {
  return new Function('env', `${js}\n// wasmflip instance ${++instances}`) as Factory;
}

/** Whether each load of `js` runs a factory of its own (else instances share one). */
export function ownFactory(js: string | Factory): boolean {
  return typeof js === 'string' && js.length <= OWN_CODE_LIMIT;
}

/** Lines `new Function` puts before the body (`function anonymous(env`, `) {`). */
export const FUNCTION_HEADER_LINES = 2;

/**
 * Runs compiled module text against an instance. `lineOffsets` (the
 * CompiledModule's, for this very text) lets traps found from the stack
 * name their instruction; `describe` adds the original source position to
 * traps (see env.ts makeEnv).
 */
export function loadCompiled(js: string | Factory, inst: Instance, lineOffsets?: Int32Array, describe?: Describe, extra?: Readonly<Record<string, unknown>>): LoadedCode {
  const factory = typeof js === 'string' ? (ownFactory(js) ? freshFactory(js) : factoryOf(js)) : js;
  const locate: Locate | undefined = typeof js === 'string' && lineOffsets !== undefined
    ? (line) => lineOffsets[line - 1 - FUNCTION_HEADER_LINES] ?? -1
    : undefined;
  // `extra`: what code compiled with checkpoints also takes (`P`, `DE`: passes/checkpoints.ts).
  const env = makeEnv(inst, locate, describe);
  return factory(extra === undefined ? env : { ...env, ...extra });
}
