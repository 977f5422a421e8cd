/**
 * Validation of one function body: the algorithm of the spec's appendix
 * ("Validation Algorithm"), with an operand stack and a control stack whose
 * frames become stack-polymorphic after an unconditional branch.
 *
 * Method names follow the appendix: `push`/`pop` (pushVal/popVal),
 * `pushVals`/`popVals`, `pushCtrl`/`popCtrl`, `labelTypes`, `unreachable`.
 * Instructions with a fixed signature in the opcode table are checked
 * generically (pop params, push results) after their immediates are checked
 * by the ImmKind map in immediates.ts; `custom` rows go to instrs.ts.
 *
 * Invariant: on success, `func.heights[i]` is the operand-stack height before
 * `func.body[i]` (from the function's empty stack; in unreachable code, the
 * height of the innermost frame's base) and `func.maxHeight` the highest
 * height reached.
 */
import { InternalError, ValidationError } from '../errors.js';
import { OPCODES, signatureOf } from '../syntax/opcodes.js';
import type { ImmKind, OpName, OpRow } from '../syntax/opcodes.js';
import type { BlockType, Func, FuncType, Instr, Module, ValType } from '../syntax/types.js';
import { IMM_CHECKS } from './immediates.js';
import { CUSTOM_CHECKS } from './instrs.js';

/** An operand type; `unknown` is the bottom type of stack-polymorphic code. */
export type Operand = ValType | 'unknown';

export type FrameKind = 'func' | 'block' | 'loop' | 'if' | 'else';

export interface CtrlFrame {
  readonly kind: FrameKind;
  readonly start: readonly ValType[];
  readonly end: readonly ValType[];
  /** Operand-stack height when the frame was entered (after its params were popped). */
  readonly height: number;
  unreachable: boolean;
}

/** What validation needs from the module besides the function itself. */
export interface ValidationContext {
  readonly module: Module;
  /** Functions that may be named by `ref.func` in bodies (C.refs). */
  readonly refs: ReadonlySet<number>;
}

export class FuncValidator {
  readonly vals: Operand[] = [];
  readonly ctrls: CtrlFrame[] = [];
  maxHeight = 0;
  /** The instruction being checked: errors are reported at its offset. */
  instr: Instr | null = null;

  constructor(
    readonly ctx: ValidationContext,
    readonly funcIndex: number,
    /** Parameters then declared locals. */
    readonly locals: readonly ValType[],
  ) {}

  get module(): Module {
    return this.ctx.module;
  }

  fail(message: string): never {
    throw new ValidationError(message, this.instr?.offset, this.funcIndex);
  }

  push(t: Operand): void {
    this.vals.push(t);
    if (this.vals.length > this.maxHeight) this.maxHeight = this.vals.length;
  }

  pop(): Operand {
    const top = this.ctrls[this.ctrls.length - 1]!;
    if (this.vals.length === top.height) {
      if (top.unreachable) return 'unknown';
      this.fail('type mismatch');
    }
    return this.vals.pop()!;
  }

  popExpect(expect: Operand): Operand {
    const actual = this.pop();
    if (actual !== expect && actual !== 'unknown' && expect !== 'unknown') this.fail('type mismatch');
    return actual;
  }

  pushVals(ts: readonly Operand[]): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]!);
  }

  /** Pops `ts` (last first) and returns what was popped, in stack order. */
  popVals(ts: readonly Operand[]): Operand[] {
    const popped: Operand[] = new Array(ts.length);
    for (let i = ts.length - 1; i >= 0; i--) popped[i] = this.popExpect(ts[i]!);
    return popped;
  }

  /** `popVals` without collecting the popped types (the common case). */
  popAll(ts: readonly Operand[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popExpect(ts[i]!);
  }

  pushCtrl(kind: FrameKind, start: readonly ValType[], end: readonly ValType[]): void {
    this.ctrls.push({ kind, start, end, height: this.vals.length, unreachable: false });
    this.pushVals(start);
  }

  popCtrl(): CtrlFrame {
    const frame = this.ctrls[this.ctrls.length - 1];
    if (frame === undefined) this.fail('type mismatch');
    this.popAll(frame.end);
    if (this.vals.length !== frame.height) this.fail('type mismatch');
    this.ctrls.pop();
    return frame;
  }

  labelTypes(frame: CtrlFrame): readonly ValType[] {
    return frame.kind === 'loop' ? frame.start : frame.end;
  }

  /** The frame `depth` labels out (0 = innermost). */
  label(depth: number): CtrlFrame {
    if (depth >= this.ctrls.length) this.fail(`unknown label ${depth}`);
    return this.ctrls[this.ctrls.length - 1 - depth]!;
  }

  unreachable(): void {
    const top = this.ctrls[this.ctrls.length - 1]!;
    this.vals.length = top.height;
    top.unreachable = true;
  }

  // Index-space lookups with the spec's "unknown <space> <index>" messages.

  type(index: number): FuncType {
    return this.module.types[index] ?? this.fail(`unknown type ${index}`);
  }

  funcType(index: number): FuncType {
    const t = this.module.funcTypes[index];
    if (t === undefined) this.fail(`unknown function ${index}`);
    return this.type(t);
  }

  local(index: number): ValType {
    return this.locals[index] ?? this.fail(`unknown local ${index}`);
  }

  blockType(bt: BlockType | undefined): FuncType {
    if (bt === null || bt === undefined) return EMPTY;
    if (typeof bt === 'number') return this.type(bt);
    return SINGLE[bt];
  }
}

const EMPTY: FuncType = { params: [], results: [] };
const SINGLE: { readonly [K in ValType]: FuncType } = {
  i32: { params: [], results: ['i32'] },
  i64: { params: [], results: ['i64'] },
  f32: { params: [], results: ['f32'] },
  f64: { params: [], results: ['f64'] },
  v128: { params: [], results: ['v128'] },
  funcref: { params: [], results: ['funcref'] },
  externref: { params: [], results: ['externref'] },
};

/** What the validator knows about each row, computed once from the opcode table. */
export interface OpInfo {
  readonly row: OpRow<OpName>;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Lanes of the vector shape for `lane` / `memarg_lane` / `shuffle` rows. */
  readonly lanes: number;
}

type Check = (v: FuncValidator, instr: Instr, info: OpInfo) => void;

const INFO = new Map<OpName, { readonly info: OpInfo; readonly check: Check }>();

for (const row of OPCODES as readonly OpRow<OpName>[]) {
  const sig = signatureOf(row);
  const custom = CUSTOM_CHECKS[row.name];
  if ((sig === null) !== (custom !== undefined)) {
    throw new InternalError(`validator: row ${row.name} is ${sig === null ? 'custom but has no handler' : 'fixed but has a custom handler'}`);
  }
  const info: OpInfo = {
    row,
    params: (sig?.params ?? []) as ValType[],
    results: (sig?.results ?? []) as ValType[],
    lanes: lanesOf(row),
  };
  INFO.set(row.name, { info, check: custom ?? fixedCheck(row.imm) });
}

function fixedCheck(imm: ImmKind): Check {
  const checkImm = IMM_CHECKS[imm];
  return (v, instr, info) => {
    checkImm(v, instr, info);
    v.popAll(info.params);
    v.pushVals(info.results);
  };
}

function lanesOf(row: OpRow): number {
  if (row.imm === 'memarg_lane') return 16 / (row.mem ?? 1);
  if (row.imm === 'shuffle') return 32;
  const m = /^[if](8|16|32|64)x(\d+)\./.exec(row.name);
  return m ? Number(m[2]) : 0;
}

/** Validates `func` (function index `funcIndex`) and records its stack heights. */
export function validateFunc(ctx: ValidationContext, funcIndex: number, func: Func): void {
  runValidator(ctx, funcIndex, func, NO_STOPS);
}

const NO_STOPS: readonly number[] = [];

/**
 * The operand types on the stack before `func.body[stop]`, by re-running the
 * validator up to there: what a frame capture needs to turn slot bits into
 * canonical values. Cheap enough on demand; never on a hot path.
 */
export function operandTypesAt(ctx: ValidationContext, funcIndex: number, func: Func, stop: number): Operand[] {
  return runValidator(ctx, funcIndex, func, [stop])[0]!;
}

/**
 * The operand types before each of `stops` (instruction indices in
 * ascending order), by one run of the validator: frame maps ask at every
 * checkpoint of a function, and a run per checkpoint made large functions
 * quadratic (bench/large: 10 s to compile with checkpoints).
 */
export function operandTypesAtEach(ctx: ValidationContext, funcIndex: number, func: Func, stops: readonly number[]): Operand[][] {
  for (let k = 1; k < stops.length; k++) {
    if (stops[k]! < stops[k - 1]!) throw new InternalError('operandTypesAtEach: stops must ascend');
  }
  return stops.length === 0 ? [] : runValidator(ctx, funcIndex, func, stops);
}

/** Runs the validator; with `stops`, returns the stack before each and ends after the last, else validates the whole body. */
function runValidator(ctx: ValidationContext, funcIndex: number, func: Func, stops: readonly number[]): Operand[][] {
  const type = ctx.module.types[func.typeIndex];
  if (type === undefined) throw new ValidationError(`unknown type ${func.typeIndex}`, func.entryOffset, funcIndex);
  const v = new FuncValidator(ctx, funcIndex, [...type.params, ...func.locals]);
  const body = func.body;
  const heights = new Int32Array(body.length);
  const out: Operand[][] = [];
  let next = 0;
  v.pushCtrl('func', [], type.results);
  for (let i = 0; i < body.length; i++) {
    while (next < stops.length && stops[next] === i) {
      out.push(v.vals.slice());
      next++;
    }
    if (stops.length > 0 && next === stops.length) return out;
    const instr = body[i]!;
    v.instr = instr;
    const top = v.ctrls[v.ctrls.length - 1];
    if (top === undefined) v.fail('unexpected instruction after the end of the function');
    heights[i] = top.unreachable ? top.height : v.vals.length;
    const entry = INFO.get(instr.op);
    if (entry === undefined) throw new InternalError(`validator: no row for ${instr.op}`);
    entry.check(v, instr, entry.info);
  }
  // Stops at or past the end (callers ask for the state after the last instruction) see the final stack.
  while (next < stops.length) {
    out.push(v.vals.slice());
    next++;
  }
  if (stops.length > 0) return out;
  if (v.ctrls.length !== 0) v.fail('type mismatch');
  func.heights = heights;
  func.maxHeight = v.maxHeight;
  return out;
}
