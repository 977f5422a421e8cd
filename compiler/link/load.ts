/**
 * Loading compiled code into an instance: the module text becomes a
 * strict-mode factory (`new Function('env', text)`, so it sees no enclosing
 * scope of ours) and runs once per instance with that instance's
 * environment. The functions it returns then read and write the instance's
 * shared state directly.
 *
 * Invariant: one factory per module text (parsing is paid once however many
 * instances are made); `FN[i]` is defined function i in the internal calling
 * convention, `C[i]` its canonical entry (see emit-module.ts).
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

/** Lines `new Function` puts before the body (`function anonymous(env`, `) {`). */
export const FUNCTION_HEADER_LINES = 2;

/**
 * Runs compiled module text against an instance. `lineOffsets` (the
 * CompiledModule's, for this very text) lets traps found from the stack
 * name their instruction; `describe` adds the original source position to
 * traps (see env.ts makeEnv).
 */
export function loadCompiled(js: string | Factory, inst: Instance, lineOffsets?: Int32Array, describe?: Describe, extra?: Readonly<Record<string, unknown>>): LoadedCode {
  const factory = typeof js === 'string' ? factoryOf(js) : js;
  const locate: Locate | undefined = typeof js === 'string' && lineOffsets !== undefined
    ? (line) => lineOffsets[line - 1 - FUNCTION_HEADER_LINES] ?? -1
    : undefined;
  // `extra`: what code compiled with checkpoints also takes (`P`, `DE`: passes/checkpoints.ts).
  const env = makeEnv(inst, locate, describe);
  return factory(extra === undefined ? env : { ...env, ...extra });
}
