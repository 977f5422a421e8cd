/**
 * The shape every `wasmflip` sub-command has. main.ts dispatches on the
 * first argument to the command of that name; a command prints through `io`
 * (so tests capture the exact transcript) and returns the process exit code.
 * A command never lets an exception escape for a user error: it prints one
 * clear line on stderr and returns non-zero.
 */

export interface CliIO {
  /** Writes to standard output (no newline added). */
  out(text: string): void;
  /** Writes to standard error (no newline added). */
  err(text: string): void;
  /** Reads a file; relative paths are resolved against the current directory. */
  readFile(path: string): Uint8Array;
  /** The environment (WASMFLIP_SPECTEST, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `wasmflip --help`. */
  readonly summary: string;
  /** The usage text printed by `wasmflip help NAME` and on a usage error. */
  readonly usage: string;
  run(args: readonly string[], io: CliIO): number | Promise<number>;
}

/** A user error in the arguments: main prints the message and the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
