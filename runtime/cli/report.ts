/**
 * How commands say what went wrong: reading an input file, naming the kind
 * of a Wasm error (malformed, invalid, link error, trap), and quoting names
 * that come from a module.
 *
 * Invariant: every message is one line. A name from a module (an export,
 * an import) can hold quotes, newlines, commas or terminal escape
 * sequences, so any but a plain identifier is printed JSON-quoted, never raw.
 */
import { DecodeError, Exhaustion, LinkError, Trap, ValidationError } from '../../interpreter/index.js';
import type { CliIO } from './command.js';

/** A command's failure that main prints as `wasmflip COMMAND: MESSAGE` with this exit code. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Why a file could not be read, e.g. `ENOENT (no such file or directory)`. */
export function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string') return e instanceof Error ? e.message : String(e);
  // Node's message is "CODE: text, syscall 'path'": keep the text, the path is already in ours.
  const text = /^[A-Z]+: ([^,]+)/.exec(err.message)?.[1];
  return text !== undefined ? `${err.code} (${text})` : err.code;
}

/** Reads `path` through `io`; a failure is `cannot read PATH: ENOENT (...)` (exit 1). */
export function readInput(io: CliIO, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (e) {
    throw new CommandFailure(`cannot read ${path}: ${describeIoError(e)}`);
  }
}

/** `malformed module: ...`, `trap: ...` for the interpreter's error classes; undefined for anything else. */
export function describeWasmError(e: unknown): string | undefined {
  if (e instanceof DecodeError) return `malformed module: ${e.message}`;
  if (e instanceof ValidationError) return `invalid module: ${e.message}`;
  if (e instanceof LinkError) return `link error: ${e.message}`;
  if (e instanceof Exhaustion || e instanceof Trap) return `trap: ${e.message}`;
  return undefined;
}

/** `text` on one line: control characters (a newline in a name from the module's name section) escaped. */
export const oneLine = (text: string): string =>
  text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/** A module-given name in a list: as is when plain (`fib64`), else JSON-quoted (`"a\nb"`, `"x, y"`). */
export const listName = (name: string): string =>
  /^[\w$.@:-]+$/.test(name) ? name
    // JSON escapes C0 controls; C1 controls and the Unicode line separators would still break or garble a line.
    : JSON.stringify(name).replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `f, g, "a b"` or `none`. */
export const listNames = (names: readonly string[]): string => (names.length ? names.map(listName).join(', ') : 'none');
