/**
 * Pre-decoding: one validated function → flat code for run.ts (see ops.ts for
 * the layout). Every branch target is resolved to a code index, every operand
 * to a frame slot, and code the validator proved unreachable is dropped.
 *
 * Invariant: `offsets[pc]` is the code-section offset of the Wasm instruction
 * whose flat code starts at `pc` (and -1 inside an instruction's immediates),
 * and the frame at that pc holds exactly the validator's operand-stack height
 * for that offset. So a flat pc and a Wasm offset name the same machine
 * state, which is what lets the debugger and deopt speak in Wasm offsets.
 */
import { InternalError, Trap } from '../errors.js';
import { isSimd, OP_BY_NAME, signatureOf } from '../syntax/opcodes.js';
import type { BlockType, Func, FuncType, Instr, Module, ValType } from '../syntax/types.js';
import { LOWERING, type CustomOpName } from './lowering.js';
import { Op } from './ops.js';

export interface FlatFunc {
  readonly funcIndex: number;
  readonly code: Int32Array;
  readonly offsets: Int32Array;
  readonly type: FuncType;
  readonly nparams: number;
  /** Parameters plus declared locals. */
  readonly nlocals: number;
  /** Slots a frame needs: locals plus the highest operand stack. */
  readonly frameSize: number;
  readonly nresults: number;
  /** Types of params then locals. */
  readonly localTypes: readonly ValType[];
  /** Declared (non-parameter) locals of reference type, reset to null on entry. */
  readonly refLocals: Int32Array;
  /** Flat pc of the instruction at a code offset, or -1 (built on first use). */
  pcAt(offset: number): number;
  /** Original ops under breakpoints (debug-hooks.ts), by flat pc. */
  readonly breaks: Map<number, number>;
}

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

export function predecode(module: Module, funcIndex: number): FlatFunc {
  const func = module.funcs[funcIndex - module.importedFuncCount];
  if (func === undefined) throw new InternalError(`no code for function ${funcIndex}`);
  return new Lowerer(module, funcIndex, func).run();
}

class Lowerer {
  private readonly code: number[] = [];
  private readonly offs: number[] = [];
  private readonly ctrl: Ctrl[] = [];
  private readonly type: FuncType;
  private readonly localTypes: ValType[];
  private readonly L: number;
  private dead = false;

  constructor(private readonly module: Module, private readonly funcIndex: number, private readonly func: Func) {
    this.type = module.types[module.funcTypes[funcIndex]!]!;
    this.localTypes = [...this.type.params, ...func.locals];
    this.L = this.localTypes.length;
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
    for (let i = 0; i < this.offs.length; i += 2) offsets[this.offs[i]!] = this.offs[i + 1]!;
    const refLocals = Int32Array.from(
      this.localTypes.map((t, i) => (i >= type.params.length && (t === 'funcref' || t === 'externref') ? i : -1)).filter((i) => i >= 0),
    );
    let byOffset: Map<number, number> | undefined;
    return {
      funcIndex: this.funcIndex,
      code,
      offsets,
      type,
      nparams: type.params.length,
      nlocals: L,
      frameSize: L + (func.maxHeight ?? 0) + 1,
      nresults: type.results.length,
      localTypes: this.localTypes,
      refLocals,
      breaks: new Map(),
      pcAt(offset: number): number {
        if (byOffset === undefined) {
          byOffset = new Map();
          for (let pc = 0; pc < offsets.length; pc++) if (offsets[pc]! >= 0) byOffset.set(offsets[pc]!, pc);
        }
        return byOffset.get(offset) ?? -1;
      },
    };
  }

  /** Starts the flat code of one instruction. */
  private emit(ins: Instr, ...words: number[]): void {
    this.offs.push(this.code.length, ins.offset);
    for (const w of words) this.code.push(w);
  }

  private isRef(t: ValType | undefined): boolean {
    return t === 'funcref' || t === 'externref';
  }

  private lower(ins: Instr, h: number): void {
    const name = ins.op;
    if (this.dead && name !== 'block' && name !== 'loop' && name !== 'if' && name !== 'else' && name !== 'end') return;
    if (isSimd(name)) {
      throw new Trap(`SIMD instructions are not supported by the interpreter yet (${name})`, ins.offset, this.funcIndex);
    }
    const low = LOWERING[name as keyof typeof LOWERING];
    if (low === 'bits') return;
    if (low !== 'custom') {
      const row = OP_BY_NAME.get(name)!;
      const sig = signatureOf(row)!;
      const slot = this.L + h - sig.params.length;
      if (row.imm === 'memarg') this.emit(ins, low, slot * 2, memOffset(ins.memarg!.offset));
      else this.emit(ins, low, slot * 2);
      return;
    }
    this.lowerCustom(name as CustomOpName, ins, h);
  }

  private lowerCustom(name: CustomOpName, ins: Instr, h: number): void {
    const L = this.L;
    const s = (height: number) => (L + height) * 2;
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
        const cond = name === 'if' ? 1 : 0;
        const base = h - cond - sig.params;
        const entry: Ctrl = {
          kind: name,
          base,
          arity: name === 'loop' ? sig.params : sig.results,
          start: this.code.length,
          fixups: [],
          elseFixup: -1,
          live: !this.dead,
        };
        if (name === 'if' && !this.dead) {
          this.emit(ins, Op.BrUnless, s(h - 1), -1);
          entry.elseFixup = this.code.length - 1;
        }
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
        this.branch(ins, ins.index!, h - 1, s(h - 1));
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
        this.emit(ins, Op.Call, ins.index!, L + h - t.params.length);
        return;
      }
      case 'call_indirect': {
        const t = this.module.types[ins.index!]!;
        this.emit(ins, Op.CallIndirect, ins.index!, ins.index2!, L + h - 1 - t.params.length);
        return;
      }
      case 'select':
      case 'select_t': {
        const t = name === 'select_t' ? ins.types![0] : undefined;
        this.emit(ins, this.isRef(t) ? Op.SelectRef : Op.Select, s(h - 3));
        return;
      }
      case 'local.get':
        this.emit(ins, this.isRef(this.localTypes[ins.index!]) ? Op.MoveRef : Op.Move, s(h), ins.index! * 2);
        return;
      case 'local.set':
      case 'local.tee':
        this.emit(ins, this.isRef(this.localTypes[ins.index!]) ? Op.MoveRef : Op.Move, ins.index! * 2, s(h - 1));
        return;
      case 'global.get':
        this.emit(ins, globalOp(this.module.globalTypes[ins.index!]!.type, false), ins.index!, s(h));
        return;
      case 'global.set':
        this.emit(ins, globalOp(this.module.globalTypes[ins.index!]!.type, true), ins.index!, s(h - 1));
        return;
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

  /** A branch to `depth` taken at height `h` (after popping any condition); `cond` is the condition's slot or -1. */
  private branch(ins: Instr, depth: number, h: number, cond: number): void {
    const entry = this.ctrl[this.ctrl.length - 1 - depth]!;
    const n = entry.arity;
    const src = (this.L + h - n) * 2;
    if (entry.kind === 'func') {
      if (cond < 0) this.emit(ins, Op.Return, n, src);
      else {
        // br_if to the function label: skip the return when the condition is false.
        this.emit(ins, Op.BrUnless, cond, -1);
        const skip = this.code.length - 1;
        this.code.push(Op.Return, n, src);
        this.code[skip] = this.code.length;
      }
      return;
    }
    const dst = (this.L + entry.base) * 2;
    const move = n > 0 && src !== dst;
    if (cond < 0) {
      if (move) this.emit(ins, Op.BrMove, n, src, dst, -1);
      else this.emit(ins, Op.Br, -1);
    } else if (move) this.emit(ins, Op.BrIfMove, cond, n, src, dst, -1);
    else this.emit(ins, Op.BrIf, cond, -1);
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
    const src = (this.L + h - 1 - n) * 2;
    if (labels.some((d) => this.ctrl[this.ctrl.length - 1 - d]!.kind === 'func')) {
      // A table that can leave the function: lower it as a chain of br_if on the index.
      this.brTableWithReturn(ins, labels, h);
      return;
    }
    this.emit(ins, Op.BrTable, (this.L + h - 1) * 2, n, src, labels.length - 1);
    for (const d of labels) {
      const entry = this.ctrl[this.ctrl.length - 1 - d]!;
      this.code.push((this.L + entry.base) * 2, -1);
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
    const src = (this.L + h - 1 - n) * 2;
    this.emit(ins, Op.BrTable, (this.L + h - 1) * 2, n, src, labels.length - 1);
    const returnTargets: number[] = [];
    for (const d of labels) {
      const entry = this.ctrl[this.ctrl.length - 1 - d]!;
      if (entry.kind === 'func') {
        this.code.push(src, -1); // dst = src: no move before the return
        returnTargets.push(this.code.length - 1);
      } else {
        this.code.push((this.L + entry.base) * 2, -1);
        this.target(entry, this.code.length - 1);
      }
    }
    const ret = this.code.length;
    this.code.push(Op.Return, n, src);
    for (const at of returnTargets) this.code[at] = ret;
  }
}

/**
 * Flat code holds int32 words, so a memarg offset of 2^31 or more is clamped
 * to 2^31 - 1: with any memory under 2 GiB both trap, as every access there
 * is out of bounds.
 */
function memOffset(offset: number): number {
  return offset > 0x7fffffff ? 0x7fffffff : offset;
}

function globalOp(t: ValType, set: boolean): Op {
  switch (t) {
    case 'i32': return set ? Op.GlobalSetI32 : Op.GlobalGetI32;
    case 'i64': return set ? Op.GlobalSetI64 : Op.GlobalGetI64;
    case 'f32': return set ? Op.GlobalSetF32 : Op.GlobalGetF32;
    case 'f64': return set ? Op.GlobalSetF64 : Op.GlobalGetF64;
    case 'funcref':
    case 'externref': return set ? Op.GlobalSetRef : Op.GlobalGetRef;
    case 'v128': throw new Trap('SIMD globals are not supported by the interpreter yet');
  }
}
