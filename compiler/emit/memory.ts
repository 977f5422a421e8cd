/**
 * Memory instructions (spec 4.4.7) over the shared MemoryInstance's
 * DataView. The module keeps memory 0's DataView and length in the fields
 * `V.dv` / `V.len` of one object and refreshes them whenever memory may have
 * grown (after memory.grow, after calls leaving compiled code, on entry from
 * the host), DESIGN.md invariant 5. Each function copies the ones it uses
 * into locals `dv` / `len` at entry and re-reads them after memory.grow and
 * after every call that may grow memory (passes/may-grow.ts): V8 keeps
 * locals in registers, while a module-level `let` is a context load at
 * every access (measured 1.8x on matmul).
 *
 * Why a field of a `const` object, `V`, of a class of its own: V8's
 * optimizing tier specializes a function to its context when the factory
 * made it once (each instance runs a fresh factory, link/load.ts), so `V` is
 * a known object; and a field written only by its constructor is a known
 * value, under a dependency V8 drops when the field is first written. The
 * DataView is then a constant: its length and data pointer are folded into
 * the code instead of reloaded after every store. Measured against a
 * module-level `let DV`: matmul 2.0x → 1.27x of V8's WebAssembly, memops
 * 1.66x → 0.91x, vm 1.39x → 1.08x, quicksort 1.22x → 1.08x. The class is
 * the instance's own, so one instance's growth leaves others' code
 * constant. After a growth the field is an ordinary load again (the
 * speed before this change), so native mode loads fresh code for the calls
 * that follow (runtime/api/instance-core.ts `#grown`); refresh runs only
 * when the generation moved, so a memory.grow that fails or adds nothing
 * keeps the constant.
 *
 *   i32.load offset=16  →  s1 = dv.getInt32((s1 >>> 0) + 16, true);
 *   i64.store           →  a = s1 >>> 0; dv.setInt32(a + 4, s2h, true); dv.setInt32(a, s2, true);
 *
 * Bounds checks are the DataView's own: an access past the end (or at an
 * effective address >= 2^32, which `(base >>> 0) + offset` keeps exact)
 * throws its RangeError before reading or writing anything, and the
 * module's canonical entries turn that into the spec's trap, located from
 * the stack (link/env.ts `boundary`). An explicit check per access cost
 * up to 2x on store-heavy loops (memops). Every access, bytes included,
 * goes through the DataView (typed arrays would silently read undefined),
 * which is correct at any address whatever the alignment hint says and
 * measured as fast as typed-array indexing in V8's optimizing tier. The
 * two halves of an i64 store are written high first: if the 8 bytes do not
 * fit, the first write already throws, so nothing is written. Stores of
 * loop-invariant values (memset loops) are merged into f64 stores of a
 * double built before the loop: passes/store-pairs.ts says which.
 */
import { InternalError, bitsToF64, type Instr, type OpName } from '../../interpreter/core.js';
import { hoistedName, type PairValue, type StoreRun } from '../passes/store-pairs.js';
import { intLiteral, literalValue, type Emit, type FuncEmitter } from './func-emitter.js';
import { floatLiteral } from './numeric.js';
import { beforeTrapSite } from '../passes/checkpoints.js';

type MemOp = Extract<OpName, `${string}.load${string}` | `${string}.store${string}` | 'memory.size' | 'memory.grow' |
  'memory.init' | 'data.drop' | 'memory.copy' | 'memory.fill'>;
type ScalarMemOp = Exclude<MemOp, `v128.${string}`>;

/** Pops the address; returns the effective address expression (exact, below 2^33). */
function address(fe: FuncEmitter): string {
  const h = fe.height - 1;
  const base = fe.val(fe.pop(), h);
  const off = fe.ins.memarg!.offset;
  const lit = literalValue(base);
  if (lit !== null) return String((lit >>> 0) + off);
  return off === 0 ? `${base} >>> 0` : `(${base} >>> 0) + ${off}`;
}

/** The double whose bits are the i64 constant (lo, hi): a literal, or a module constant for a NaN (its bits kept). */
function wordsDouble(fe: FuncEmitter, lo: number, hi: number): string {
  const bits = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return floatLiteral(fe, bitsToF64(bits), `f64FromBits(${lo}, ${hi})`);
}

/** `dv.get…(ADDR…)` templates: ADDR is replaced by the effective address. */
function load(type: 'i32' | 'f32' | 'f64', read: string): Emit {
  return (fe) => {
    const eff = address(fe);
    fe.view('dv');
    fe.result(type, read.replace('ADDR', eff));
  };
}

/** An i64 load: the low half, then the high half from the low one (`LO`) or from memory at `a + 4`. */
function load64(lo: string, hi: string): Emit {
  return (fe) => {
    let eff = address(fe);
    fe.view('dv');
    if (hi.includes('ADDR')) {
      const a = fe.temp('a');
      fe.w.line(`${a} = ${eff};`);
      eff = a;
    }
    const s = fe.slot(fe.height);
    fe.w.line(`${s} = ${lo.replace('ADDR', eff)};`);
    fe.w.line(`${s}h = ${hi.replace('LO', s).replace('ADDR', eff)};`);
    fe.pushSlot('i64');
  };
}

/**
 * `i64.load` straight into `i64.store` (a memcpy's 8-byte step): one f64
 * load and store instead of four int32 accesses. Moving a double between
 * DataView calls keeps its bits exactly, NaN payloads included (no
 * arithmetic touches it). Traps stay in order: the source is read before
 * the destination is written; a trap of either reports the load's offset.
 */
function copy64(fe: FuncEmitter, store: Instr): void {
  const src = address(fe);
  const load = fe.ins;
  fe.ins = store;
  const dst = address(fe);
  fe.ins = load;
  fe.view('dv');
  fe.w.line(`dv.setFloat64(${dst}, dv.getFloat64(${src}, true), true);`);
  fe.skip = 1;
}

/** Stores: the value is popped first (it is on top), then the address. */
function store(write: (addr: string, v: string, vh: string) => string): Emit {
  return (fe) => {
    const hv = fe.height - 1;
    const e = fe.pop();
    const v = fe.val(e, hv);
    const vh = e.type === 'i64' ? fe.hiOf(e, hv) : '';
    const eff = address(fe);
    fe.view('dv');
    fe.w.line(write(eff, v, vh));
  };
}

/**
 * i64.store: high half first, so an access that does not fit throws before
 * writing (see the header). A constant (0 among them: memset loops) is one
 * f64 store of the double of its bits instead (a NaN through a module
 * constant, which keeps its payload, as for f64.const), and so is a local
 * the loop does not write, through the double built before the loop
 * (passes/store-pairs.ts).
 */
function store64(fe: FuncEmitter): void {
  const hv = fe.height - 1;
  const e = fe.pop();
  const v = fe.val(e, hv);
  const vh = fe.hiOf(e, hv);
  const eff = address(fe);
  fe.view('dv');
  const wide = fe.storePairs?.wide.get(fe.index);
  const l = literalValue(v), h = literalValue(vh);
  const asDouble = wide !== undefined ? hoistedName({ i64: wide }) : l !== null && h !== null ? wordsDouble(fe, l, h) : undefined;
  if (asDouble !== undefined) {
    fe.w.line(`dv.setFloat64(${eff}, ${asDouble}, true);`);
    return;
  }
  const a = fe.temp('a');
  fe.w.line(`${a} = ${eff};`);
  fe.w.line(`dv.setInt32(${a} + 4, ${vh}, true); dv.setInt32(${a}, ${v}, true);`);
}

/**
 * The first i32.store of a run of pairs passes/store-pairs.ts merged: one
 * f64 store per pair at its lower address; the rest of the run is skipped.
 * Pairs at `base + c` and `base + c + 4` run under one guard: when some
 * such sum wraps past 2^32 between the two stores of a pair (see there),
 * the run's stores are made one by one, as written.
 */
function storeRun(fe: FuncEmitter, run: StoreRun): void {
  fe.pop();
  fe.pop();
  fe.view('dv');
  const base = fe.local(run.pairs[0]!.base);
  const at = (add: number, offset: number): string => {
    const sum = added(base, add);
    return offset === 0 ? `${sum} >>> 0` : `(${sum} >>> 0) + ${offset}`;
  };
  const body = fe.func.body;
  const w = fe.w;
  if (fe.checkpoints !== null) trapSitesOf(fe, run);
  // Each store's line carries its own instruction's offset: a trap is reported where the Wasm store is.
  const line = (index: number, text: string): void => {
    w.offset = body[index]!.offset;
    w.line(text);
  };
  const byAdd = run.pairs.filter((p) => p.hiOffset === p.offset).map((p) => p.loAdd);
  const indent = byAdd.length === 0 ? '' : ' ';
  if (byAdd.length > 0) {
    // No sum wraps while base + min stays below 2^32 by the run's span.
    const min = Math.min(...byAdd), span = Math.max(...byAdd) + 8 - min;
    const a = fe.temp('a');
    w.line(`${a} = ${added(base, min)};`);
    w.line(`if ((${a} >>> 0) > ${2 ** 32 + 3 - span}) {`);
    for (const p of run.pairs) {
      line(p.hiAt, ` dv.setInt32(${at(p.hiAdd, p.hiOffset)}, ${word(fe, p.hi)}, true);`);
      line(p.loAt, ` dv.setInt32(${at(p.loAdd, p.offset)}, ${word(fe, p.lo)}, true);`);
    }
    w.offset = fe.ins.offset;
    w.line('} else {');
  }
  for (const p of run.pairs) line(p.hiAt, `${indent}dv.setFloat64(${at(p.loAdd, p.offset)}, ${pairValue(fe, p.lo, p.hi)}, true);`);
  w.offset = fe.ins.offset;
  if (byAdd.length > 0) w.line('}');
  fe.skip = run.skip;
}

/**
 * With checkpoints: the trap catch's rebuild of the operand stack at each of
 * the run's stores after the first (whose own went before its handler), as
 * the unmerged stores would have it: the address and value pending.
 */
function trapSitesOf(fe: FuncEmitter, run: StoreRun): void {
  const first = fe.ins, index = fe.index;
  const base = run.pairs[0]!.base;
  for (const p of run.pairs) {
    for (const [site, add, value] of [[p.hiAt, p.hiAdd, p.hi], [p.loAt, p.loAdd, p.lo]] as const) {
      if (site === index) continue;
      fe.ins = fe.func.body[site]!;
      fe.index = site;
      fe.push('i32', added(fe.local(base), add), [base]);
      fe.push('i32', word(fe, value), 'local' in value ? [value.local] : []);
      beforeTrapSite(fe);
      fe.pop();
      fe.pop();
    }
  }
  fe.ins = first;
  fe.index = index;
}

/** `base + add` as the emitter writes an i32.add of a constant. */
function added(base: string, add: number): string {
  return add === 0 ? base : `((${base} + ${intLiteral(add)}) | 0)`;
}

function word(fe: FuncEmitter, v: PairValue): string {
  return 'local' in v ? fe.local(v.local) : intLiteral(v.constant);
}

/** The double whose low and high words are `lo` and `hi`: the hoisted variable of two locals, or a constant. */
function pairValue(fe: FuncEmitter, lo: PairValue, hi: PairValue): string {
  if ('local' in lo && 'local' in hi) return hoistedName({ lo: lo.local, hi: hi.local });
  if ('constant' in lo && 'constant' in hi) return wordsDouble(fe, lo.constant, hi.constant);
  throw new InternalError('store pair of a local and a constant (passes/store-pairs.ts leaves those alone)');
}

const i32Store = store((a, v) => `dv.setInt32(${a}, ${v}, true);`);

/** A bulk operation in the support library: pops `n` i32 operands, passes them with the position. */
function bulk(fn: string, n: number, imm: (fe: FuncEmitter) => string = () => ''): Emit {
  return (fe) => {
    const { entries, h } = fe.popN(n);
    const args = entries.map((e, k) => fe.val(e, h + k));
    const extra = imm(fe);
    fe.w.line(`${fn}(${[extra, ...args].filter((x) => x !== '').join(', ')}, ${fe.ins.offset}, ${fe.funcIndex});`);
  };
}

const f32Store = store((a, v) => `dv.setFloat32(${a}, ${v}, true);`);

/**
 * `setFloat32` rounds to f32 itself, so an `fround` whose only use is the
 * store is dropped: from the pending value, or from the line that just
 * wrote the value's slot (the slot is dead once the store pops it). The
 * store's rounding is the same single rounding (ties-to-even, NaN payload
 * kept and quieted the same way), one conversion pair less per store
 * (measured on bench/kernels/nbody).
 */
function unroundStored(fe: FuncEmitter): void {
  const h = fe.height - 1;
  const e = fe.stack[h]!;
  if (e.lo !== null) {
    const inner = froundArgument(e.lo);
    if (inner !== null) e.lo = `(${inner})`;
    return;
  }
  const lines = fe.w.lines;
  const last = lines[lines.length - 1]!;
  const prefix = `s${h} = `;
  const text = last.trimStart();
  if (!text.startsWith(prefix) || !text.endsWith(';')) return;
  const inner = froundArgument(text.slice(prefix.length, -1));
  if (inner !== null) fe.w.patch(lines.length - 1, `${prefix}${inner};`);
}

/** `x` when `expr` is exactly `fround(x)` (or that in parentheses), else null. */
function froundArgument(expr: string): string | null {
  let e = expr;
  while (e.startsWith('(') && closing(e, 0) === e.length - 1) e = e.slice(1, -1);
  if (!e.startsWith('fround(') || closing(e, 6) !== e.length - 1) return null;
  return e.slice(7, -1);
}

/** Index of the parenthesis closing the one at `open`. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

const plainLoad64 = load64('dv.getInt32(ADDR, true)', 'dv.getInt32(ADDR + 4, true)');

export const memory: { readonly [K in ScalarMemOp]: Emit } = {
  'i32.load': load('i32', 'dv.getInt32(ADDR, true)'),
  'i64.load': (fe, ins) => {
    const next = fe.func.body[fe.index + 1];
    if (next?.op === 'i64.store') copy64(fe, next);
    else plainLoad64(fe, ins);
  },
  'f32.load': load('f32', 'dv.getFloat32(ADDR, true)'),
  'f64.load': load('f64', 'dv.getFloat64(ADDR, true)'),
  'i32.load8_s': load('i32', 'dv.getInt8(ADDR)'),
  'i32.load8_u': load('i32', 'dv.getUint8(ADDR)'),
  'i32.load16_s': load('i32', 'dv.getInt16(ADDR, true)'),
  'i32.load16_u': load('i32', 'dv.getUint16(ADDR, true)'),
  'i64.load8_s': load64('dv.getInt8(ADDR)', 'LO >> 31'),
  'i64.load8_u': load64('dv.getUint8(ADDR)', '0'),
  'i64.load16_s': load64('dv.getInt16(ADDR, true)', 'LO >> 31'),
  'i64.load16_u': load64('dv.getUint16(ADDR, true)', '0'),
  'i64.load32_s': load64('dv.getInt32(ADDR, true)', 'LO >> 31'),
  'i64.load32_u': load64('dv.getInt32(ADDR, true)', '0'),
  'i32.store': (fe, ins) => {
    const run = fe.storePairs?.runs.get(fe.index);
    if (run !== undefined) storeRun(fe, run);
    else i32Store(fe, ins);
  },
  'i64.store': store64,
  'f32.store': (fe, ins) => {
    unroundStored(fe);
    f32Store(fe, ins);
  },
  'f64.store': store((a, v) => `dv.setFloat64(${a}, ${v}, true);`),
  'i32.store8': store((a, v) => `dv.setInt8(${a}, ${v});`),
  'i32.store16': store((a, v) => `dv.setInt16(${a}, ${v}, true);`),
  'i64.store8': store((a, v) => `dv.setInt8(${a}, ${v});`),
  'i64.store16': store((a, v) => `dv.setInt16(${a}, ${v}, true);`),
  'i64.store32': store((a, v) => `dv.setInt32(${a}, ${v}, true);`),
  'memory.size': (fe) => {
    fe.result('i32', `(${fe.view('len')} / 65536) | 0`);
  },
  'memory.grow': (fe) => {
    const h = fe.height - 1;
    const v = fe.val(fe.pop(), h);
    fe.result('i32', `M0.grow(${v} >>> 0)`);
    fe.w.line('if (M0.generation !== V.gen) refresh();');
    fe.afterCall(-1);
  },
  'memory.init': bulk('memoryInit', 3, (fe) => String(fe.ins.index!)),
  'data.drop': (fe) => {
    fe.w.line(`dataDrop(${fe.ins.index!});`);
  },
  'memory.copy': bulk('memoryCopy', 3),
  'memory.fill': bulk('memoryFill', 3),
};
