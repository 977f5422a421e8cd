/**
 * A resumable DWARF expression evaluator (DWARF 5 §2.5–2.6; gimli's
 * `Evaluation`), with the WebAssembly extension DW_OP_WASM_location.
 *
 * It knows nothing about frames or tiers: when it needs a Wasm local,
 * global or operand-stack slot, a memory read or the frame base, `evaluate`
 * returns a request and the caller resumes with the value from whichever
 * tier owns the frame. Invariant: every run terminates (an operation budget
 * bounds loops built from DW_OP_skip/bra) and bad input raises DwarfError.
 * Values are 64-bit generic values (bigint); addresses are masked to the
 * address size.
 *
 * DW_OP_entry_value (and DW_OP_GNU_entry_value) needs the value its
 * sub-expression had on entry to the current function, which only the tier
 * running the frame may know. With `entryValues: 'ask'` the evaluator
 * returns `needs-entry-value` (the sub-expression, usually
 * `DW_OP_WASM_location 0x0 N`: a parameter's local at entry); the caller
 * resumes with the value or calls `unavailable()`. By default (and after
 * `unavailable()`) the piece it feeds is reported as `empty`, i.e.
 * optimized out, exactly as if the location list had no entry there.
 */

import { decodeOperation, DW_OP, type Operation } from './expr.js';
import { DwarfError, Reader } from './reader.js';

/** Where a Wasm value lives (house rule H-14): stack index 0 is the bottom of the operand stack. */
export interface WasmLocation {
  readonly kind: 'local' | 'global' | 'stack';
  readonly index: number;
}

export type PieceLocation =
  | { readonly kind: 'memory'; readonly address: bigint }
  | { readonly kind: 'value'; readonly value: bigint }
  | { readonly kind: 'wasm'; readonly location: WasmLocation }
  | { readonly kind: 'register'; readonly register: number }
  | { readonly kind: 'implicit'; readonly bytes: Uint8Array }
  | { readonly kind: 'empty' };

export interface Piece {
  /** Size of the piece in bits, when the expression has DW_OP_piece/bit_piece. */
  readonly sizeInBits?: number;
  readonly location: PieceLocation;
}

export type EvaluationResult =
  | { readonly kind: 'complete'; readonly pieces: readonly Piece[] }
  | { readonly kind: 'needs-wasm-local'; readonly index: number }
  | { readonly kind: 'needs-wasm-global'; readonly index: number }
  | { readonly kind: 'needs-wasm-stack'; readonly index: number }
  | { readonly kind: 'needs-memory'; readonly address: bigint; readonly size: number }
  | { readonly kind: 'needs-frame-base' }
  | { readonly kind: 'needs-address-index'; readonly index: number }
  /** Only with `entryValues: 'ask'`: the value `expr` had on entry to the function (resume, or `unavailable()`). */
  | { readonly kind: 'needs-entry-value'; readonly expr: Uint8Array };

export interface EvaluationOptions {
  readonly addressSize?: number;
  /** Maximum operations executed before giving up (guards DW_OP_skip loops). */
  readonly maxSteps?: number;
  /** DW_OP_entry_value: ask the caller (`'ask'`) or treat as optimized out (`'unavailable'`, the default). */
  readonly entryValues?: 'ask' | 'unavailable';
}

const MASK64 = (1n << 64n) - 1n;
const WASM_KINDS = ['local', 'global', 'stack', 'global'] as const;

export class Evaluation {
  private readonly stack: bigint[] = [];
  private readonly pieces: Piece[] = [];
  private readonly r: Reader;
  private readonly addressSize: number;
  private readonly addrMask: bigint;
  private steps: number;
  /** What to do with the value the caller resumes with. */
  private pending: ((v: bigint) => void) | null = null;
  /** Set by DW_OP_stack_value / regN / WASM_location-as-location / implicit_value, consumed by the next piece. */
  private location: PieceLocation | null = null;
  /** Set when the current piece depends on an entry value nobody could supply: it becomes `empty`. */
  private unknownEntryValue = false;
  private readonly askEntryValues: boolean;

  constructor(readonly expr: Uint8Array, options: EvaluationOptions = {}) {
    this.r = new Reader(expr, 'DWARF expression');
    this.addressSize = options.addressSize ?? 4;
    this.addrMask = (1n << BigInt(this.addressSize * 8)) - 1n;
    this.steps = options.maxSteps ?? 10_000;
    this.askEntryValues = options.entryValues === 'ask';
  }

  /** Pushes an initial value (e.g. an object address) before evaluation starts. */
  push(v: bigint | number): void {
    this.stack.push(BigInt.asUintN(64, BigInt(v)));
  }

  /** Runs until the expression completes or needs something from the caller. */
  evaluate(): EvaluationResult {
    if (this.pending) throw new DwarfError('evaluation is waiting for a value; call resume()', 'DWARF expression', this.r.pos);
    while (!this.r.atEnd) {
      if (--this.steps < 0) this.r.fail('expression did not terminate within the step budget');
      const op = decodeOperation(this.r, this.addressSize);
      const request = this.step(op);
      if (request) return request;
    }
    this.finishPiece(undefined);
    return { kind: 'complete', pieces: this.pieces };
  }

  /** Supplies the value asked for by the last result, then continues. */
  resume(value: bigint | number): EvaluationResult {
    const k = this.pending;
    if (!k) throw new DwarfError('resume() without a pending request', 'DWARF expression', this.r.pos);
    this.pending = null;
    this.pendingKind = null;
    k(BigInt.asUintN(64, BigInt(value)));
    return this.evaluate();
  }

  /** Answers a pending `needs-entry-value` with "not known": the piece it feeds is reported `empty`. */
  unavailable(): EvaluationResult {
    if (this.pendingKind !== 'needs-entry-value') throw new DwarfError('unavailable() without a pending entry-value request', 'DWARF expression', this.r.pos);
    this.pending = null;
    this.pendingKind = null;
    this.unknownEntryValue = true;
    this.stack.push(0n); // a placeholder so the rest of the expression runs; the piece is discarded
    return this.evaluate();
  }

  private pendingKind: EvaluationResult['kind'] | null = null;

  private pop(op: Operation): bigint {
    const v = this.stack.pop();
    if (v === undefined) throw new DwarfError(`${op.name} on an empty stack`, 'DWARF expression', op.offset);
    return v;
  }

  private ask(request: EvaluationResult, then: (v: bigint) => void): EvaluationResult {
    this.pending = then;
    this.pendingKind = request.kind;
    return request;
  }

  private step(op: Operation): EvaluationResult | null {
    const c = op.code, a = op.operands[0]?.value ?? 0n, st = this.stack;
    if (c >= DW_OP.lit0 && c < DW_OP.lit0 + 32) { st.push(BigInt(c - DW_OP.lit0)); return null; }
    if (c >= DW_OP.reg0 && c < DW_OP.reg0 + 32) { this.location = { kind: 'register', register: c - DW_OP.reg0 }; return null; }
    if (c >= 0x08 && c <= 0x11) { st.push(BigInt.asUintN(64, a)); return null; } // const*, constu, consts
    switch (c) {
      case DW_OP.addr: st.push(a); return null;
      case DW_OP.addrx: case DW_OP.constx:
        return this.ask({ kind: 'needs-address-index', index: Number(a) }, (v) => st.push(v));
      case DW_OP.fbreg:
        return this.ask({ kind: 'needs-frame-base' }, (fb) => st.push((fb + a) & this.addrMask));
      case DW_OP.deref: case DW_OP.deref_size: {
        const size = c === DW_OP.deref ? this.addressSize : Number(a);
        const address = this.pop(op) & this.addrMask;
        return this.ask({ kind: 'needs-memory', address, size }, (v) => st.push(v));
      }
      case DW_OP.WASM_location: return this.wasmLocation(op);
      case DW_OP.entry_value: case DW_OP.GNU_entry_value:
        if (this.askEntryValues) return this.ask({ kind: 'needs-entry-value', expr: op.block! }, (v) => st.push(v));
        this.unknownEntryValue = true;
        st.push(0n);
        return null;
      case DW_OP.stack_value: this.location = { kind: 'value', value: this.pop(op) }; return null;
      case DW_OP.regx: this.location = { kind: 'register', register: Number(a) }; return null;
      case DW_OP.implicit_value: this.location = { kind: 'implicit', bytes: op.block! }; return null;
      case DW_OP.piece: this.finishPiece(Number(a) * 8); return null;
      case DW_OP.bit_piece: this.finishPiece(Number(a)); return null;
      case DW_OP.skip: this.jump(op, a); return null;
      case DW_OP.bra: if (this.pop(op) !== 0n) this.jump(op, a); return null;
      case 0x96: return null; // nop
      default: this.arith(op); return null;
    }
  }

  /**
   * DW_OP_WASM_location k i: the value of local/global/stack slot i is
   * pushed (clang always follows it with DW_OP_stack_value, sometimes with
   * arithmetic first). Alone at the end of a piece it names the slot itself.
   */
  private wasmLocation(op: Operation): EvaluationResult | null {
    const kind = WASM_KINDS[Number(op.operands[0]!.value)]!;
    const index = Number(op.operands[1]!.value);
    const nextCode = this.r.atEnd ? -1 : this.expr[this.r.pos]!;
    if (nextCode === -1 || nextCode === DW_OP.piece || nextCode === DW_OP.bit_piece) {
      this.location = { kind: 'wasm', location: { kind, index } };
      return null;
    }
    const request = kind === 'local' ? { kind: 'needs-wasm-local' as const, index }
      : kind === 'global' ? { kind: 'needs-wasm-global' as const, index }
      : { kind: 'needs-wasm-stack' as const, index };
    return this.ask(request, (v) => this.stack.push(v));
  }

  private jump(op: Operation, delta: bigint): void {
    const target = op.next + Number(delta);
    if (target < 0 || target > this.expr.length) throw new DwarfError(`${op.name} target out of range`, 'DWARF expression', op.offset);
    this.r.pos = target;
  }

  private finishPiece(sizeInBits: number | undefined): void {
    let location = this.location;
    if (this.unknownEntryValue) {
      if (!location) this.stack.pop(); // the address computed from the placeholder
      location = { kind: 'empty' };
      this.unknownEntryValue = false;
    } else if (!location) {
      const top = this.stack.pop();
      location = top === undefined ? { kind: 'empty' } : { kind: 'memory', address: top & this.addrMask };
    }
    if (sizeInBits === undefined && this.pieces.length > 0 && location.kind === 'empty') return;
    this.pieces.push(sizeInBits === undefined ? { location } : { sizeInBits, location });
    this.location = null;
  }

  /** Stack manipulation, arithmetic and comparisons (§2.5.1.3–2.5.1.5). */
  private arith(op: Operation): void {
    const st = this.stack, c = op.code;
    const signed = (v: bigint) => BigInt.asIntN(64, v);
    const wrap = (v: bigint) => v & MASK64;
    const bool = (b: boolean) => (b ? 1n : 0n);
    const unary = (f: (x: bigint) => bigint): void => { st.push(wrap(f(this.pop(op)))); };
    const binary = (f: (x: bigint, y: bigint) => bigint): void => { const y = this.pop(op), x = this.pop(op); st.push(wrap(f(x, y))); };
    const nonzero = (y: bigint) => { if (y === 0n) throw new DwarfError('division by zero', 'DWARF expression', op.offset); return y; };
    switch (c) {
      case 0x12: { const v = this.pop(op); st.push(v, v); return; } // dup
      case 0x13: this.pop(op); return; // drop
      case 0x14: { const y = this.pop(op), x = this.pop(op); st.push(x, y, x); return; } // over
      case 0x15: { // pick
        const i = Number(op.operands[0]!.value);
        if (i >= st.length) throw new DwarfError('DW_OP_pick beyond the stack', 'DWARF expression', op.offset);
        st.push(st[st.length - 1 - i]!);
        return;
      }
      case 0x16: { const y = this.pop(op), x = this.pop(op); st.push(y, x); return; } // swap
      case 0x17: { const z = this.pop(op), y = this.pop(op), x = this.pop(op); st.push(z, x, y); return; } // rot
      case 0x19: return unary((x) => (signed(x) < 0n ? -signed(x) : x));
      case 0x1a: return binary((x, y) => x & y);
      case 0x1b: return binary((x, y) => signed(x) / signed(nonzero(y)));
      case 0x1c: return binary((x, y) => x - y);
      case 0x1d: return binary((x, y) => x % nonzero(y));
      case 0x1e: return binary((x, y) => x * y);
      case 0x1f: return unary((x) => -x);
      case 0x20: return unary((x) => ~x);
      case 0x21: return binary((x, y) => x | y);
      case 0x22: return binary((x, y) => x + y);
      case 0x23: return unary((x) => x + op.operands[0]!.value); // plus_uconst
      case 0x24: return binary((x, y) => (y >= 64n ? 0n : x << y));
      case 0x25: return binary((x, y) => (y >= 64n ? 0n : x >> y));
      case 0x26: return binary((x, y) => signed(x) >> (y >= 64n ? 63n : y));
      case 0x27: return binary((x, y) => x ^ y);
      case 0x29: return binary((x, y) => bool(x === y));
      case 0x2a: return binary((x, y) => bool(signed(x) >= signed(y)));
      case 0x2b: return binary((x, y) => bool(signed(x) > signed(y)));
      case 0x2c: return binary((x, y) => bool(signed(x) <= signed(y)));
      case 0x2d: return binary((x, y) => bool(signed(x) < signed(y)));
      case 0x2e: return binary((x, y) => bool(x !== y));
      default:
        if (c >= 0x70 && c < 0x90 || c === DW_OP.bregx || c === DW_OP.call_frame_cfa) {
          throw new DwarfError(`${op.name} names a machine register, which WebAssembly does not have`, 'DWARF expression', op.offset);
        }
        throw new DwarfError(`${op.name} is not supported`, 'DWARF expression', op.offset);
    }
  }
}

/** Answers for `evaluateLocation`: one per kind of request; omit what the caller cannot provide. */
export interface LocationContext {
  local?(index: number): bigint | number;
  global?(index: number): bigint | number;
  stack?(index: number): bigint | number;
  memory?(address: bigint, size: number): bigint | number;
  frameBase?(): bigint | number;
  addressIndex?(index: number): bigint | number;
  /** The value `expr` had on entry to the function, or undefined if unknown (the piece is then `empty`). */
  entryValue?(expr: Uint8Array): bigint | number | undefined;
}

/** Drives an Evaluation to completion with synchronous answers (the common case for one tier). */
export function evaluateLocation(expr: Uint8Array, ctx: LocationContext, options: EvaluationOptions = {}): readonly Piece[] {
  const ev = new Evaluation(expr, ctx.entryValue ? { ...options, entryValues: 'ask' } : options);
  let res = ev.evaluate();
  for (;;) {
    const answer = (f: ((...a: never[]) => bigint | number) | undefined, ...args: unknown[]) => {
      if (!f) throw new DwarfError(`cannot answer ${res.kind}`, 'DWARF expression', 0);
      return (f as (...a: unknown[]) => bigint | number)(...args);
    };
    switch (res.kind) {
      case 'complete': return res.pieces;
      case 'needs-wasm-local': res = ev.resume(answer(ctx.local, res.index)); break;
      case 'needs-wasm-global': res = ev.resume(answer(ctx.global, res.index)); break;
      case 'needs-wasm-stack': res = ev.resume(answer(ctx.stack, res.index)); break;
      case 'needs-memory': res = ev.resume(answer(ctx.memory, res.address, res.size)); break;
      case 'needs-frame-base': res = ev.resume(answer(ctx.frameBase)); break;
      case 'needs-address-index': res = ev.resume(answer(ctx.addressIndex, res.index)); break;
      case 'needs-entry-value': {
        const v = ctx.entryValue?.(res.expr);
        res = v === undefined ? ev.unavailable() : ev.resume(v);
        break;
      }
    }
  }
}
