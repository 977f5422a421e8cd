/**
 * The error kinds of the spec's phases: malformed (decoding), invalid
 * (validation), link (import matching), trap (execution; call-stack
 * exhaustion is a trap too). Each message *starts with* the spec test suite's
 * text, so a runner can match by prefix, and carries where it happened.
 *
 * Display form: `"type mismatch (at offset 0x1a3)"`, with the function's
 * index and name when known: `"integer divide by zero (in func 3 $div, at offset 0x1a3)"`.
 */
import { hex } from './syntax/offsets.js';

export abstract class WasmError extends Error {
  /** The spec's message alone, without the position. */
  readonly text: string;
  /** Byte offset (file offset for decode errors, code offset otherwise), when known. */
  readonly offset: number | undefined;

  constructor(text: string, offset?: number, where?: string) {
    super(text + position(offset, where));
    this.text = text;
    this.offset = offset;
  }
}

function position(offset: number | undefined, where: string | undefined): string {
  if (offset === undefined && where === undefined) return '';
  const parts: string[] = [];
  if (where !== undefined) parts.push(where);
  if (offset !== undefined) parts.push(`at offset ${hex(offset)}`);
  return ` (${parts.join(', ')})`;
}

/**
 * A name from the module, as messages show it: `$name` when it is plain
 * printable ASCII, else quoted with escapes, so a hostile name can neither
 * break a message's single line nor pass for other text.
 */
export function displayName(name: string): string {
  return /^[\x21-\x7e]{1,200}$/.test(name) ? '$' + name : '$' + JSON.stringify(name.length > 200 ? name.slice(0, 200) + '…' : name);
}

/** The binary is not well-formed (spec: "malformed"). Offset is a file offset. */
export class DecodeError extends WasmError {
  override readonly name = 'DecodeError';
}

/** The module decodes but does not validate (spec: "invalid"). */
export class ValidationError extends WasmError {
  override readonly name = 'ValidationError';
  readonly funcIndex: number | undefined;
  constructor(text: string, offset?: number, funcIndex?: number) {
    super(text, offset, funcIndex === undefined ? undefined : `in func ${funcIndex}`);
    this.funcIndex = funcIndex;
  }
}

/** Imports do not match (spec: "unknown import", "incompatible import type"). */
export class LinkError extends WasmError {
  override readonly name = 'LinkError';
}

/** A run-time trap. `offset` is the code offset of the trapping instruction. */
export class Trap extends WasmError {
  override readonly name: string = 'Trap';
  readonly funcIndex: number | undefined;
  constructor(text: string, offset?: number, funcIndex?: number, funcName?: string) {
    super(text, offset, funcIndex === undefined ? undefined : `in func ${funcIndex}${funcName ? ' ' + displayName(funcName) : ''}`);
    this.funcIndex = funcIndex;
  }
}

/** The call stack is exhausted: a trap, never a JavaScript RangeError. */
export class Exhaustion extends Trap {
  override readonly name = 'Exhaustion';
}

/** Something that validation should have made impossible. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}
