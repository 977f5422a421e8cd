/**
 * Pass 3b, checkpoints (`checkpoints: true | 'traps' | 'stress'`; off, nothing here runs
 * and the output is byte-identical): the unwind half of deopt
 * (deopt/DESIGN.md). `P` is an Int32Array over shared memory the runtime owns,
 * 1 + funcCount words: P[0] is the global request (0 run on, 1 pending, 2
 * unwinding); P[1 + fi] = 1 means "calls entering function fi deopt" (a
 * breakpoint in fi), in functions without checked loops read only once
 * `P.armed` is 1 (entryCheckpoint). A flag-checking checkpoint reads one
 * word and, when it is set, leaves the body for the exit switch, whose case
 * for that checkpoint hands the frame to the runtime's deopt entry `DE` and
 * returns (the returned value is garbage no caller reads: every compiled
 * caller checks P[0] first).
 * A trap is caught once per function:
 *
 *   function f3(l0, l1, l1h) {
 *     l0 = (l0 | 0); l1 = (l1 | 0); l1h = l1h | 0;                          // parameters typed (emit-function.ts)
 *     let l2 = 0, s0 = 0, s1 = 0, s1h = 0, pf = P, ck = -1;                 // the flag array in a local
 *     try { CK: {
 *       if (pf[4] !== 0) { ck = 0; break CK; }                              // entry: P[1 + fi] (`pf.armed !== 0 && …` without checked loops)
 *       L1: while (true) {
 *         if (pf[0] !== 0) { ck = 1; break CK; }                            // loop header (none if every round calls first)
 *         if (l1 === 0) continue L1;                                        // (a round that need not call)
 *         s1 = (f7(s1, s2) | 0); s1h = H | 0;
 *         if (pf[0] !== 0) { ck = 2; break CK; }                            // after-call
 *         s2 = dv.getInt32((l0 + 8) >>> 0, true);                           // trap site at 0x1a3, s2 pending
 *         …
 *     } switch (ck) {                                                       // the exits (one line)
 *       case 0: DE.e(3, 0, [null, l0, l1, l1h, l2]); return;
 *       case 1: DE.e(3, 1, [null, l0, l1, l1h, l2, s0]); return;
 *       case 2: DE.a(3, 2, [null, l0, l1, l1h, l2, s0, s1, s1h]); return; … }
 *     } catch (e) {
 *       e = exhaustion(e); switch (e?.offset) { case 0x1a3: s2 = (l0 + 8) | 0; break; … }
 *       if (DE.t(3, e, [null, l0, l1, l1h, l2, s0, s0h, s1, s1h, s2, s2h], 2)) return; throw e;
 *     }
 *   }
 *
 * (The values list starts with a null that keeps V8 from storing it unboxed,
 * which would quiet signalling NaNs.) What keeps the checks cheap, each
 * measured by bench/checkpoints.ts:
 * - A taken check only jumps: nothing but `return` or a jump may sit in the
 *   branch. Any other operation there, even `X = 1` into a module variable
 *   or a call that never runs, cost 20% on the recursion kernel (V8 11.3),
 *   so the captures live in the exit switch after the body, where the jump
 *   lands with every variable as it was. A taken check therefore always
 *   leaves; only stress-mode code (`'stress'`, for `deoptEvery`) asks
 *   `DE.s(func, row)` first, so it can run on past most checkpoints.
 * - The flag array is read through a local `pf` (a module constant is a
 *   context load on every loop iteration).
 * - Every value that enters a variable has a static type (emit-function.ts
 *   types the parameters, calls.ts the results): a capture is a tagged use,
 *   so a loop variable merged from an untyped parameter would otherwise stay
 *   boxed through the loop (memops ran 2x slower).
 * `DE.e(func, row, values)` keeps the capture and sets P[0] = 2; `DE.a` is
 * the after-call form: with P[0] === 2 (the callee unwound) the frame is
 * paused at the call and the runtime keeps only the values below the call's
 * results (a prefix of the list). Ids are module-wide in the frame maps
 * (`firstId + row`); the code names (function, row) so each function's text
 * is independent of the others.
 *
 * `DE.t(func, error, values, stride)`: the trap catch's capture is every
 * local then EVERY operand slot s0 … s<max> (each with its high half when
 * `stride` is 2; a height the body never names is a 0), whatever the
 * faulting instruction; the runtime picks the row of the trap's offset and
 * reorders. A trap site is every instruction `mayTrap` names. Its operands
 * may still be pending expressions (over locals and constants, which still
 * hold their values when it traps): the catch's `switch` on the trap's offset
 * writes them into their slots, so the fast path pays nothing. Its code
 * writes no slot before it can throw (i64.load reads its high word first
 * here), so the slots hold the state before the faulting instruction. True:
 * the runtime kept the frame and set P[0] = 2; callers unwind through their
 * after-call checks and the interpreter re-executes the faulting instruction.
 *
 * `'traps'` (the inspection level) emits after-call checks and trap catches
 * only: traps stop with every frame's state, breakpoints are not supported.
 * `'stress'` emits what `true` does, each check also asking `DE.s`.
 * The frame maps are the same in both modes (entry and loop rows then serve
 * only trap sites that share their place).
 *
 * Invariants: at every checkpoint the virtual stack is flushed (entry: empty;
 * loop header: `enter` flushed and branches write the loop's slots; after a
 * call: `args` flushed below the arguments and the results were written to
 * slots), so the values are exactly `l<i> [l<i>h] … s<j> [s<j>h] …`; each
 * row equals deopt's `buildFrameMaps(module, { trapSites: true })`
 * (test/compiler/checkpoints.test.ts).
 */
import {
  InternalError, operandTypesByIndex,
  type CodeOffset, type Func, type Instr, type Module, type OpName, type ValType,
} from '../../interpreter/core.js';
import { zeroLocal, type Entry, type FuncEmitter } from '../emit/func-emitter.js';

export const FRAME_MAP_VERSION = 1;

/**
 * The interpreter's `stopOffsetOf` (the offset it names the state before an
 * instruction by: its fused groups) and `stopStateIndex` (the instruction
 * whose recorded operand state is the live one at such a stop).
 */
export interface StopNamer {
  readonly stopOffsetOf: (module: Module, funcIndex: number, offset: CodeOffset) => CodeOffset;
  readonly stopStateIndex: (module: Module, funcIndex: number, named: number) => number;
}
let stopNamer: StopNamer | undefined;

/** Wires in the interpreter's namer (compiler/index.ts); without it checkpoints cannot be compiled. */
export function useStopNamer(namer: StopNamer): void {
  stopNamer = namer;
}

/**
 * One checkpoint, compactly: `[kind, resume, stack]`, or for an after-call
 * checkpoint `[2, resume, stack, results, call]`. `resume` and `call` are
 * code offsets minus the function's `base`; `stack` has one letter (`letterOf`)
 * per operand-stack slot live at `resume` (bottom first; for after-call the
 * call's results are its last `results` letters).
 */
export type CheckpointRow =
  | readonly [kind: 0 | 1 | 3, resume: number, stack: string]
  | readonly [kind: 2, resume: number, stack: string, results: number, call: number];

export interface FuncFrameMap {
  /** Index in the module's function index space. */
  readonly func: number;
  /** The code offset the rows' offsets count from (the function's entry). */
  readonly base: number;
  /** Id of `rows[0]`. */
  readonly firstId: number;
  /** One letter (`letterOf`) per local, parameters first; the same at every checkpoint. */
  readonly locals: string;
  readonly rows: readonly CheckpointRow[];
}

/** A module's frame maps: `funcs` sorted by `firstId` (and by function index). */
export interface FrameMaps {
  readonly version: typeof FRAME_MAP_VERSION;
  /** Total number of checkpoints (ids are 0 … count - 1). */
  readonly count: number;
  readonly funcs: readonly FuncFrameMap[];
}

/** One letter per Wasm value (deopt/frame-map.ts `Conv`). */
export function letterOf(t: ValType): string {
  switch (t) {
    case 'i32': return 'i';
    case 'i64': return 'j';
    case 'f32': return 'f';
    case 'f64': return 'd';
    default: return 'r';
  }
}

/**
 * `true` in the compile options: every kind; `traps`: after-call checks and
 * trap catches only; `stress`: every kind, each flag check also asking
 * `DE.s` (the `deoptEvery` stress mode, which leaves most checks untaken).
 */
export type CheckpointMode = 'all' | 'traps' | 'stress';

/** Instructions that may trap (spec 4.4): the trap sites. */
export function mayTrap(op: OpName): boolean {
  let m = MAY_TRAP.get(op);
  if (m === undefined) {
    m = op === 'unreachable' || op === 'call_indirect'
      || /\.(div|rem)_[su]$/.test(op) || /^i(32|64)\.trunc_f/.test(op)
      || /\.(load|store)/.test(op) || /^memory\.(fill|copy|init)$/.test(op)
      || /^table\.(get|set|fill|copy|init)$/.test(op);
    MAY_TRAP.set(op, m);
  }
  return m;
}

/** mayTrap's answers by op (asked at every instruction of every function: the regular expressions once each). */
const MAY_TRAP = new Map<OpName, boolean>();

/**
 * The per-function checkpoint plan, made before emission: the rows exactly as
 * deopt's `buildFrameMaps` derives them from the validator (sites in offset
 * order, including ones in code the emitter skips as dead, so the maps agree
 * row for row), and for each site the row index the emitted check names.
 * Row stacks come from the validator's types at the offset the interpreter
 * names the state by: a loop header grouped with a `drop` before it names
 * the state before the drop, one value more than the compiled frame holds;
 * that value is handed over as a zero of its type (it is dropped on resume).
 * A trap site right after a loop header or a call (or at the entry) has no
 * row of its own: the runtime uses the row of that place.
 */
export class CheckpointRows {
  readonly rows: CheckpointRow[] = [];
  /** Site key (`e`, `l<loop index>`, `c<call index>`, `t<instr index>`) → row index. */
  readonly sites = new Map<string, number>();
  /** The trap catch's `case <offset>: s<j> = <pending expression>; … break;` per trap site with pending entries. */
  readonly rebuild: string[] = [];
  /** The exit switch's `case <row>: DE.e|a(<func>, <row>, [null, <values>]); return;` per flag check. */
  readonly exits: string[] = [];
  /** Loops (by instruction index) without a header check: each round passes a call first (`callsEveryRound`; mode 'all' only). */
  readonly callingLoops = new Set<number>();
  /** Whether some loop keeps its header check (then the entry check reads its word at every call). */
  readonly checkedLoop: boolean;

  constructor(module: Module, funcIndex: number, func: Func, readonly mode: CheckpointMode = 'all') {
    const body = func.body, base = func.entryOffset, heights = func.heights;
    const namer = stopNamer;
    if (namer === undefined) throw new TypeError('checkpoints need the interpreter, which this entry point does not load (import wasmflip rather than wasmflip/static)');
    // The sites in order, then every site's operand types from one run of the validator.
    const sites: { key: string; kind: 0 | 1 | 3; named: number; where: number; call: number }[] = [];
    const add = (key: string, kind: 0 | 1 | 3, at: number, call: number): void => {
      const named = namer.stopOffsetOf(module, funcIndex, body[at]!.offset as CodeOffset);
      const where = call >= 0 ? at : namer.stopStateIndex(module, funcIndex, named);
      if (where >= 0 && heights !== undefined) sites.push({ key, kind, named, where, call });
    };
    add('e', 0, 0, -1);
    let checkedLoop = false;
    for (let i = 0; i < body.length - 1; i++) {
      const op = body[i]!.op;
      if (op === 'loop') {
        if (mode === 'all' && callsEveryRound(body, i)) this.callingLoops.add(i);
        else checkedLoop = true;
      }
      const prev = i > 0 ? body[i - 1]!.op : 'nop';
      if (i > 0 && mayTrap(op) && prev !== 'loop' && prev !== 'call' && prev !== 'call_indirect') add(`t${i}`, 3, i, -1);
      if (op === 'loop') add(`l${i}`, 1, i + 1, -1);
      else if (op === 'call' || op === 'call_indirect') add(`c${i}`, 0, i + 1, i);
    }
    this.checkedLoop = checkedLoop;
    const typesAt = operandTypesByIndex(module, funcIndex, sites.map((x) => x.where));
    for (const { key, kind, named, where, call } of sites) {
      const types = typesAt.get(where)!;
      if (types.length !== heights![where] || types.includes('unknown')) continue;
      const stack = (types as ValType[]).map(letterOf).join('');
      this.sites.set(key, this.rows.length);
      if (call >= 0) {
        const ins = body[call]!;
        const typeIndex = ins.op === 'call' ? module.funcTypes[ins.index!]! : ins.index!;
        this.rows.push([2, named - base, stack, module.types[typeIndex]!.results.length, ins.offset - base]);
      } else {
        this.rows.push([kind, named - base, stack]);
      }
    }
  }
}

/** Zero of a frame-map letter, as capture entries. */
const FILLER: Readonly<Record<string, string>> = { i: '0', j: '0, 0', f: '0', d: '0', r: 'null' };

/**
 * Slot `s`, which the emitter holds as frame-map letter `have`, as the row's
 * letter `want` holds it: the words (one, two for 'j') as expressions. They
 * differ where the row names the state before conversions that change no
 * bits (i32.wrap_i64, the reinterprets): the interpreter emits no code for
 * those, so its stop for what follows lies before them, and the slot's bits
 * are the same on either side (a wrapped i64's high word is never read again).
 */
function bitsAs(fe: FuncEmitter, want: string, have: string, s: string): string[] {
  if (want === have) return have === 'j' ? [s, `${s}h`] : [s];
  if (want === 'r' || have === 'r') {
    throw new InternalError(`checkpoint stack type ${want} disagrees with the emitter's ${have} in func ${fe.funcIndex} (at offset 0x${fe.ins.offset.toString(16)})`);
  }
  const lo = have === 'f' ? `f32Bits(${s})` : have === 'd' ? `f64Lo(${s})` : s;
  const hi = have === 'j' ? `${s}h` : have === 'd' ? `f64Hi(${s})` : '0';
  if (want === 'i') return [lo];
  if (want === 'j') return [lo, hi];
  return [want === 'f' ? `f32FromBits(${lo})` : `f64FromBits(${lo}, ${hi})`];
}

/** `l0, l0h, l1, …, s0, s0h, …` for the current frame (stack entries all materialized), padded or cut to the row's stack. */
function values(fe: FuncEmitter, stack: string): string {
  const out: string[] = [];
  fe.localTypes.forEach((t, i) => {
    out.push(`l${i}`);
    if (t === 'i64') out.push(`l${i}h`);
  });
  fe.stack.forEach((e, h) => {
    // A shorter row: the values above it are dropped (a `drop`, a loop's `end`) before the instruction it resumes at.
    if (h >= stack.length) return;
    if (e.lo !== null) throw new InternalError(`checkpoint with a pending stack value in func ${fe.funcIndex} (at offset 0x${fe.ins.offset.toString(16)})`);
    out.push(...bitsAs(fe, stack[h]!, letterOf(e.type), fe.slot(h)));
  });
  for (let h = fe.stack.length; h < stack.length; h++) out.push(FILLER[stack[h]!]!);
  return out.join(', ');
}

/** `flag`: the check's condition (a read of P). */
function emit(fe: FuncEmitter, fn: 'e' | 'a', key: string, flag: string): void {
  const cp = fe.checkpoints!;
  const k = cp.sites.get(key);
  if (k === undefined) throw new InternalError(`no checkpoint row for live site ${key} in func ${fe.funcIndex} (at offset 0x${fe.ins.offset.toString(16)})`);
  const vs = values(fe, cp.rows[k]![2]);
  const decide = cp.mode === 'stress' ? ` && DE.s(${fe.funcIndex}, ${k})` : '';
  fe.w.line(`if (${flag}${decide}) { ck = ${k}; break CK; }`);
  cp.exits.push(`case ${k}: DE.${fn}(${fe.funcIndex}, ${k}, [null${vs === '' ? '' : ', ' + vs}]); return;`);
}

/**
 * Before the body's first instruction: the function's own entry word
 * P[1 + fi]. In a function without a loop header check (below), only once
 * `P.armed` (a property of the flag array) is 1, which the runtime sets the
 * first time it sets an entry word: until then V8 treats the never-written
 * property as the constant 0 and drops the whole check from optimized code
 * (writing it deoptimizes that code), so a call costs no check at its
 * entry, most of the checkpoints' cost in tiny recursive functions
 * (recursion kernel 1.15x -> 1.04x, with the loop rule below). A function
 * whose loops keep their header checks reads its word at every call: there
 * one load a call is little against the rounds, and dropping it measured
 * slower (vm kernel +7%, quicksort +5%: V8's code for the loop came out
 * worse without the flag array read before it).
 */
export function entryCheckpoint(fe: FuncEmitter): void {
  const cp = fe.checkpoints!;
  if (cp.mode === 'traps') return;
  const word = `pf[${1 + fe.funcIndex}] !== 0`;
  emit(fe, 'e', 'e', cp.checkedLoop ? word : `pf.armed !== 0 && ${word}`);
}

/**
 * At the top of a loop's `while (true) {` (fe.index is the `loop`), unless
 * every round passes a call first (`callsEveryRound`): the call's
 * after-call check reads P[0] in each round then, so a request (from this
 * thread or another) is still seen within a round. Stress mode keeps it
 * (every checkpoint is a place to force a deopt).
 */
export function loopCheckpoint(fe: FuncEmitter): void {
  const cp = fe.checkpoints!;
  if (cp.mode === 'traps' || cp.callingLoops.has(fe.index)) return;
  emit(fe, 'e', `l${fe.index}`, 'pf[0] !== 0');
}

/**
 * Whether the loop at `body[at]` meets a call (`call`, `call_indirect`) in
 * its own body, outside any nested block, before any instruction that can
 * branch back to the loop: then no round can end without passing the call.
 */
export function callsEveryRound(body: readonly Instr[], at: number): boolean {
  let depth = 0; // blocks open inside the loop body
  for (let i = at + 1; i < body.length; i++) {
    const ins = body[i]!;
    switch (ins.op) {
      case 'call': case 'call_indirect':
        if (depth === 0) return true;
        break;
      case 'block': case 'loop': case 'if':
        depth++;
        break;
      case 'end':
        if (depth-- === 0) return false; // the loop's own end: a round can end here (falling out) with no call
        break;
      case 'br': case 'br_if':
        if (ins.index === depth) return false;
        break;
      case 'br_table':
        if ([...ins.labels!, ins.index!].includes(depth)) return false;
        break;
      default:
        break;
    }
  }
  return false;
}

/** After a call's results are in their slots (fe.index is the call). */
export function afterCallCheckpoint(fe: FuncEmitter): void {
  emit(fe, 'a', `c${fe.index}`, 'pf[0] !== 0');
}

/**
 * Before a trap site or a call (emit-function.ts): zeroes each slot named
 * since its last clearing whose value the site cannot need (above the
 * operand stack, or under a pending entry, whose value the catch rebuilds),
 * and each such `h` half that holds no live i64. The trap catch reads every slot, so without this V8 keeps
 * each slot's last value alive up to every instruction that may throw; a
 * constant costs nothing on the fast path.
 * On the vm kernel this took the trap-only variant from 66 to 62 ms (native
 * 54 ms), the full variant from 67 to 66 ms. Slot values the catch does not
 * use are never read (the runtime takes only the row's stack), so any slot
 * cleared here is safe to clear. The lines cost no machine code, so loop
 * unrolling (emit/unroll.ts) does not count them.
 */
export function clearDeadSlots(fe: FuncEmitter): void {
  const zero: string[] = [];
  const live = (h: number): Entry | undefined => {
    const e = h < fe.stack.length ? fe.stack[h]! : undefined;
    return e !== undefined && e.lo === null ? e : undefined;
  };
  for (const h of fe.dirtySlots) {
    if (live(h) !== undefined) continue;
    zero.push(`s${h} = 0;`);
    fe.dirtySlots.delete(h);
  }
  if (fe.hasI64) {
    for (const h of fe.dirtyHalves) {
      if (live(h)?.type === 'i64') continue;
      zero.push(`s${h}h = 0;`);
      fe.dirtyHalves.delete(h);
    }
  }
  const locals = fe.localZeroing?.get(fe.index);
  if (locals !== undefined) {
    // A pending operand reading a local is rebuilt from it by the catch.
    const pending = new Set(fe.stack.flatMap((e) => (e.lo === null ? [] : e.deps)));
    for (const k of locals) if (!pending.has(k)) zero.push(zeroLocal(k, fe.localTypes[k]!));
  }
  if (zero.length > 0) fe.w.line(zero.join(' '));
}

/**
 * Before a trap site (fe.ins): notes how the catch rebuilds the operand
 * stack's pending entries (pure expressions over locals and constants, which
 * hold the same values when the instruction traps: a local is never written
 * while an entry reading it is pending), so the fast path pays no flush.
 * Returns true when it emitted the instruction itself: a plain i64.load
 * reads its high word first, so an access with only the low word in bounds
 * throws before the result overwrites a materialized address slot (memory.ts
 * reads the low word first, which is fine without a catch that reads slots).
 */
export function beforeTrapSite(fe: FuncEmitter): boolean {
  const sets: string[] = [];
  fe.stack.forEach((e, h) => {
    if (e.lo === null) return;
    const s = fe.slot(h);
    sets.push(`${s} = ${e.lo};`);
    if (e.type === 'i64') sets.push(`${s}h = ${e.hi!};`);
  });
  // Slots whose row names them before a bits-only conversion: in the row's type for DE.t (bitsAs).
  const row = fe.checkpoints!.sites.get(`t${fe.index}`);
  const stack = row === undefined ? '' : fe.checkpoints!.rows[row]![2];
  fe.stack.forEach((e, h) => {
    const want = stack[h], have = letterOf(e.type);
    if (want === undefined || want === have) return;
    const s = fe.slot(h);
    const [lo, hi] = bitsAs(fe, want, have, s);
    if (hi !== undefined) sets.push(`${s}h = ${hi};`);
    if (lo !== s) sets.push(`${s} = ${lo};`);
  });
  if (sets.length > 0) fe.checkpoints!.rebuild.push(`case ${fe.ins.offset}: ${sets.join(' ')} break;`);
  if (fe.ins.op !== 'i64.load' || fe.func.body[fe.index + 1]?.op === 'i64.store') return false;
  const h = fe.height - 1;
  const base = fe.val(fe.pop(), h);
  const off = fe.ins.memarg!.offset;
  const a = fe.temp('a'), t = fe.temp('t');
  fe.view('dv');
  fe.w.line(`${a} = ${off === 0 ? `${base} >>> 0` : `(${base} >>> 0) + ${off}`};`);
  fe.w.line(`${t} = dv.getInt32(${a} + 4, true);`);
  fe.result('i64', `dv.getInt32(${a}, true)`);
  fe.w.line(`${fe.slot(h)}h = ${t};`);
  return true;
}

/**
 * The lines around the body (see the header): the try and, with flag checks,
 * the `CK` block they leave, then the exit switch and the trap catch (every
 * local, then every slot height up to the highest the body names).
 */
export function trapCatch(fe: FuncEmitter): { open: string; close: string[] } {
  const out = ['null'];
  fe.localTypes.forEach((t, i) => {
    out.push(`l${i}`);
    if (t === 'i64') out.push(`l${i}h`);
  });
  for (let h = 0; h <= fe.maxSlot; h++) {
    const used = fe.usedSlots.has(h);
    out.push(used ? `s${h}` : '0');
    if (fe.hasI64) out.push(used ? `s${h}h` : '0');
  }
  const { rebuild, exits } = fe.checkpoints!;
  const cases = rebuild.length === 0 ? '' : ` switch (e?.offset) { ${rebuild.join(' ')} }`;
  const caught = ` } catch (e) { e = exhaustion(e);${cases} if (DE.t(${fe.funcIndex}, e, [${out.join(', ')}], ${fe.hasI64 ? 2 : 1})) return; throw e; }`;
  if (exits.length === 0) return { open: ' try {', close: [caught] };
  return { open: ' try { CK: {', close: [` } switch (ck) { ${exits.join(' ')} }`, caught] };
}

/** The module's maps from each function's rows, ids dense in function order. */
export function frameMapsOf(funcs: readonly { funcIndex: number; base: number; locals: string; rows?: readonly CheckpointRow[] }[]): FrameMaps {
  const out: FuncFrameMap[] = [];
  let next = 0;
  for (const f of funcs) {
    const rows = f.rows ?? [];
    out.push({ func: f.funcIndex, base: f.base, firstId: next, locals: f.locals, rows });
    next += rows.length;
  }
  return { version: FRAME_MAP_VERSION, count: next, funcs: out };
}
