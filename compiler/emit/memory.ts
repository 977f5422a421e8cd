/**
 * Memory instructions (spec 4.4.7) over the shared MemoryInstance's views.
 * The module keeps `U8`, `I8`, `DV` and `LEN` for memory 0 and refreshes them
 * whenever memory may have grown (after memory.grow, after calls leaving
 * compiled code, on entry from the host), DESIGN.md invariant 5.
 *
 *   i32.load offset=16  →  if ((a = (s1 >>> 0) + 16) > LEN - 4) throw trap(OOB, 0x1a3, 5);
 *                          s1 = DV.getInt32(a, true);
 *
 * Every access is bounds-checked against LEN (typed arrays would silently
 * return undefined). Multi-byte accesses go through the DataView, which is
 * correct at any address whatever the alignment hint says, and measured as
 * fast as aligned typed-array indexing in V8's optimizing tier; bytes use
 * the Uint8Array / Int8Array views.
 */
import type { OpName } from '../../interpreter/index.js';
import type { Emit, FuncEmitter } from './func-emitter.js';

type MemOp = Extract<OpName, `${string}.load${string}` | `${string}.store${string}` | 'memory.size' | 'memory.grow' |
  'memory.init' | 'data.drop' | 'memory.copy' | 'memory.fill'>;
type ScalarMemOp = Exclude<MemOp, `v128.${string}`>;

/** Pops the address, checks it and leaves the effective address in `a`. */
function address(fe: FuncEmitter, bytes: number): void {
  const h = fe.height - 1;
  const base = fe.val(fe.pop(), h);
  const off = fe.ins.memarg!.offset;
  const a = fe.temp('a');
  const eff = off === 0 ? `${base} >>> 0` : `(${base} >>> 0) + ${off}`;
  fe.w.line(`if ((${a} = ${eff}) > LEN - ${bytes}) ${fe.trap('OOB_MEMORY')};`);
}

function load(type: 'i32' | 'f32' | 'f64', bytes: number, read: string): Emit {
  return (fe) => {
    address(fe, bytes);
    fe.result(type, read);
  };
}

function load64(bytes: number, lo: string, hi: string): Emit {
  return (fe) => {
    address(fe, bytes);
    const s = fe.slot(fe.height);
    fe.w.line(`${s} = ${lo};`);
    fe.w.line(`${s}h = ${hi.replace('LO', s)};`);
    fe.pushSlot('i64');
  };
}

/** Stores: the value is popped first (it is on top), then the address is checked. */
function store(bytes: number, write: (v: string, vh: string) => string): Emit {
  return (fe) => {
    const hv = fe.height - 1;
    const e = fe.pop();
    const v = fe.val(e, hv);
    const vh = e.type === 'i64' ? fe.hiOf(e, hv) : '';
    address(fe, bytes);
    fe.w.line(write(v, vh));
  };
}

/** A bulk operation in the support library: pops `n` i32 operands, passes them with the position. */
function bulk(fn: string, n: number, imm: (fe: FuncEmitter) => string = () => ''): Emit {
  return (fe) => {
    const { entries, h } = fe.popN(n);
    const args = entries.map((e, k) => fe.val(e, h + k));
    const extra = imm(fe);
    fe.w.line(`${fn}(${[extra, ...args].filter((x) => x !== '').join(', ')}, ${fe.ins.offset}, ${fe.funcIndex});`);
  };
}

export const memory: { readonly [K in ScalarMemOp]: Emit } = {
  'i32.load': load('i32', 4, 'DV.getInt32(a, true)'),
  'i64.load': load64(8, 'DV.getInt32(a, true)', 'DV.getInt32(a + 4, true)'),
  'f32.load': load('f32', 4, 'DV.getFloat32(a, true)'),
  'f64.load': load('f64', 8, 'DV.getFloat64(a, true)'),
  'i32.load8_s': load('i32', 1, 'I8[a]'),
  'i32.load8_u': load('i32', 1, 'U8[a]'),
  'i32.load16_s': load('i32', 2, 'DV.getInt16(a, true)'),
  'i32.load16_u': load('i32', 2, 'DV.getUint16(a, true)'),
  'i64.load8_s': load64(1, 'I8[a]', 'LO >> 31'),
  'i64.load8_u': load64(1, 'U8[a]', '0'),
  'i64.load16_s': load64(2, 'DV.getInt16(a, true)', 'LO >> 31'),
  'i64.load16_u': load64(2, 'DV.getUint16(a, true)', '0'),
  'i64.load32_s': load64(4, 'DV.getInt32(a, true)', 'LO >> 31'),
  'i64.load32_u': load64(4, 'DV.getInt32(a, true)', '0'),
  'i32.store': store(4, (v) => `DV.setInt32(a, ${v}, true);`),
  'i64.store': store(8, (v, vh) => `DV.setInt32(a, ${v}, true); DV.setInt32(a + 4, ${vh}, true);`),
  'f32.store': store(4, (v) => `DV.setFloat32(a, ${v}, true);`),
  'f64.store': store(8, (v) => `DV.setFloat64(a, ${v}, true);`),
  'i32.store8': store(1, (v) => `U8[a] = ${v};`),
  'i32.store16': store(2, (v) => `DV.setInt16(a, ${v}, true);`),
  'i64.store8': store(1, (v) => `U8[a] = ${v};`),
  'i64.store16': store(2, (v) => `DV.setInt16(a, ${v}, true);`),
  'i64.store32': store(4, (v) => `DV.setInt32(a, ${v}, true);`),
  'memory.size': (fe) => {
    fe.result('i32', '(LEN / 65536) | 0');
  },
  'memory.grow': (fe) => {
    const h = fe.height - 1;
    const v = fe.val(fe.pop(), h);
    fe.result('i32', `M0.grow(${v} >>> 0)`);
    fe.w.line('refresh();');
  },
  'memory.init': bulk('memoryInit', 3, (fe) => String(fe.ins.index!)),
  'data.drop': (fe) => {
    fe.w.line(`dataDrop(${fe.ins.index!});`);
  },
  'memory.copy': bulk('memoryCopy', 3),
  'memory.fill': bulk('memoryFill', 3),
};
