/**
 * The worker side of parallel compilation (parallel.ts): decodes the module
 * bytes once per task and runs pass 3 (emit-function) on a range of
 * functions. The main thread has already validated the module, so the
 * worker only decodes.
 *
 * Invariant: returns plain data (FuncCode), which structured clone carries back.
 */
import { decode } from '../interpreter/index.js';
import { emitFunction, type FuncCode } from './passes/emit-function.js';

export interface EmitTask {
  readonly bytes: Uint8Array;
  readonly from: number;
  readonly to: number;
}

export default function emitRange(task: EmitTask): FuncCode[] {
  const module = decode(task.bytes);
  const out: FuncCode[] = [];
  for (let i = task.from; i < task.to; i++) out.push(emitFunction(module, i));
  return out;
}
