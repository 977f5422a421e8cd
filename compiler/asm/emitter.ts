/**
 * The state of one region's translation to an asm.js function (asm/index.ts
 * says why): the typed operand stack, the control frames, the lines written
 * and what the region reads, writes and checks.
 *
 * Invariant: every value lives in the variable named by its stack height and
 * type (`i3`, `f3`, `d3`: asm.js variables have one type each), written by
 * the instruction that produced it. Nothing is held back as a pending
 * expression, so evaluation order, trap order and local writes are exactly
 * the instructions' order; V8's optimizing tier removes the copies. A block's
 * results and a loop's parameters are then already in their slots at every
 * merge point, whichever path reached it.
 *
 * Anything the translation cannot express throws NotAsm, and the region
 * stays plain JavaScript (regions.ts).
 */
import type { BlockType, Instr, Module, ValType } from '../../interpreter/core.js';
import { JsWriter } from '../emit/writer.js';

export type AsmType = 'i32' | 'f32' | 'f64';

/** The region cannot be asm.js; `message` says why (for tests and curious readers). */
export class NotAsm extends Error {
  override readonly name = 'NotAsm';
}

/** The traps asm.js code raises through the foreign `T(code, offset, func)`; link.ts maps them to the spec's messages. */
export const ASM_TRAPS = ['UNREACHABLE', 'DIV_ZERO', 'INT_OVERFLOW', 'INVALID_CONVERSION', 'OOB_MEMORY'] as const;
export type AsmTrap = (typeof ASM_TRAPS)[number];

export interface AsmCtrl {
  readonly kind: 'block' | 'loop' | 'if';
  readonly label: string;
  /** Stack height below the frame's parameters. */
  readonly base: number;
  readonly params: readonly AsmType[];
  readonly results: readonly AsmType[];
}

const LETTER: Record<AsmType, string> = { i32: 'i', f32: 'f', f64: 'd' };

/** The letter naming t's variables: slots `i3`, outputs `oi0`, getters `gi` (asm.js variables have one type each). */
export function asmLetter(t: AsmType): string {
  return LETTER[t];
}

export function isAsmType(t: ValType | undefined): t is AsmType {
  return t === 'i32' || t === 'f32' || t === 'f64';
}

/** `t`'s asm.js type, or NotAsm for i64, vectors and references. */
export function asmType(t: ValType): AsmType {
  if (isAsmType(t)) return t;
  throw new NotAsm(`${t} values`);
}

/** An asm.js variable declaration's initializer for type t. */
export function asmZero(t: AsmType): string {
  return t === 'i32' ? '0' : t === 'f32' ? 'fround(0)' : '0.0';
}

/** The coercion that gives `e` type t in asm.js (a parameter annotation, an FFI result). */
export function asmCoerce(t: AsmType, e: string): string {
  return t === 'i32' ? `${e}|0` : t === 'f32' ? `fround(${e})` : `+${e}`;
}

/**
 * A double literal asm.js reads as a double (it must contain a `.`), or `Inf`
 * (the module's stdlib.Infinity). NaN constants are not translated: their
 * payload bits would be lost (the JavaScript path keeps them).
 */
export function asmDouble(x: number): string {
  if (Number.isNaN(x)) throw new NotAsm('NaN constant');
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  if (s.includes('.')) return s;
  const e = s.indexOf('e');
  return e < 0 ? `${s}.0` : `${s.slice(0, e)}.0${s.slice(e)}`;
}

export class AsmEmitter {
  readonly w = new JsWriter();
  readonly stack: AsmType[] = [];
  readonly ctrl: AsmCtrl[] = [];
  /** Slot variables used, by name. */
  readonly slots = new Map<string, AsmType>();
  /** Locals the region reads and writes. */
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  /** `offset + size` of every memory access: link.ts binds `m<K>` to the memory's length − K. */
  readonly limits = new Set<number>();
  live = true;
  ins!: Instr;

  constructor(readonly module: Module, readonly funcIndex: number, readonly localTypes: readonly ValType[]) {}

  get height(): number {
    return this.stack.length;
  }

  slotName(h: number, t: AsmType): string {
    const name = `${LETTER[t]}${h}`;
    this.slots.set(name, t);
    return name;
  }

  /** Pushes a value of type t; returns the variable to write it to. */
  push(t: AsmType): string {
    const name = this.slotName(this.stack.length, t);
    this.stack.push(t);
    return name;
  }

  /** Pops the top value (of type t when given); returns its variable. */
  pop(t?: AsmType): string {
    const top = this.stack.pop();
    if (top === undefined || (t !== undefined && top !== t)) throw new NotAsm(`operand stack mismatch at ${this.ins.op}`);
    return this.slotName(this.stack.length, top);
  }

  /** Local i's variable (`l<i>`), recording the use; NotAsm unless it is i32, f32 or f64. */
  local(i: number, write: boolean): { name: string; type: AsmType } {
    const type = asmType(this.localTypes[i]!);
    this.used.add(i);
    if (write) this.written.add(i);
    return { name: `l${i}`, type };
  }

  /** `T(code, offset, func);`: raises the trap at the current instruction. */
  trap(code: AsmTrap): string {
    return `T(${ASM_TRAPS.indexOf(code)}, ${this.ins.offset}, ${this.funcIndex});`;
  }

  blockSig(bt: BlockType | undefined): { params: AsmType[]; results: AsmType[] } {
    if (bt === null || bt === undefined) return { params: [], results: [] };
    if (typeof bt === 'number') {
      const t = this.module.types[bt]!;
      return { params: t.params.map(asmType), results: t.results.map(asmType) };
    }
    return { params: [], results: [asmType(bt)] };
  }

  /** Opens a control frame whose parameters are on top of the stack. */
  enter(kind: AsmCtrl['kind'], bt: BlockType | undefined): AsmCtrl {
    const { params, results } = this.blockSig(bt);
    const c: AsmCtrl = { kind, label: `L${this.ctrl.length + 1}`, base: this.stack.length - params.length, params, results };
    this.ctrl.push(c);
    return c;
  }

  /** Sets the stack to `base` values below plus `types` on top (after a frame's end or else). */
  resetTo(base: number, types: readonly AsmType[]): void {
    this.stack.length = base;
    for (const t of types) this.stack.push(t);
  }

  /**
   * A branch `depth` frames out: copies the carried values into the target's
   * slots, then `break` / `continue`. A branch leaving the region is NotAsm.
   */
  branch(depth: number): void {
    if (depth >= this.ctrl.length) throw new NotAsm('branch out of the region');
    const c = this.ctrl[this.ctrl.length - 1 - depth]!;
    const carried = c.kind === 'loop' ? c.params : c.results;
    const top = this.stack.length - carried.length;
    carried.forEach((t, k) => {
      if (this.stack[top + k] !== t) throw new NotAsm('branch operand mismatch');
      if (top + k !== c.base + k) this.w.line(`${this.slotName(c.base + k, t)} = ${this.slotName(top + k, t)};`);
    });
    this.w.line(c.kind === 'loop' ? `continue ${c.label};` : `break ${c.label};`);
  }
}
