/**
 * Symbolic stack traces: code offsets of a call stack → source frames, with
 * inlined calls expanded (the innermost inlined callee first, then each
 * caller at its DW_AT_call_file/call_line, then the out-of-line function).
 *
 * Invariant: every input offset yields at least one frame, symbolic or
 * `<unknown>`; return addresses of outer frames are looked up at offset − 1
 * so a call at the end of a range is attributed to the caller's line.
 */

import type { Dwarf } from './dwarf.js';

export interface SourceFrame {
  /** The code offset this frame was produced from. */
  readonly pc: number;
  readonly function: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly inlined: boolean;
}

/**
 * Frames for one code offset, innermost first. `isReturnAddress` is true for
 * every frame but the top one (their offsets point after the call).
 */
export function symbolize(dwarf: Dwarf, pc: number, isReturnAddress = false): SourceFrame[] {
  const lookup = isReturnAddress && pc > 0 ? pc - 1 : pc;
  const line = dwarf.findLineInfo(lookup);
  const fn = dwarf.findFunction(lookup);
  if (!fn) return [{ pc, function: undefined, file: line?.file, line: line?.line, column: line?.column, inlined: false }];
  const chain = [fn.function, ...fn.inlined];
  const frames: SourceFrame[] = [];
  let file = line?.file, ln = line?.line, col = line?.column;
  for (let i = chain.length - 1; i >= 0; i--) {
    const f = chain[i]!;
    frames.push({ pc, function: f.name ?? f.linkageName, file, line: ln, column: col, inlined: i > 0 });
    // The caller's position is where this inlined call was made.
    file = f.callFile; ln = f.callLine; col = f.callColumn;
  }
  return frames;
}

/** A whole call stack (top frame first) as source frames. */
export function symbolizeStack(dwarf: Dwarf, pcs: readonly number[]): SourceFrame[] {
  return pcs.flatMap((pc, i) => symbolize(dwarf, pc, i > 0));
}

/** `#0 0x00001f in fact at ./prog.c:26:11 [inlined]`: one line per frame, gdb-like. */
export function formatStackTrace(dwarf: Dwarf, pcs: readonly number[]): string {
  return symbolizeStack(dwarf, pcs).map((f, i) => {
    const where = f.file !== undefined ? ` at ${f.file}:${f.line ?? 0}${f.column ? `:${f.column}` : ''}` : '';
    return `#${i} 0x${f.pc.toString(16).padStart(6, '0')} in ${f.function ?? '<unknown>'}${where}${f.inlined ? ' [inlined]' : ''}`;
  }).join('\n');
}
