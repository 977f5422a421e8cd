/**
 * Decoding of instructions and expressions (spec 5.4, "Binary Format:
 * Instructions"), driven by the opcode table: the opcode byte (and the LEB
 * sub-opcode after 0xfc / 0xfd) selects a row, and the row's `imm` kind
 * selects one of the immediate decoders below, a map that must cover every
 * ImmKind.
 *
 * Invariant: every instruction keeps the CODE offset of its first opcode
 * byte (file offset - `codeStart`). Instructions of constant expressions
 * outside the Code section get code offsets too (negative before it), so
 * `toFileOffset` always gives back the file offset.
 *
 * Structure is checked as the reference decoder does: `else` only inside an
 * `if` (before its `end`), every block closed, else "END opcode expected".
 */
import { OP_BY_BYTE, OP_BY_FC, OP_BY_FD } from '../syntax/opcodes.js';
import type { ImmKind, OpName, OpRow } from '../syntax/opcodes.js';
import type { CodeOffset } from '../syntax/offsets.js';
import type { Instr, LocalGroup, MemArg, ValType } from '../syntax/types.js';
import type { Reader } from './reader.js';
import { readBlockType, readRefType, readValType, readValTypes } from './types.js';

/** What instruction decoding needs from, and reports to, the module decoder. */
export interface CodeContext {
  /** File offset of the Code section's contents (code offset 0). */
  readonly codeStart: number;
  /** Set when `memory.init` or `data.drop` occurs: those need a data count section. */
  usesDataIndex: boolean;
  /** Leave function bodies empty, to be read one by one later (decode.ts `decodeBody`). */
  readonly lazyBodies?: boolean;
}

type ImmDecoder = (r: Reader, op: OpName, offset: CodeOffset) => Instr;

function memarg(r: Reader): MemArg {
  const align = r.u32();
  const offset = r.u32();
  return { align, offset };
}

function zero(r: Reader): void {
  r.expect(0x00, 'zero byte expected');
}

/** One decoder per immediate kind; the object literal's type makes the list exhaustive. */
const IMM: { readonly [K in ImmKind]: ImmDecoder } = {
  none: (_r, op, offset) => ({ op, offset }),
  blocktype: (r, op, offset) => ({ op, offset, blockType: readBlockType(r) }),
  label: (r, op, offset) => ({ op, offset, index: r.u32() }),
  br_table: (r, op, offset) => {
    const n = r.len();
    const labels: number[] = new Array(n);
    for (let i = 0; i < n; i++) labels[i] = r.u32();
    return { op, offset, labels, index: r.u32() };
  },
  func: (r, op, offset) => ({ op, offset, index: r.u32() }),
  call_indirect: (r, op, offset) => {
    const index = r.u32();
    return { op, offset, index, index2: r.u32() };
  },
  local: (r, op, offset) => ({ op, offset, index: r.u32() }),
  global: (r, op, offset) => ({ op, offset, index: r.u32() }),
  table: (r, op, offset) => ({ op, offset, index: r.u32() }),
  memarg: (r, op, offset) => ({ op, offset, memarg: memarg(r) }),
  memory: (r, op, offset) => {
    zero(r);
    return { op, offset };
  },
  i32: (r, op, offset) => ({ op, offset, value: r.s32() }),
  i64: (r, op, offset) => ({ op, offset, value: r.s64() }),
  f32: (r, op, offset) => ({ op, offset, value: r.f32bits() }),
  f64: (r, op, offset) => ({ op, offset, value: r.f64bits() }),
  select_t: (r, op, offset) => ({ op, offset, types: readValTypes(r) }),
  reftype: (r, op, offset) => ({ op, offset, refType: readRefType(r) }),
  'memory.init': (r, op, offset) => {
    const index = r.u32();
    zero(r);
    return { op, offset, index };
  },
  data: (r, op, offset) => ({ op, offset, index: r.u32() }),
  'memory.copy': (r, op, offset) => {
    zero(r);
    zero(r);
    return { op, offset };
  },
  // table.init: elem index, then table index (index2).
  'table.init': (r, op, offset) => {
    const index = r.u32();
    return { op, offset, index, index2: r.u32() };
  },
  elem: (r, op, offset) => ({ op, offset, index: r.u32() }),
  // table.copy: destination table (index), then source table (index2).
  'table.copy': (r, op, offset) => {
    const index = r.u32();
    return { op, offset, index, index2: r.u32() };
  },
  v128: (r, op, offset) => ({ op, offset, value: r.bytesView(16).slice() }),
  shuffle: (r, op, offset) => ({ op, offset, value: r.bytesView(16).slice() }),
  lane: (r, op, offset) => ({ op, offset, index: r.u8() }),
  memarg_lane: (r, op, offset) => {
    const m = memarg(r);
    return { op, offset, memarg: m, index: r.u8() };
  },
};

/** A row with its immediate decoder and its role in block structure, looked up once per opcode. */
interface Entry {
  readonly row: OpRow<OpName>;
  readonly decode: ImmDecoder;
  readonly role: number;
}

// Roles of an opcode in the block structure the decoder checks.
const PLAIN = 0;
const OPENS_BLOCK = 1; // block, loop
const OPENS_IF = 2;
const ELSE = 3;
const END = 4;
const DATA_INDEX = 5; // memory.init, data.drop: need a data count section

const ROLE: { readonly [K in OpName]?: number } = {
  block: OPENS_BLOCK,
  loop: OPENS_BLOCK,
  if: OPENS_IF,
  else: ELSE,
  end: END,
  'memory.init': DATA_INDEX,
  'data.drop': DATA_INDEX,
};

function entries(rows: ReadonlyArray<OpRow<OpName> | undefined>): ReadonlyArray<Entry | undefined> {
  return rows.map((row) => (row === undefined ? undefined : { row, decode: IMM[row.imm], role: ROLE[row.name] ?? PLAIN }));
}

const BY_BYTE = entries(OP_BY_BYTE);
const BY_FC = entries(OP_BY_FC);
const BY_FD = entries(OP_BY_FD);

/** Reads one opcode (with its prefix) and returns its entry, or fails with "illegal opcode". */
function readEntry(r: Reader): Entry {
  const at = r.pos;
  const b = r.u8();
  let e: Entry | undefined;
  if (b === 0xfc || b === 0xfd) {
    const sub = r.u32();
    e = (b === 0xfc ? BY_FC : BY_FD)[sub];
    if (e === undefined) r.fail(`illegal opcode ${hex2(b)} ${hex2(sub)}`, at);
  } else {
    e = BY_BYTE[b];
    if (e === undefined) r.fail(`illegal opcode ${hex2(b)}`, at);
  }
  return e;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

// Kinds of open blocks while decoding, to place `else` and `end` correctly.
const OPEN_BLOCK = 0;
const OPEN_IF = 1; // an `if` whose `else` has not been seen yet

/**
 * Reads instructions up to and including the `end` that closes the
 * expression; appends them to `out`.
 */
export function readExpr(r: Reader, ctx: CodeContext, out: Instr[]): void {
  const open: number[] = [];
  const base = ctx.codeStart;
  for (;;) {
    const at = r.pos;
    const e = readEntry(r);
    out.push(e.decode(r, e.row.name, (at - base) as CodeOffset));
    switch (e.role) {
      case PLAIN:
        break;
      case OPENS_BLOCK:
        open.push(OPEN_BLOCK);
        break;
      case OPENS_IF:
        open.push(OPEN_IF);
        break;
      case ELSE:
        // `else` closes the then-branch of an if; anywhere else an `end` was due.
        if (open.length === 0 || open[open.length - 1] !== OPEN_IF) r.fail('END opcode expected', at);
        open[open.length - 1] = OPEN_BLOCK;
        break;
      case END:
        if (open.length === 0) return;
        open.pop();
        break;
      case DATA_INDEX:
        ctx.usesDataIndex = true;
        break;
    }
  }
}

/** A constant expression: the instructions without the final `end`. */
export function readConstExpr(r: Reader, ctx: CodeContext): Instr[] {
  const out: Instr[] = [];
  readExpr(r, ctx, out);
  out.pop();
  return out;
}

/**
 * An implementation limit (V8's and SpiderMonkey's): the binary format allows
 * up to 2^32-1 locals, which cannot be expanded in memory.
 */
export const MAX_LOCALS = 50000;

export interface DecodedLocals {
  readonly localGroups: LocalGroup[];
  readonly locals: ValType[];
}

export function readLocals(r: Reader): DecodedLocals {
  const at = r.pos;
  const n = r.len();
  const localGroups: LocalGroup[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const count = r.u32();
    const type = readValType(r);
    localGroups[i] = { count, type };
    total += count;
  }
  if (total >= 2 ** 32) r.fail('too many locals', at);
  if (total > MAX_LOCALS) r.fail(`too many locals: ${total} exceeds the limit of ${MAX_LOCALS}`, at);
  const locals: ValType[] = new Array(total);
  let k = 0;
  for (const g of localGroups) for (let j = 0; j < g.count; j++) locals[k++] = g.type;
  return { localGroups, locals };
}
