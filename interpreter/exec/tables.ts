/**
 * The table and bulk-memory instructions (spec 4.4.6, 4.4.7 memory.init /
 * copy / fill), out of the dispatch loop because each is a call's worth of
 * work anyway. Operands are read from and written to the machine's stack at
 * doubled slot index `k` (first operand at k, second at k + 2, ...).
 *
 * Invariant: bounds are checked before anything is written, as the spec's
 * 2.0 semantics require (an out-of-bounds bulk operation writes nothing).
 */
import { machine as M } from './machine.js';
import type { FuncInstance, Instance, TableInstance } from './store.js';

const OOB_TABLE = 'out of bounds table access';
const OOB_MEMORY = 'out of bounds memory access';

export function indirectCallee(table: TableInstance, index: number): FuncInstance {
  const i = index >>> 0;
  if (i >= table.elements.length) throw `undefined element ${i}`;
  const f = table.elements[i];
  if (f === null || f === undefined) throw `uninitialized element ${i}`;
  return f as FuncInstance;
}

export function tableGet(inst: Instance, t: number, k: number): void {
  const table = inst.tables[t]!;
  const i = M.I32[k]! >>> 0;
  if (i >= table.elements.length) throw OOB_TABLE;
  M.R[k >> 1] = table.elements[i];
}

export function tableSet(inst: Instance, t: number, k: number): void {
  const table = inst.tables[t]!;
  const i = M.I32[k]! >>> 0;
  if (i >= table.elements.length) throw OOB_TABLE;
  table.elements[i] = M.R[(k >> 1) + 1];
}

export function tableGrow(inst: Instance, t: number, k: number): void {
  M.I32[k] = inst.tables[t]!.grow(M.I32[k + 2]! >>> 0, M.R[k >> 1]);
}

export function tableFill(inst: Instance, t: number, k: number): void {
  const table = inst.tables[t]!;
  const i = M.I32[k]! >>> 0, n = M.I32[k + 4]! >>> 0;
  const v = M.R[(k >> 1) + 1];
  if (i + n > table.elements.length) throw OOB_TABLE;
  table.elements.fill(v, i, i + n);
}

export function tableCopy(inst: Instance, dstT: number, srcT: number, k: number): void {
  const dst = inst.tables[dstT]!.elements, src = inst.tables[srcT]!.elements;
  const d = M.I32[k]! >>> 0, s = M.I32[k + 2]! >>> 0, n = M.I32[k + 4]! >>> 0;
  if (s + n > src.length || d + n > dst.length) throw OOB_TABLE;
  if (dst === src) dst.copyWithin(d, s, s + n);
  else for (let i = 0; i < n; i++) dst[d + i] = src[s + i];
}

export function tableInit(inst: Instance, seg: number, t: number, k: number): void {
  const table = inst.tables[t]!.elements, elem = inst.elems[seg]!;
  const d = M.I32[k]! >>> 0, s = M.I32[k + 2]! >>> 0, n = M.I32[k + 4]! >>> 0;
  if (s + n > elem.length || d + n > table.length) throw OOB_TABLE;
  for (let i = 0; i < n; i++) table[d + i] = elem[s + i];
}

export function memoryInit(inst: Instance, seg: number, k: number): void {
  const mem = inst.mems[0]!, data = inst.datas[seg]!;
  const d = M.I32[k]! >>> 0, s = M.I32[k + 2]! >>> 0, n = M.I32[k + 4]! >>> 0;
  if (s + n > data.length || d + n > mem.u8.length) throw OOB_MEMORY;
  mem.u8.set(data.subarray(s, s + n), d);
}

export function memoryCopy(inst: Instance, k: number): void {
  const u8 = inst.mems[0]!.u8;
  const d = M.I32[k]! >>> 0, s = M.I32[k + 2]! >>> 0, n = M.I32[k + 4]! >>> 0;
  if (s + n > u8.length || d + n > u8.length) throw OOB_MEMORY;
  u8.copyWithin(d, s, s + n);
}

export function memoryFill(inst: Instance, k: number): void {
  const u8 = inst.mems[0]!.u8;
  const d = M.I32[k]! >>> 0, v = M.I32[k + 2]!, n = M.I32[k + 4]! >>> 0;
  if (d + n > u8.length) throw OOB_MEMORY;
  u8.fill(v & 0xff, d, d + n);
}
