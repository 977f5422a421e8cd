/**
 * Memory instructions (spec 4.4.7) in asm.js, over typed-array views of
 * memory 0's buffer. asm.js indexes a view by `address >> log2(size)`, which
 * silently drops the low bits, and reads undefined past the end; Wasm allows
 * any alignment and traps past the end. So every access is checked first,
 * against `m<K>` = the memory's length − (offset + size), bound at link
 * (link.ts; no asm.js code can grow memory, so it holds while a region runs):
 *
 *   f32.load offset=8  →  if ((((i3 >>> 0) > (m12 >>> 0)) | ((i3 + 8) & 3))|0) f3 = fround(+LD(1, i3|0, 8, 0x1a3, 5));
 *                         else f3 = fround(F32[(i3 + 8) >> 2]);
 *
 * Out-of-bounds and misaligned accesses go to the foreign `LD` / `ST`
 * (link.ts), which trap or do the access through the DataView. Byte accesses
 * need only the bounds check. Because link.ts only links a heap of at most
 * 2^31 bytes, a checked address is below 2^31 and `>>` indexes it exactly.
 */
import type { Instr, OpName } from '../../interpreter/core.js';
import { asmCoerce, NotAsm, type AsmEmitter, type AsmType } from './emitter.js';
import type { AsmOp } from './ops.js';

/** The foreign slow paths' access kinds, by index (link.ts implements them over the DataView). */
export const ASM_ACCESS = [
  { type: 'i32', size: 4, get: 'getInt32', set: 'setInt32' },
  { type: 'f32', size: 4, get: 'getFloat32', set: 'setFloat32' },
  { type: 'f64', size: 8, get: 'getFloat64', set: 'setFloat64' },
  { type: 'i32', size: 2, get: 'getInt16', set: 'setInt16' },
  { type: 'i32', size: 2, get: 'getUint16', set: 'setInt16' },
] as const;

type View = 'I8' | 'U8' | 'I16' | 'U16' | 'I32' | 'F32' | 'F64';
const SHIFT: Record<View, number> = { I8: 0, U8: 0, I16: 1, U16: 1, I32: 2, F32: 2, F64: 3 };

/** Offsets up to this keep `address + offset` within int32 (with the heap at most 2^31). */
const MAX_OFFSET = 1 << 30;

/** The checked access's pieces: the element expression, and the condition that takes the slow path. */
function access(ae: AsmEmitter, ins: Instr, base: string, view: View): { element: string; slow: string } {
  const off = ins.memarg!.offset;
  if (off >= MAX_OFFSET) throw new NotAsm('memory offset');
  const size = 1 << SHIFT[view];
  const k = off + size;
  ae.limits.add(k);
  const address = off === 0 ? base : `(${base} + ${off})`;
  const oob = `((${base} >>> 0) > (m${k} >>> 0))`;
  return {
    element: `${view}[${address} >> ${SHIFT[view]}]`,
    slow: size === 1 ? oob : `(${oob} | (${address} & ${size - 1}))|0`,
  };
}

function load(view: View, kind: number | null, t: AsmType): AsmOp {
  return (ae, ins) => {
    const base = ae.pop('i32');
    const { element, slow } = access(ae, ins, base, view);
    const dst = ae.push(t);
    if (kind === null) {
      ae.w.line(`if (${slow}) ${ae.trap('OOB_MEMORY')}`);
      ae.w.line(`${dst} = ${asmCoerce(t, element)};`);
      return;
    }
    const call = `LD(${kind}, ${base}|0, ${ins.memarg!.offset}, ${ins.offset}, ${ae.funcIndex})`;
    ae.w.line(`if (${slow}) ${dst} = ${t === 'f32' ? `fround(+${call})` : asmCoerce(t, call)};`);
    ae.w.line(`else ${dst} = ${asmCoerce(t, element)};`);
  };
}

function store(view: View, kind: number | null, t: AsmType): AsmOp {
  return (ae, ins) => {
    const v = ae.pop(t);
    const base = ae.pop('i32');
    const { element, slow } = access(ae, ins, base, view);
    if (kind === null) {
      ae.w.line(`if (${slow}) ${ae.trap('OOB_MEMORY')}`);
      ae.w.line(`${element} = ${v};`);
      return;
    }
    const value = t === 'i32' ? `${v}|0` : `+${v}`;
    ae.w.line(`if (${slow}) ST(${kind}, ${base}|0, ${ins.memarg!.offset}, ${value}, ${ins.offset}, ${ae.funcIndex});`);
    ae.w.line(`else ${element} = ${v};`);
  };
}

type Handled =
  | 'i32.load' | 'f32.load' | 'f64.load' | 'i32.load8_s' | 'i32.load8_u' | 'i32.load16_s' | 'i32.load16_u'
  | 'i32.store' | 'f32.store' | 'f64.store' | 'i32.store8' | 'i32.store16' | 'memory.size';

export const memory: { readonly [K in Handled & OpName]: AsmOp } = {
  'i32.load': load('I32', 0, 'i32'),
  'f32.load': load('F32', 1, 'f32'),
  'f64.load': load('F64', 2, 'f64'),
  'i32.load8_s': load('I8', null, 'i32'),
  'i32.load8_u': load('U8', null, 'i32'),
  'i32.load16_s': load('I16', 3, 'i32'),
  'i32.load16_u': load('U16', 4, 'i32'),
  'i32.store': store('I32', 0, 'i32'),
  'f32.store': store('F32', 1, 'f32'),
  'f64.store': store('F64', 2, 'f64'),
  'i32.store8': store('I8', null, 'i32'),
  'i32.store16': store('I16', 3, 'i32'),
  'memory.size'(ae) {
    ae.w.line(`${ae.push('i32')} = msz;`);
  },
};
