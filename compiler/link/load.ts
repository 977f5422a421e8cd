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
import type { Instance, Value } from '../../interpreter/index.js';
import { makeEnv } from './env.js';

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

/** Runs compiled module text against an instance. */
export function loadCompiled(js: string | Factory, inst: Instance): LoadedCode {
  const factory = typeof js === 'string' ? factoryOf(js) : js;
  return factory(makeEnv(inst));
}
