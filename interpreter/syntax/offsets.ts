/**
 * The two kinds of code address, kept apart by the type checker.
 *
 * DWARF for WebAssembly counts from the start of the Code section's contents
 * (offset 0 is the function-count LEB; a function's DW_AT_low_pc points at its
 * local declarations). LLDB, V8 and Chrome print module-file offsets. There is
 * exactly one conversion each way, here.
 */

/** Offset from the start of the Code section's contents. */
import type { Func } from './types.js';

export type CodeOffset = number & { readonly __brand: 'CodeOffset' };
/** Offset from the start of the module's bytes. */
export type FileOffset = number & { readonly __brand: 'FileOffset' };

export const codeOffset = (n: number): CodeOffset => n as CodeOffset;
export const fileOffset = (n: number): FileOffset => n as FileOffset;

/** `codeStart` is the file offset of the Code section's contents. */
export function toCodeOffset(file: FileOffset, codeStart: FileOffset): CodeOffset {
  return (file - codeStart) as CodeOffset;
}

export function toFileOffset(code: CodeOffset, codeStart: FileOffset): FileOffset {
  return (code + codeStart) as FileOffset;
}

/** `0x1a3`: how offsets appear in every message. */
export function hex(n: number): string {
  return '0x' + n.toString(16);
}

/**
 * For a stop covering instructions `first` to `last` (indices; `last` does
 * the work, those before it have no code of their own), the index whose
 * recorded operand state (the validator's types and heights before it) is
 * the live state there: `first`'s, unless an `end` or `else` lies in
 * between; then the state after the last of them. Before it the code may be
 * dead (an arm that ended in `br` or `return`, code after one), and the
 * validator's record of dead code is not what arrives: control enters past
 * an `end` (from the other arm or a branch, the block's results on top) or
 * past an `else` (from the `if`, its parameters on top).
 */
export function stateIndexBetween(func: Func, first: number, last: number): number {
  let at = first;
  for (let i = first; i < last; i++) {
    const op = func.body[i]!.op;
    if (op === 'end' || op === 'else') at = i + 1;
  }
  return at;
}

/** Index of the instruction at `offset` in the function body (binary search). */
export function instrIndexAt(func: Func, offset: number): number {
  const body = func.body;
  let lo = 0, hi = body.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = body[mid]!.offset;
    if (o === offset) return mid;
    if (o < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
