/**
 * The static block structure of a function body, for the interpreter,
 * compiler and debugger: for each structured instruction its matching
 * `else` / `end`, and for every instruction its innermost enclosing block.
 * With it, the label stack at any pc is derivable from the pc alone
 * (DESIGN.md invariant 3).
 *
 * Invariant: computed from a body the decoder accepted (properly nested,
 * ending with the function's own `end`); indices are positions in `body`.
 */
import { InternalError } from '../errors.js';
import type { Func } from '../syntax/types.js';

export interface BlockStructure {
  /** For `block` / `loop` / `if` / `else` at i: the index of the matching `end`; else -1. */
  readonly endOf: Int32Array;
  /** For `if` at i: the index of its `else`, or -1 when it has none (and -1 for other instructions). */
  readonly elseOf: Int32Array;
  /**
   * For each instruction, the index of the innermost `block` / `loop` / `if`
   * containing it (-1: the function body). A block's own opening and its `end`
   * belong to the enclosing block; its `else` belongs to the `if`.
   */
  readonly parent: Int32Array;
}

export function blockStructure(func: Func): BlockStructure {
  const body = func.body;
  const n = body.length;
  const endOf = new Int32Array(n).fill(-1);
  const elseOf = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    const op = body[i]!.op;
    const top = open.length > 0 ? open[open.length - 1]! : -1;
    if (op === 'end') {
      if (top < 0) {
        if (i !== n - 1) throw new InternalError(`blockStructure: function end at ${i} before the last instruction`);
        continue;
      }
      open.pop();
      endOf[top] = i;
      const e = elseOf[top]!;
      if (e >= 0) endOf[e] = i;
      parent[i] = open.length > 0 ? open[open.length - 1]! : -1;
    } else if (op === 'else') {
      if (top < 0) throw new InternalError(`blockStructure: else at ${i} outside any if`);
      elseOf[top] = i;
      parent[i] = top;
    } else {
      parent[i] = top;
      if (op === 'block' || op === 'loop' || op === 'if') open.push(i);
    }
  }
  if (open.length !== 0) throw new InternalError('blockStructure: unclosed block');
  return { endOf, elseOf, parent };
}
