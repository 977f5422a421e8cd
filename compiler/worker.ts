/**
 * The worker side of parallel compilation (parallel.ts): decodes its slice
 * of the module (slice.ts: only the bodies it emits, plus the types,
 * imports, tables, memories and globals they refer to), moves the slice's
 * code offsets back to the module's, restores the module's own import count
 * (so a call to a defined function before the slice stays a direct call),
 * and runs pass 3 (emit-function) on its range. The main thread has already validated the whole module, so the
 * worker only decodes.
 *
 * Invariant: returns plain data (FuncCode, packed by transfer.ts), which
 * structured clone carries back, identical once unpacked to what
 * `emitFunction` gives on the main thread.
 */
import { decode, type Func } from '../interpreter/core.js';
import { emitFunction, type FuncCode } from './passes/emit-function.js';
import type { Slice } from './slice.js';
import { pack, type PackedFuncs } from './transfer.js';

export interface EmitTask extends Slice {
  readonly grows: Uint8Array;
}

/** Shifts a function's code offsets by `delta` (the slice's Code section starts elsewhere). */
function rebase(f: Func, delta: number): Func {
  for (const ins of f.body) (ins as { offset: number }).offset += delta;
  return {
    ...f,
    entryOffset: (f.entryOffset + delta) as Func['entryOffset'],
    localsOffset: (f.localsOffset + delta) as Func['localsOffset'],
    endOffset: (f.endOffset + delta) as Func['endOffset'],
  };
}

export default function emitRange(task: EmitTask): PackedFuncs {
  const decoded = decode(task.bytes);
  const count = task.to - task.from;
  const delta = count > 0 ? task.entryOffset - decoded.funcs[0]!.entryOffset : 0;
  // The module's view of the index space: its own imports, then defined
  // functions from 0 (those before `from` are holes: emission never reads
  // another function's body, only its type).
  const funcs: Func[] = [];
  funcs.length = task.from - task.imported;
  decoded.funcs.forEach((f, k) => funcs.push(k < count ? rebase(f, delta) : f));
  const module = { ...decoded, funcs, importedFuncCount: task.imported };
  const out: FuncCode[] = [];
  for (let i = task.from; i < task.to; i++) out.push(emitFunction(module, i, task.grows));
  return pack(out);
}

/** A no-op task: running it starts the thread and loads this module (parallel.ts warmPool). */
export function warm(): void {}
