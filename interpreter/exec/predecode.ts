/**
 * Pre-decoding: one validated function → flat code for run.ts (see ops.ts for
 * the layout). Every branch target is resolved to a code index, every operand
 * to a frame slot, and code the validator proved unreachable is dropped.
 *
 * Two variants. Exact code has one flat instruction per Wasm instruction.
 * Fused code (the default) lets `local.get` and constants stay pending —
 * consumers read the local or a constant slot directly — and folds a
 * following `local.set` into its producer and a `br_if` into its compare, so
 * a flat instruction accounts for a group of Wasm instructions.
 *
 * Invariant: `offsets[pc]` is the offset of the first Wasm instruction of the
 * group whose flat instruction starts at `pc` (-1 inside immediates), and the
 * frame there holds exactly the machine state before that instruction, but
 * for stack values still pending, which `pending` maps to the slot holding
 * them. So a flat pc and a Wasm offset name the same state, which is what
 * lets the debugger and deopt speak in Wasm offsets (frames.ts `toExact`).
 */
import { InternalError, Trap } from '../errors.js';
import { isSimd, OP_BY_NAME, signatureOf } from '../syntax/opcodes.js';
import type { BlockType, Func, FuncType, Instr, Module, ValType } from '../syntax/types.js';
import type { FlatFunc } from './flat-func.js';
import { LOWERING, type CustomOpName } from './lowering.js';
import { constWords, globalOp, JUMPS, MAX_CONSTS, memOffset } from './lower-tables.js';
import { Op } from './ops.js';


interface Ctrl {
  readonly kind: 'block' | 'loop' | 'if' | 'func';
  /** Operand-stack height below the block's parameters. */
  readonly base: number;
  /** Values a branch to this label carries. */
  readonly arity: number;
  /** Code index of a loop's start. */
  readonly start: number;
  /** Code positions holding a branch target to patch with the end. */
  readonly fixups: number[];
  /** Code position of an `if`'s jump to its else branch, or -1. */
  elseFixup: number;
  /** Whether the block was entered from live code. */
  readonly live: boolean;
}

export function blockSig(module: Module, bt: BlockType | undefined): { params: number; results: number } {
  if (bt === null || bt === undefined) return { params: 0, results: 0 };
  if (typeof bt === 'number') {
    const t = module.types[bt]!;
    return { params: t.params.length, results: t.results.length };
  }
  return { params: 0, results: 1 };
}

/**
 * `fuse` (the default) lets operands be read straight from locals and results
 * be written straight into them, so `local.get a; local.get b; i32.add;
 * local.set c` is one flat instruction; stops inside such a group are not
 * exact. `fuse: false` gives one flat instruction per Wasm instruction, for
 * the debugger's single-stepping.
 */
export function predecode(module: Module, funcIndex: number, fuse = true): FlatFunc {
  const func = module.funcs[funcIndex - module.importedFuncCount];
  if (func === undefined) throw new InternalError(`no code for function ${funcIndex}`);
  return new Lowerer(module, funcIndex, func, fuse).run();
}

class Lowerer {
  private readonly code: number[] = [];
  /** (flat pc, group offset, site offset, end offset) of every flat instruction. */
  private readonly offs: number[] = [];
  private readonly ctrl: Ctrl[] = [];
  private readonly type: FuncType;
  private readonly localTypes: ValType[];
  private readonly L: number;
  /** First operand-stack slot: after the locals and the constant slots. */
  private readonly SB: number;
  /** Constant slots (fused code only): their initial words, and slot by constant key. */
  private readonly constWords: number[] = [];
  private readonly constSlot = new Map<string, number>();
  /** Types of locals then constant slots. */
  private readonly slotTypes: ValType[];
  private dead = false;
  /**
   * The virtual operand stack: at height j, undefined when the value sits in
   * its own slot, or the doubled slot of the local it still reads (a
   * `local.get` not yet copied). Writes to that local copy it out first.
   */
  private readonly vs: (number | undefined)[] = [];
  private pendingCount = 0;
  /** Flat pc -> (height, local) pairs pending there. */
  private readonly pending = new Map<number, Int32Array>();
  /** Code position of the last instruction's result slot, while a local.set may still retarget it. */
  private lastDst = -1;
  /** Offset of the first instruction since the last emitted one, or -1. */
  private groupStart = -1;
  /** Code positions where loops start (their back-edges' targets). */
  private readonly loopHeads: number[] = [];

  constructor(
    private readonly module: Module,
    private readonly funcIndex: number,
    private readonly func: Func,
    private readonly fuse: boolean,
  ) {
    this.type = module.types[module.funcTypes[funcIndex]!]!;
    this.localTypes = [...this.type.params, ...func.locals];
    this.L = this.localTypes.length;
    this.slotTypes = [...this.localTypes];
    if (fuse) this.poolConstants();
    this.SB = this.slotTypes.length;
  }

  /**
   * Gives each distinct constant of the body (up to MAX_CONSTS) a slot of its
   * own after the locals, filled on entry, so `i32.const` becomes a pending
   * operand like `local.get` and costs no dispatch.
   */
  private poolConstants(): void {
    for (const ins of this.func.body) {
      if (this.constSlot.size >= MAX_CONSTS) return;
      const words = constWords(ins);
      if (words === null) continue;
      const key = ins.op + ':' + words[0] + ':' + words[1];
      if (this.constSlot.has(key)) continue;
      this.constSlot.set(key, this.slotTypes.length);
      this.slotTypes.push(ins.op.slice(0, 3) as ValType);
      this.constWords.push(words[0], words[1]);
    }
  }

  run(): FlatFunc {
    const { func, type, L } = this;
    const heights = func.heights;
    if (heights === undefined) throw new InternalError(`function ${this.funcIndex} was not validated`);
    this.ctrl.push({ kind: 'func', base: 0, arity: type.results.length, start: 0, fixups: [], elseFixup: -1, live: true });
    const body = func.body;
    for (let i = 0; i < body.length; i++) this.lower(body[i]!, heights[i]!);
    const code = Int32Array.from(this.code);
    const offsets = new Int32Array(code.length).fill(-1);
    const sites = new Int32Array(code.length).fill(-1);
    const ends = new Int32Array(code.length).fill(-1);
    for (let i = 0; i < this.offs.length; i += 4) {
      offsets[this.offs[i]!] = this.offs[i + 1]!;
      sites[this.offs[i]!] = this.offs[i + 2]!;
      ends[this.offs[i]!] = this.offs[i + 3]!;
    }
    const refLocals = Int32Array.from(
      this.localTypes.map((t, i) => (i >= type.params.length && (t === 'funcref' || t === 'externref') ? i : -1)).filter((i) => i >= 0),
    );
    let byOffset: Map<number, number> | undefined;
    return {
      funcIndex: this.funcIndex,
      code,
      offsets,
      sites,
      ends,
      type,
      nparams: type.params.length,
      nlocals: L,
      frameSize: this.SB + (func.maxHeight ?? 0) + 1,
      stackBase: this.SB,
      consts: Int32Array.from(this.constWords),
      slotTypes: this.slotTypes,
      nresults: type.results.length,
      localTypes: this.localTypes,
      refLocals,
      breaks: new Map(),
      fused: this.fuse,
      loopHeads: (() => {
        const heads = new Uint8Array(code.length + 1);
        for (const pc of this.loopHeads) heads[pc] = 1;
        return heads;
      })(),
      pending: this.pending,
      pcAt(offset: number): number {
        if (byOffset === undefined) {
          byOffset = new Map();
          // The first flat instruction of an offset: copies that prepare a call come before the call itself.
          for (let pc = 0; pc < offsets.length; pc++) if (offsets[pc]! >= 0 && !byOffset.has(offsets[pc]!)) byOffset.set(offsets[pc]!, pc);
        }
        return byOffset.get(offset) ?? -1;
      },
    };
  }

  /**
   * Starts the flat code of one instruction. Its offset is that of the first
   * Wasm instruction not yet accounted for (local.get, drop, block, ... emit
   * nothing), so a stop at this pc is a stop before that instruction.
   */
  private emit(ins: Instr, ...words: number[]): void {
    this.offs.push(this.code.length, this.groupStart >= 0 ? this.groupStart : ins.offset, ins.offset, ins.offset);
    this.groupStart = -1;
    this.lastDst = -1;
    if (this.pendingCount > 0) this.notePending();
    for (const w of words) this.code.push(w);
  }

  /**
   * Copies that materialize pending values before `ins` belong to the group
   * before it; `ins` starts a group of its own (so a loop's first flat
   * instruction has the same offset in fused and exact code).
   */
  private startGroup(ins: Instr): void {
    if (this.groupStart < 0) this.groupStart = ins.offset;
  }

  /** `ins` is done by the flat instruction just emitted: it ends there, and the next group starts after it. */
  private foldIntoLast(ins: Instr): void {
    this.offs[this.offs.length - 1] = ins.offset;
    this.groupStart = -1;
  }

  private isRef(t: ValType | undefined): boolean {
    return t === 'funcref' || t === 'externref';
  }

  /** Doubled frame slot of operand-stack height j. */
  private canon(j: number): number {
    return (this.SB + j) * 2;
  }

  /** Where the value at stack height j lives now (its slot, or a local's while pending). */
  private src(j: number): number {
    return this.vs[j] ?? this.canon(j);
  }

  /** Copies the value of type `t` from slot `from` to slot `to`. */
  private move(ins: Instr, t: ValType, to: number, from: number): void {
    if (to === from) return;
    const op = t === 'f64' ? Op.MoveF64 : t === 'i64' ? Op.Move64 : this.isRef(t) ? Op.MoveRef : t === 'v128' ? Op.Move64 : Op.Move32;
    this.emit(ins, op, to, from);
  }

  /** Writes every pending value below height `h` into its own slot (optionally only those reading local `only`). */
  private materialize(ins: Instr, h: number, only = -1): void {
    if (this.pendingCount === 0) return;
    for (let j = 0; j < h && j < this.vs.length; j++) {
      const from = this.vs[j];
      if (from === undefined || (only >= 0 && from !== only * 2)) continue;
      this.vs[j] = undefined;
      this.pendingCount--;
      this.move(ins, this.slotTypes[from >> 1]!, this.canon(j), from);
    }
  }

  /** Records which stack heights are pending locals at the pc about to be emitted (frames.ts reads them). */
  private notePending(): void {
    const pairs: number[] = [];
    this.vs.forEach((from, j) => {
      if (from !== undefined) pairs.push(j, from >> 1);
    });
    if (pairs.length > 0) this.pending.set(this.code.length, Int32Array.from(pairs));
  }

  /** Drops virtual-stack entries at heights >= h. */
  private cut(h: number): void {
    if (h < 0) h = 0; // heights in stack-polymorphic code may dip below the block's base
    for (let j = h; j < this.vs.length; j++) if (this.vs[j] !== undefined) this.pendingCount--;
    if (this.vs.length > h) this.vs.length = h;
  }

  private lower(ins: Instr, h: number): void {
    const name = ins.op;
    const structural = name === 'block' || name === 'loop' || name === 'if' || name === 'else' || name === 'end';
    if (this.dead && !structural) return;
    if (isSimd(name)) {
      throw new Trap(`SIMD instructions are not supported by the interpreter yet (${name})`, ins.offset, this.funcIndex);
    }
    this.cut(h);
    if (this.groupStart < 0) this.groupStart = ins.offset;
    const low = LOWERING[name as keyof typeof LOWERING];
    if (low === 'bits') return; // same bits, same slot, pending or not
    if (low !== 'custom') return this.lowerFixed(ins, low, h);
    switch (name) {
      case 'local.get':
        if (this.fuse) {
          // Pending: consumers read the local directly until something writes it.
          this.vs[h] = ins.index! * 2;
          this.pendingCount++;
          this.lastDst = -1;
          return;
        }
        break;
      case 'i32.const':
      case 'i64.const':
      case 'f32.const':
      case 'f64.const': {
        const words = constWords(ins)!;
        const slot = this.constSlot.get(ins.op + ':' + words[0] + ':' + words[1]);
        if (slot !== undefined) {
          this.vs[h] = slot * 2;
          this.pendingCount++;
          this.lastDst = -1;
          return;
        }
        break;
      }
      case 'local.set':
      case 'local.tee':
        return this.lowerSet(ins, h, name === 'local.tee');
      case 'drop':
        this.cut(h - 1);
        return;
      case 'global.set':
        this.emit(ins, globalOp(this.module.globalTypes[ins.index!]!.type, true), ins.index!, this.src(h - 1));
        this.cut(h - 1);
        return;
      case 'br_if':
      case 'if': {
        // The condition may be read from a local; every other value must sit in its own slot.
        const cond = this.src(h - 1);
        this.materialize(ins, h - 1);
        this.startGroup(ins);
        this.lowerCustom(name, ins, h, cond);
        this.cut(h - 1);
        return;
      }
    }
    if (structural) this.lastDst = -1;
    this.materialize(ins, h);
    this.startGroup(ins);
    this.lowerCustom(name as CustomOpName, ins, h, -1);
  }

  /** A fixed-signature instruction: operands from wherever they live, result in its own slot. */
  private lowerFixed(ins: Instr, op: Op, h: number): void {
    const row = OP_BY_NAME.get(ins.op)!;
    const sig = signatureOf(row)!;
    const n = sig.params.length;
    const base = h - n;
    if (row.imm === 'memarg') {
      if (sig.results.length === 0) this.emit(ins, op, this.src(base), this.src(base + 1), memOffset(ins.memarg!.offset));
      else this.emit(ins, op, this.canon(base), this.src(base), memOffset(ins.memarg!.offset));
    } else if (n === 2) this.emit(ins, op, this.canon(base), this.src(base), this.src(base + 1));
    else this.emit(ins, op, this.canon(base), this.src(base));
    this.cut(base);
    // The result's slot immediate, retargetable by a following local.set.
    if (sig.results.length === 1) this.lastDst = this.offs[this.offs.length - 4]! + 1;
  }

  private lowerSet(ins: Instr, h: number, tee: boolean): void {
    const x = ins.index!;
    const t = this.localTypes[x]!;
    // Values still reading the old value of x must be copied out first.
    const refs = this.vs.some((from, j) => j < h - 1 && from === x * 2);
    if (refs) this.materialize(ins, h - 1, x);
    const from = this.src(h - 1);
    if (!refs && this.fuse && this.lastDst >= 0 && from === this.canon(h - 1) && this.code[this.lastDst] === from) {
      this.code[this.lastDst] = x * 2; // the producer writes the local directly
      this.lastDst = -1;
      this.foldIntoLast(ins);
    } else this.move(ins, t, x * 2, from);
    this.cut(h - 1);
    if (tee) {
      if (this.fuse) {
        this.vs[h - 1] = x * 2;
        this.pendingCount++;
      } else this.move(ins, t, this.canon(h - 1), x * 2);
    }
  }

  private lowerCustom(name: CustomOpName, ins: Instr, h: number, cond: number): void {
    const SB = this.SB;
    const s = (height: number) => (SB + height) * 2;
    switch (name) {
      case 'unreachable':
        this.emit(ins, Op.Unreachable);
        this.dead = true;
        return;
      case 'nop':
      case 'drop':
        return;
      case 'block':
      case 'loop':
      case 'if': {
        const sig = blockSig(this.module, ins.blockType);
        const base = h - (name === 'if' ? 1 : 0) - sig.params;
        const entry: Ctrl = {
          kind: name,
          base,
          arity: name === 'loop' ? sig.params : sig.results,
          start: this.code.length,
          fixups: [],
          elseFixup: -1,
          live: !this.dead,
        };
        if (name === 'if' && !this.dead) entry.elseFixup = this.condJump(ins, cond >= 0 ? cond : s(h - 1), h, false);
        if (name === 'loop' && !this.dead) this.loopHeads.push(this.code.length);
        this.ctrl.push(entry);
        return;
      }
      case 'else': {
        const entry = this.ctrl[this.ctrl.length - 1]!;
        if (!this.dead) {
          this.emit(ins, Op.Br, -1);
          entry.fixups.push(this.code.length - 1);
        }
        if (entry.elseFixup >= 0) this.code[entry.elseFixup] = this.code.length;
        entry.elseFixup = -1;
        this.dead = !entry.live;
        return;
      }
      case 'end': {
        const entry = this.ctrl.pop()!;
        if (entry.kind === 'func') {
          if (!this.dead) this.emit(ins, Op.Return, entry.arity, s(h - entry.arity));
          this.ctrl.push(entry); // keep the function label for any trailing lookups
          return;
        }
        const here = this.code.length;
        for (const f of entry.fixups) this.code[f] = here;
        if (entry.elseFixup >= 0) this.code[entry.elseFixup] = here;
        this.dead = !entry.live;
        return;
      }
      case 'br':
        this.branch(ins, ins.index!, h, -1);
        this.dead = true;
        return;
      case 'br_if':
        this.branch(ins, ins.index!, h - 1, cond >= 0 ? cond : s(h - 1));
        return;
      case 'br_table':
        this.brTable(ins, h);
        this.dead = true;
        return;
      case 'return': {
        const n = this.type.results.length;
        this.emit(ins, Op.Return, n, s(h - n));
        this.dead = true;
        return;
      }
      case 'call': {
        const t = this.module.types[this.module.funcTypes[ins.index!]!]!;
        this.emit(ins, Op.Call, ins.index!, SB + h - t.params.length);
        return;
      }
      case 'call_indirect': {
        const t = this.module.types[ins.index!]!;
        this.emit(ins, Op.CallIndirect, ins.index!, ins.index2!, SB + h - 1 - t.params.length);
        return;
      }
      case 'select':
      case 'select_t': {
        const t = name === 'select_t' ? ins.types![0] : undefined;
        this.emit(ins, this.isRef(t) ? Op.SelectRef : Op.Select, s(h - 3));
        return;
      }
      case 'local.get':
        this.move(ins, this.localTypes[ins.index!]!, s(h), ins.index! * 2);
        return;
      case 'local.set':
      case 'local.tee':
        throw new InternalError(`${name} is lowered by lowerSet`);
      case 'global.get':
        this.emit(ins, globalOp(this.module.globalTypes[ins.index!]!.type, false), ins.index!, s(h));
        return;
      case 'global.set':
        throw new InternalError('global.set is lowered by lower');
      case 'table.get':
        this.emit(ins, Op.TableGet, ins.index!, s(h - 1));
        return;
      case 'table.set':
        this.emit(ins, Op.TableSet, ins.index!, s(h - 2));
        return;
      case 'table.size':
        this.emit(ins, Op.TableSize, ins.index!, s(h));
        return;
      case 'table.grow':
        this.emit(ins, Op.TableGrow, ins.index!, s(h - 2));
        return;
      case 'table.fill':
        this.emit(ins, Op.TableFill, ins.index!, s(h - 3));
        return;
      case 'table.copy':
        this.emit(ins, Op.TableCopy, ins.index!, ins.index2!, s(h - 3));
        return;
      case 'table.init':
        this.emit(ins, Op.TableInit, ins.index!, ins.index2!, s(h - 3));
        return;
      case 'elem.drop':
        this.emit(ins, Op.ElemDrop, ins.index!);
        return;
      case 'memory.size':
        this.emit(ins, Op.MemorySize, s(h));
        return;
      case 'memory.grow':
        this.emit(ins, Op.MemoryGrow, s(h - 1));
        return;
      case 'memory.init':
        this.emit(ins, Op.MemoryInit, ins.index!, s(h - 3));
        return;
      case 'data.drop':
        this.emit(ins, Op.DataDrop, ins.index!);
        return;
      case 'memory.copy':
        this.emit(ins, Op.MemoryCopy, s(h - 3));
        return;
      case 'memory.fill':
        this.emit(ins, Op.MemoryFill, s(h - 3));
        return;
      case 'i32.const':
        this.emit(ins, Op.I32Const, s(h), ins.value as number);
        return;
      case 'f32.const':
        this.emit(ins, Op.F32Const, s(h), (ins.value as number) | 0);
        return;
      case 'i64.const':
      case 'f64.const': {
        const v = ins.value as bigint;
        this.emit(ins, name === 'i64.const' ? Op.I64Const : Op.F64Const, s(h), Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)));
        return;
      }
      case 'ref.null':
        this.emit(ins, Op.RefNull, s(h));
        return;
      case 'ref.is_null':
        this.emit(ins, Op.RefIsNull, s(h - 1));
        return;
      case 'ref.func':
        this.emit(ins, Op.RefFunc, ins.index!, s(h));
        return;
    }
  }

  /**
   * Emits a jump taken when the i32 at slot `cond` (stack height h - 1) is
   * nonzero (`when`) or zero; returns the code position of its target. When
   * the instruction just emitted is the i32 compare producing `cond`, it is
   * rewritten in place into one compare-and-branch instruction.
   */
  private condJump(ins: Instr, cond: number, h: number, when: boolean): number {
    const pos = this.lastDst - 1;
    const fused = this.fuse && this.lastDst >= 0 && cond === this.canon(h - 1) && this.code[this.lastDst] === cond ? JUMPS.get(this.code[pos]!) : undefined;
    if (fused === undefined) {
      this.emit(ins, when ? Op.BrIf : Op.BrUnless, cond, -1);
      return this.code.length - 1;
    }
    // The branch is now part of the compare's flat instruction: nothing of it is left to emit.
    this.foldIntoLast(ins);
    this.lastDst = -1;
    const op = when ? fused[0] : fused[1];
    if (this.code[pos] === Op.I32Eqz) {
      this.code[pos] = op;
      this.code[pos + 1] = this.code[pos + 2]!;
      this.code[pos + 2] = -1;
      return pos + 2;
    }
    this.code[pos] = op;
    this.code[pos + 1] = this.code[pos + 2]!;
    this.code[pos + 2] = this.code[pos + 3]!;
    this.code[pos + 3] = -1;
    return pos + 3;
  }

  /** A branch to `depth` taken at height `h` (after popping any condition); `cond` is the condition's slot or -1. */
  private branch(ins: Instr, depth: number, h: number, cond: number): void {
    const entry = this.ctrl[this.ctrl.length - 1 - depth]!;
    const n = entry.arity;
    const src = (this.SB + h - n) * 2;
    if (entry.kind === 'func') {
      if (cond < 0) this.emit(ins, Op.Return, n, src);
      else {
        // br_if to the function label: skip the return when the condition is false.
        const skip = this.condJump(ins, cond, h + 1, false);
        this.code.push(Op.Return, n, src);
        this.code[skip] = this.code.length;
      }
      return;
    }
    const dst = (this.SB + entry.base) * 2;
    const move = n > 0 && src !== dst;
    if (cond < 0) {
      if (move) this.emit(ins, Op.BrMove, n, src, dst, -1);
      else this.emit(ins, Op.Br, -1);
    } else if (move) this.emit(ins, Op.BrIfMove, cond, n, src, dst, -1);
    else {
      this.target(entry, this.condJump(ins, cond, h + 1, true));
      return;
    }
    this.target(entry, this.code.length - 1);
  }

  /** Resolves (loop) or records (block, if) the branch target at code position `at`. */
  private target(entry: Ctrl, at: number): void {
    if (entry.kind === 'loop') this.code[at] = entry.start;
    else entry.fixups.push(at);
  }

  private brTable(ins: Instr, h: number): void {
    const labels = [...ins.labels!, ins.index!];
    const first = this.ctrl[this.ctrl.length - 1 - labels[0]!]!;
    const n = first.arity;
    const src = (this.SB + h - 1 - n) * 2;
    if (labels.some((d) => this.ctrl[this.ctrl.length - 1 - d]!.kind === 'func')) {
      // A table that can leave the function: lower it as a chain of br_if on the index.
      this.brTableWithReturn(ins, labels, h);
      return;
    }
    this.emit(ins, Op.BrTable, (this.SB + h - 1) * 2, n, src, labels.length - 1);
    for (const d of labels) {
      const entry = this.ctrl[this.ctrl.length - 1 - d]!;
      this.code.push((this.SB + entry.base) * 2, -1);
      this.target(entry, this.code.length - 1);
    }
  }

  /**
   * br_table whose targets include the function label: the function label is
   * given a synthetic end target holding a Return, so the table stays one
   * jump. The Return block is placed after the table and skipped over.
   */
  private brTableWithReturn(ins: Instr, labels: number[], h: number): void {
    const n = this.type.results.length;
    const src = (this.SB + h - 1 - n) * 2;
    this.emit(ins, Op.BrTable, (this.SB + h - 1) * 2, n, src, labels.length - 1);
    const returnTargets: number[] = [];
    for (const d of labels) {
      const entry = this.ctrl[this.ctrl.length - 1 - d]!;
      if (entry.kind === 'func') {
        this.code.push(src, -1); // dst = src: no move before the return
        returnTargets.push(this.code.length - 1);
      } else {
        this.code.push((this.SB + entry.base) * 2, -1);
        this.target(entry, this.code.length - 1);
      }
    }
    const ret = this.code.length;
    this.code.push(Op.Return, n, src);
    for (const at of returnTargets) this.code[at] = ret;
  }
}

