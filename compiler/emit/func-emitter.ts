/**
 * The per-function emitter state: the virtual operand stack, the control
 * stack, and the helpers every instruction emitter uses to read operands and
 * write results.
 *
 * The virtual stack mirrors the validator's operand stack. Entry j lives in
 * the JS variable `s<j>` (`s<j>h` for an i64's high half) once
 * *materialized*; before that it may be *pending*: a pure expression over
 * locals and constants only, folded into whoever consumes it (so
 * `local.get 0; i32.const 1; i32.add` becomes `(l0 + 1) | 0` with no
 * statement). Pending expressions never trap and never read slot variables,
 * so deferring them is invisible, as long as:
 *  - a write to local i first materializes every pending entry that reads it;
 *  - at every control-flow merge (block entry/exit, branch, else) and before
 *    calls the stack is flushed, so every live value is in its `s<j>`.
 * After a flush the frame is exactly "local i in l<i>, slot j in s<j>":
 * the frame map of DESIGN.md invariant 4.
 */
import type { BlockType, Func, FuncType, Instr, Module, ValType } from '../../interpreter/core.js';
import { JsWriter } from './writer.js';
import type { CheckpointRows } from '../passes/checkpoints.js';
import type { StorePairs } from '../passes/store-pairs.js';

/**
 * `expr` with the static type of a value of type `t` (an i64 half is an
 * i32): `(x | 0)` or `+x`. For values whose JS type V8 cannot see (parameters,
 * call results, `H`, `R[k]`, global cells): a variable merged from such a
 * value is otherwise typed "any", and a checkpoint's capture (a tagged use)
 * then keeps it tagged through the loop, boxing on every iteration.
 * References are returned as they are.
 */
export function typed(t: ValType, expr: string): string {
  if (t === 'i32' || t === 'i64') return `(${expr} | 0)`;
  if (t === 'f32' || t === 'f64') return `+${expr}`;
  return expr;
}

/** A local's zero value in JS (an i64's halves are each 0): what declared locals start as. */
export function zeroValue(t: ValType): string {
  return t === 'funcref' || t === 'externref' ? 'null' : '0';
}

/** The statements that set local `i` of type `t` back to its zero value. */
export function zeroLocal(i: number, t: ValType): string {
  return t === 'i64' ? `l${i} = 0; l${i}h = 0;` : `l${i} = ${zeroValue(t)};`;
}

/** One operand-stack entry. `lo === null`: materialized in its slot variable. */
export interface Entry {
  readonly type: ValType;
  /** The pending expression (the low half for i64), or null when materialized. */
  lo: string | null;
  /** An i64's pending high half. */
  hi: string | null;
  /** For a pending i32 that is a comparison: the same value as a JS boolean expression. */
  bool: string | null;
  /** Locals the pending expressions read. */
  deps: readonly number[];
}

export type CtrlKind = 'func' | 'block' | 'loop' | 'if';

export interface Ctrl {
  readonly kind: CtrlKind;
  readonly label: string;
  /** Operand-stack height below the block's parameters: results and loop parameters land at base, base+1, ... */
  readonly base: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Index of the opening line, patched with the label when a branch uses it. */
  readonly openLine: number;
  /** Index of the opening instruction (-1: the function). */
  readonly start: number;
  /** For `loop`: the first line of its body, after its checkpoint (unroll.ts repeats from there). */
  bodyLine: number;
  /** Whether the block was entered from live code. */
  readonly live: boolean;
  labelUsed: boolean;
  /** Whether some branch targets the end of this block (so its end is reachable). */
  branched: boolean;
  /** For `if`: whether an `else` was seen. */
  hasElse: boolean;
  /** For `if` with `else`: whether the then-branch's end was reachable. */
  thenLive: boolean;
}

/** The JS locals a function keeps memory 0's views and length in (see emit/memory.ts). */
export type View = 'dv' | 'len';
const VIEW_SOURCE: Readonly<Record<View, string>> = { dv: 'V.dv', len: 'V.len' };

/** Placeholder line after a call that may grow memory; assemble() turns it into the re-read of the views used. */
export const RELOAD = '/*reload*/';

/** Longest pending expression kept before it is materialized (keeps lines readable and V8's parser fast). */
const MAX_PENDING = 160;

const SIMPLE = /^(?:[A-Za-z_$][\w$]*|\(?-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\)?)$/;

const INTEGER = /^\(?(-?\d+)\)?$/;

/** An integer constant in its pending form (`10`, `(-7)`), which literalValue reads back. */
export function intLiteral(v: number): string {
  return v < 0 ? `(${v})` : String(v);
}

/** The value of an integer literal operand (`10`, `(-7)`: a constant's pending form), or null. */
export function literalValue(expr: string): number | null {
  const m = INTEGER.exec(expr);
  return m === null ? null : Number(m[1]);
}

export class FuncEmitter {
  readonly w = new JsWriter();
  readonly stack: Entry[] = [];
  readonly ctrl: Ctrl[] = [];
  readonly type: FuncType;
  readonly localTypes: readonly ValType[];
  /** Whether the current instruction is reachable. */
  live = true;
  /** Scratch variables the body used (declared at the top of the function). */
  readonly temps = new Set<string>();
  /** Highest slot height written. */
  maxSlot = -1;
  /** Slot heights named in the body (declared by assemble()). */
  readonly usedSlots = new Set<number>();
  /** Slot heights named since the checkpoint pass last cleared them (passes/checkpoints.ts beforeTrapSite). */
  readonly dirtySlots = new Set<number>();
  /** The same for the slots' `h` halves (a live i32 or f64 entry leaves its slot's half dead). */
  readonly dirtyHalves = new Set<number>();
  /** With checkpoints: the dead locals to zero before each trap site and call, by body index (passes/dead-locals.ts). */
  localZeroing: ReadonlyMap<number, readonly number[]> | null = null;
  /** The stores written as one f64 store (passes/store-pairs.ts). */
  storePairs: StorePairs | null = null;
  /** Whether any i64 value lives on the stack (its slots then get their `h` halves declared). */
  hasI64 = false;
  /** Module-level constants this function needs (NaN payloads), as `name = expression` lines. */
  readonly constants: string[] = [];
  /** Function types whose canonical-call adapter `x<type>` the body uses. */
  readonly adapters = new Set<number>();
  /** The module's i64 helpers (i64-support.ts) the body calls. */
  readonly support = new Set<string>();
  /** `call_indirect` dispatchers the body uses, as `<table>_<type>`. */
  readonly indirect = new Set<string>();
  /** The instruction being emitted. */
  ins!: Instr;
  index = 0;
  /** Instructions after this one that its emitter already handled (a fused pair). */
  skip = 0;
  /**
   * Emitters registered for a later instruction (by body index) that replace
   * its handler, set by an earlier instruction that already computed its
   * value (i64-remainder.ts); they set `skip` for the rest of the sequence.
   */
  readonly fused = new Map<number, () => void>();
  /** Memory views this function reads through its locals. */
  readonly views = new Set<View>();
  /** The checkpoint pass's rows when `checkpoints` is on (passes/checkpoints.ts); null: no checkpoints. */
  checkpoints: CheckpointRows | null = null;

  /** `grows`: which functions may grow memory (passes/may-grow.ts); absent, every call is assumed to. */
  constructor(readonly module: Module, readonly funcIndex: number, readonly func: Func, readonly grows?: Uint8Array) {
    this.type = module.types[module.funcTypes[funcIndex]!]!;
    this.localTypes = [...this.type.params, ...func.locals];
  }

  // ---- memory

  /** The local holding a view of memory 0 (declared and re-read by assemble()). */
  view(v: View): string {
    this.views.add(v);
    return v;
  }

  /**
   * Whether the current instruction lies in a loop. Outside loops code runs
   * at most once per call, so the long i64 sequences (multiply, division)
   * are written as a call of the module's helper there: a fraction of the
   * text, as fast in a small hot function (V8 inlines the helper), and a
   * large function's cold code costs less to parse and compile.
   */
  inLoop(): boolean {
    return this.ctrl.some((c) => c.kind === 'loop');
  }

  /** After a call to `callee` (-1: unknown): re-read the views if it may have grown memory. */
  afterCall(callee: number): void {
    if (this.module.mems.length === 0) return;
    if (callee >= 0 && this.grows !== undefined && this.grows[callee] === 0) return;
    this.w.line(RELOAD);
  }

  /** The views' declarations and re-read statement, given the views used. */
  viewCode(): { decl: string; reload: string } {
    const vs = [...this.views].sort();
    return { decl: vs.map((v) => `${v} = ${VIEW_SOURCE[v]}`).join(', '), reload: vs.map((v) => `${v} = ${VIEW_SOURCE[v]};`).join(' ') };
  }

  // ---- names

  slot(h: number): string {
    if (h > this.maxSlot) this.maxSlot = h;
    this.usedSlots.add(h);
    if (this.checkpoints !== null) {
      this.dirtySlots.add(h);
      this.dirtyHalves.add(h);
    }
    return `s${h}`;
  }

  local(i: number): string {
    return `l${i}`;
  }

  temp(name: string): string {
    this.temps.add(name);
    return name;
  }

  /** `throw trap(CODE, offset, funcIndex);` for the current instruction. */
  trap(code: string): string {
    return `throw trap(${code}, ${this.ins.offset}, ${this.funcIndex})`;
  }

  // ---- the virtual stack

  get height(): number {
    return this.stack.length;
  }

  push(type: ValType, lo: string, deps: readonly number[] = [], hi: string | null = null, bool: string | null = null): void {
    if (type === 'i64') this.hasI64 = true;
    if (lo.length > MAX_PENDING || (hi !== null && hi.length > MAX_PENDING)) {
      const e: Entry = { type, lo, hi, bool, deps };
      this.stack.push(e);
      this.materialize(this.stack.length - 1);
      return;
    }
    this.stack.push({ type, lo, hi, bool, deps });
  }

  /** Pushes a value already written to its slot variable. */
  pushSlot(type: ValType): void {
    if (type === 'i64') this.hasI64 = true;
    this.slot(this.stack.length);
    this.stack.push({ type, lo: null, hi: null, bool: null, deps: [] });
  }

  pop(): Entry {
    const e = this.stack.pop();
    if (e === undefined) throw new Error(`operand stack underflow in func ${this.funcIndex} at offset ${this.ins.offset}`);
    return e;
  }

  /** Pops n entries; returns them bottom first, with the height of the first. */
  popN(n: number): { entries: Entry[]; h: number } {
    const entries = this.stack.splice(this.stack.length - n, n);
    return { entries, h: this.stack.length };
  }

  /** The expression reading entry `e` (at height h): its pending expression or its slot variable. */
  val(e: Entry, h: number): string {
    return e.lo ?? this.slot(h);
  }

  /** The high half of an i64 entry. */
  hiOf(e: Entry, h: number): string {
    return e.lo !== null ? e.hi! : `${this.slot(h)}h`;
  }

  /** The entry as a JS boolean (for `if`, `br_if`, `select`). */
  cond(e: Entry, h: number): string {
    if (e.bool !== null) return e.bool;
    return e.lo !== null ? `${e.lo} !== 0` : this.slot(h);
  }

  /** Entry `e` at height h as an expression that may be repeated: its slot variable unless the pending form is simple. */
  simple(e: Entry, h: number): string {
    if (e.lo !== null && SIMPLE.test(e.lo) && (e.hi === null || SIMPLE.test(e.hi))) return e.lo;
    if (e.lo !== null) this.writeEntry(e, h);
    return this.slot(h);
  }

  simpleHi(e: Entry, h: number): string {
    if (e.lo !== null && SIMPLE.test(e.lo) && SIMPLE.test(e.hi!)) return e.hi!;
    if (e.lo !== null) this.writeEntry(e, h);
    return `${this.slot(h)}h`;
  }

  /** Writes a pending entry into its slot variable(s) and marks it materialized. */
  private writeEntry(e: Entry, h: number): void {
    const s = this.slot(h);
    if (e.type === 'i64') this.assign64(s, `${s}h`, e.lo!, e.hi!);
    else this.w.line(`${s} = ${unparen(e.lo!)};`);
    e.lo = null;
    e.hi = null;
    e.bool = null;
    e.deps = [];
  }

  materialize(h: number): void {
    const e = this.stack[h]!;
    if (e.lo !== null) this.writeEntry(e, h);
  }

  /** Materializes every entry (from `from` up): the state every merge point and call expects. */
  flush(from = 0): void {
    for (let h = from; h < this.stack.length; h++) this.materialize(h);
  }

  /** Before writing local i: materialize pending entries that read it. */
  beforeLocalWrite(i: number): void {
    for (let h = 0; h < this.stack.length; h++) {
      const e = this.stack[h]!;
      if (e.lo !== null && e.deps.includes(i)) this.writeEntry(e, h);
    }
  }

  /**
   * `dlo, dhi = lo, hi` for an i64, safe when either expression reads the
   * other destination (through a temporary).
   */
  assign64(dlo: string, dhi: string, lo: string, hi: string): void {
    if (mentions(hi, dlo) || mentions(lo, dhi)) {
      const t = this.temp('t');
      this.w.line(`${t} = ${lo};`);
      this.w.line(`${dhi} = ${hi};`);
      this.w.line(`${dlo} = ${t};`);
    } else {
      if (lo !== dlo) this.w.line(`${dlo} = ${lo};`);
      if (hi !== dhi) this.w.line(`${dhi} = ${hi};`);
    }
  }

  /** Writes a result value at height h (after its operands were popped) and pushes it materialized. */
  result(type: ValType, expr: string): void {
    const h = this.stack.length;
    const s = this.slot(h);
    if (expr !== s) this.w.line(`${s} = ${expr};`);
    this.pushSlot(type);
  }

  /** Pushes a pure result: pending if every operand was pending, else written to its slot. */
  pure(type: ValType, expr: string, operands: readonly Entry[], bool: string | null = null): void {
    let pending = true;
    for (const e of operands) if (e.lo === null) pending = false;
    if (pending) {
      const deps: number[] = [];
      for (const e of operands) for (const d of e.deps) if (!deps.includes(d)) deps.push(d);
      this.push(type, bool !== null ? `(${bool} ? 1 : 0)` : paren(expr), deps, null, bool !== null ? paren(bool) : null);
    } else {
      this.result(type, bool !== null ? `${bool} ? 1 : 0` : expr);
    }
  }

  // ---- control

  blockSig(bt: BlockType | undefined): { params: readonly ValType[]; results: readonly ValType[] } {
    if (bt === null || bt === undefined) return { params: [], results: [] };
    if (typeof bt === 'number') return this.module.types[bt]!;
    return { params: [], results: [bt] };
  }

  /** The control frame `depth` labels out (0 = innermost). */
  target(depth: number): Ctrl {
    return this.ctrl[this.ctrl.length - 1 - depth]!;
  }

  /**
   * Emits a branch to `c`: copies the carried values from the top of the
   * stack into the target's slots (ascending, safe because targets are never
   * above their sources), then `break` / `continue` / `return`.
   */
  branch(c: Ctrl): void {
    if (c.kind === 'func') {
      this.emitReturn();
      return;
    }
    const carried = c.kind === 'loop' ? c.params : c.results;
    const n = carried.length;
    const top = this.stack.length - n;
    for (let k = 0; k < n; k++) {
      const e = this.stack[top + k]!;
      const dst = this.slot(c.base + k);
      if (e.lo === null && top + k === c.base + k) continue;
      if (e.type === 'i64') this.assign64(dst, `${dst}h`, this.val(e, top + k), this.hiOf(e, top + k));
      else this.w.line(`${dst} = ${this.val(e, top + k)};`);
    }
    c.labelUsed = true;
    if (c.kind === 'loop') this.w.line(`continue ${c.label};`);
    else {
      c.branched = true;
      this.w.line(`break ${c.label};`);
    }
  }

  /** Returns the function's results from the top of the stack (internal calling convention, see calls.ts). */
  emitReturn(): void {
    const results = this.type.results;
    const top = this.stack.length - results.length;
    if (results.length === 0) {
      this.w.line('return;');
    } else if (results.length === 1) {
      const e = this.stack[top]!;
      if (results[0] === 'i64') this.w.line(`H = ${this.hiOf(e, top)};`);
      this.w.line(`return ${this.val(e, top)};`);
    } else {
      let r = 0;
      results.forEach((t, k) => {
        const e = this.stack[top + k]!;
        this.w.line(`R[${r++}] = ${this.val(e, top + k)};`);
        if (t === 'i64') this.w.line(`R[${r++}] = ${this.hiOf(e, top + k)};`);
      });
      this.w.line('return;');
    }
  }

  /** Resets the stack to `base` materialized entries of the given types on top of the current ones below base. */
  resetTo(base: number, types: readonly ValType[]): void {
    this.stack.length = base;
    for (const t of types) this.pushSlot(t);
  }
}

/** Wraps a compound expression in parentheses, so it can be an operand anywhere. */
export function paren(expr: string): string {
  return SIMPLE.test(expr) || isWrapped(expr) ? expr : `(${expr})`;
}

function unparen(expr: string): string {
  return isWrapped(expr) && !SIMPLE.test(expr) ? expr.slice(1, -1) : expr;
}

/** Whether the whole expression is one parenthesized group. */
function isWrapped(expr: string): boolean {
  if (!expr.startsWith('(') || !expr.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < expr.length - 1) return false;
  }
  return true;
}

/** Whether `expr` reads the variable `name` (as a whole identifier). */
function mentions(expr: string, name: string): boolean {
  for (let i = expr.indexOf(name); i >= 0; i = expr.indexOf(name, i + 1)) {
    if ((i === 0 || !isIdent(expr.charCodeAt(i - 1))) && !isIdent(expr.charCodeAt(i + name.length))) return true;
  }
  return false;
}

/** [A-Za-z0-9_$] (NaN, past the end, is not). */
function isIdent(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

export type Emit = (fe: FuncEmitter, ins: Instr) => void;
