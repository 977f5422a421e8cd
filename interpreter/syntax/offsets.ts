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
 * Index of the instruction whose recorded operand state (the validator's
 * types and heights before it) is the state of a stop named at `offset`:
 * that instruction, except past `end`s. An `end` leaves a live stack as it
 * is, but may close an arm no path reaches (one that ended in a `br` or
 * `return`), and the state recorded before it is then that dead arm's
 * (empty, say) while control arrives there from the other arm or a branch
 * with the block's results: the state after the `end`s is the live one.
 */
export function stateIndexAt(func: Func, offset: number): number {
  let i = instrIndexAt(func, offset);
  if (i < 0) return i;
  while (func.body[i]!.op === 'end' && i + 1 < func.body.length) i++;
  return i;
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
