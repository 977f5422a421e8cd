/**
 * Command-line reading shared by the commands: one walk over ARGV that
 * knows options with a value (`--engine interp`), flags (`--json`), `--`
 * (everything after it belongs to the program) and positional arguments;
 * and the `FILE.wasm --invoke NAME [ARGS...] [-- PROGRAM-ARGS...]` shape
 * that `run` and `debug` share.
 *
 * Invariant: anything the user got wrong is a UsageError (exit 2, with the
 * usage); a negative number or `-inf` is an argument, never an option.
 */
import { UsageError } from './command.js';

export interface ArgSpec {
  /** Options that take the next argument as their value. */
  readonly values?: Readonly<Record<string, (value: string) => void>>;
  /** Options that stand alone. */
  readonly flags?: Readonly<Record<string, () => void>>;
  /** Receives each positional argument; throws a UsageError when it expects none. */
  readonly positional: (arg: string) => void;
}

/** `-5`, `-0x10`, `-inf`, `-nan:0x1`, `--5`: values, not options. */
const NUMBERISH = /^--?(inf|nan|[0-9.])/i;

/** Walks `args` by `spec`; returns what follows `--` (empty when there is no `--`). */
export function readArgs(args: readonly string[], spec: ArgSpec): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args.slice(i + 1);
    const takesValue = spec.values?.[a];
    const flag = spec.flags?.[a];
    if (takesValue !== undefined) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      takesValue(v);
    } else if (flag !== undefined) flag();
    else if (a.startsWith('-') && a.length > 1 && !NUMBERISH.test(a)) throw new UsageError(`unknown option ${a}`);
    else spec.positional(a);
  }
  return [];
}

export interface Invocation {
  readonly file: string;
  /** The export to call; undefined means the WASI `_start`. */
  readonly invoke: string | undefined;
  /** The export's arguments, as typed (parsed later by its parameter types). */
  readonly values: string[];
  /** The program's argv after `--` (WASI). */
  readonly programArgs: string[];
}

/**
 * Reads `FILE.wasm [--invoke NAME ARGS...] [OPTIONS] [-- PROGRAM-ARGS...]`;
 * `options` are the command's own value options. `hint` ends the message for
 * a stray argument before --invoke.
 */
export function readInvocation(args: readonly string[], options: Readonly<Record<string, (value: string) => void>>, hint: string): Invocation {
  let file: string | undefined;
  let invoke: string | undefined;
  const values: string[] = [];
  const programArgs = readArgs(args, {
    values: { ...options, '--invoke': (v) => { invoke = v; } },
    positional: (a) => {
      if (file === undefined) file = a;
      else if (invoke !== undefined) values.push(a);
      else throw new UsageError(`unexpected argument ${JSON.stringify(a)} (${hint})`);
    },
  });
  if (file === undefined) throw new UsageError('missing FILE.wasm');
  return { file, invoke, values, programArgs };
}
