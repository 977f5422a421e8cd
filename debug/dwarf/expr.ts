/**
 * DWARF expressions (DWARF 5 §2.5, §7.7.1): decoding operations and printing
 * them exactly as llvm-dwarfdump 14 does (`DW_OP_fbreg +8`,
 * `DW_OP_WASM_location 0x0 0x3`), so dumps can be compared line by line.
 *
 * Invariant: decoding never reads past the expression; an unknown opcode or
 * truncated operand is a DwarfError naming the expression offset.
 */

import { Reader } from './reader.js';

/** Operand encodings. `addr` is address-sized; `u`/`s` suffixes give the width. */
type Operand = 'u1' | 's1' | 'u2' | 's2' | 'u4' | 's4' | 'u8' | 's8' | 'uleb' | 'sleb' | 'addr' | 'offset' | 'block' | 'wasm';

/** DW_OP_* opcodes (§7.7.1 table 7.9) with their operands, plus the WebAssembly extension 0xED. */
const OPS: Record<number, readonly [string, ...Operand[]]> = {
  0x03: ['addr', 'addr'], 0x06: ['deref'], 0x08: ['const1u', 'u1'], 0x09: ['const1s', 's1'],
  0x0a: ['const2u', 'u2'], 0x0b: ['const2s', 's2'], 0x0c: ['const4u', 'u4'], 0x0d: ['const4s', 's4'],
  0x0e: ['const8u', 'u8'], 0x0f: ['const8s', 's8'], 0x10: ['constu', 'uleb'], 0x11: ['consts', 'sleb'],
  0x12: ['dup'], 0x13: ['drop'], 0x14: ['over'], 0x15: ['pick', 'u1'], 0x16: ['swap'], 0x17: ['rot'],
  0x18: ['xderef'], 0x19: ['abs'], 0x1a: ['and'], 0x1b: ['div'], 0x1c: ['minus'], 0x1d: ['mod'],
  0x1e: ['mul'], 0x1f: ['neg'], 0x20: ['not'], 0x21: ['or'], 0x22: ['plus'], 0x23: ['plus_uconst', 'uleb'],
  0x24: ['shl'], 0x25: ['shr'], 0x26: ['shra'], 0x27: ['xor'], 0x28: ['bra', 's2'], 0x29: ['eq'],
  0x2a: ['ge'], 0x2b: ['gt'], 0x2c: ['le'], 0x2d: ['lt'], 0x2e: ['ne'], 0x2f: ['skip', 's2'],
  0x90: ['regx', 'uleb'], 0x91: ['fbreg', 'sleb'], 0x92: ['bregx', 'uleb', 'sleb'], 0x93: ['piece', 'uleb'],
  0x94: ['deref_size', 'u1'], 0x95: ['xderef_size', 'u1'], 0x96: ['nop'], 0x97: ['push_object_address'],
  0x98: ['call2', 'u2'], 0x99: ['call4', 'u4'], 0x9a: ['call_ref', 'offset'], 0x9b: ['form_tls_address'],
  0x9c: ['call_frame_cfa'], 0x9d: ['bit_piece', 'uleb', 'uleb'], 0x9e: ['implicit_value', 'block'],
  0x9f: ['stack_value'], 0xa0: ['implicit_pointer', 'offset', 'sleb'], 0xa1: ['addrx', 'uleb'],
  0xa2: ['constx', 'uleb'], 0xa3: ['entry_value', 'block'], 0xa4: ['const_type', 'uleb', 'block'],
  0xa5: ['regval_type', 'uleb', 'uleb'], 0xa6: ['deref_type', 'u1', 'uleb'], 0xa7: ['xderef_type', 'u1', 'uleb'],
  0xa8: ['convert', 'uleb'], 0xa9: ['reinterpret', 'uleb'], 0xe0: ['GNU_push_tls_address'],
  0xed: ['WASM_location', 'wasm'], 0xf3: ['GNU_entry_value', 'block'],
};
for (let i = 0; i < 32; i++) {
  OPS[0x30 + i] = [`lit${i}`];
  OPS[0x50 + i] = [`reg${i}`];
  OPS[0x70 + i] = [`breg${i}`, 'sleb'];
}

export const DW_OP = {
  addr: 0x03, deref: 0x06, constu: 0x10, consts: 0x11, plus_uconst: 0x23, bra: 0x28, skip: 0x2f,
  lit0: 0x30, reg0: 0x50, breg0: 0x70, regx: 0x90, fbreg: 0x91, bregx: 0x92, piece: 0x93,
  deref_size: 0x94, bit_piece: 0x9d, implicit_value: 0x9e, stack_value: 0x9f, addrx: 0xa1,
  constx: 0xa2, call_frame_cfa: 0x9c, entry_value: 0xa3, WASM_location: 0xed, GNU_entry_value: 0xf3,
} as const;

export interface Operation {
  /** Offset of the opcode within the expression. */
  readonly offset: number;
  readonly code: number;
  /** `DW_OP_fbreg` etc. */
  readonly name: string;
  /** Integer operands, each with its signedness for printing; block operands are in `block`. */
  readonly operands: readonly { readonly value: bigint; readonly signed: boolean }[];
  readonly block?: Uint8Array;
  /** Offset just past this operation. */
  readonly next: number;
}

/** Decodes the operation at `r.pos` (`r` covers exactly one expression). */
export function decodeOperation(r: Reader, addressSize: number, offsetSize = 4): Operation {
  const offset = r.pos;
  const code = r.u8();
  const row = OPS[code] ?? r.fail(`unknown DWARF expression opcode 0x${code.toString(16)}`, offset);
  const [name, ...kinds] = row;
  const operands: { value: bigint; signed: boolean }[] = [];
  let block: Uint8Array | undefined;
  for (const kind of kinds) {
    switch (kind) {
      case 'u1': operands.push(u(r.u8())); break;
      case 's1': operands.push(s((r.u8() << 24) >> 24)); break;
      case 'u2': operands.push(u(r.u16())); break;
      case 's2': operands.push(s((r.u16() << 16) >> 16)); break;
      case 'u4': operands.push(u(r.u32())); break;
      case 's4': operands.push(s(r.u32() | 0)); break;
      case 'u8': { const lo = r.u32(), hi = r.u32(); operands.push(u((BigInt(hi) << 32n) | BigInt(lo))); break; }
      case 's8': {
        const lo = r.u32(), hi = r.u32();
        operands.push({ value: BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)), signed: true });
        break;
      }
      case 'uleb': operands.push({ value: r.ulebBig(), signed: false }); break;
      case 'sleb': operands.push({ value: r.slebBig(), signed: true }); break;
      case 'addr': operands.push(u(r.uN(addressSize))); break;
      case 'offset': operands.push(u(r.uN(offsetSize))); break;
      case 'block': block = r.bytesView(r.uleb()); break;
      case 'wasm': {
        const k = r.u8();
        operands.push(u(k));
        if (k === 3) operands.push(u(r.u32()));
        else if (k <= 2) operands.push({ value: r.ulebBig(), signed: false });
        else r.fail(`unknown DW_OP_WASM_location kind ${k}`, offset);
        break;
      }
    }
  }
  return block ? { offset, code, name: `DW_OP_${name}`, operands, block, next: r.pos }
    : { offset, code, name: `DW_OP_${name}`, operands, next: r.pos };
}

const u = (n: number | bigint) => ({ value: BigInt(n), signed: false });
const s = (n: number) => ({ value: BigInt(n), signed: true });

/** All operations of an expression, in order. */
export function decodeExpression(expr: Uint8Array, addressSize = 4): Operation[] {
  const r = new Reader(expr, 'DWARF expression');
  const ops: Operation[] = [];
  while (!r.atEnd) ops.push(decodeOperation(r, addressSize));
  return ops;
}

/** `DW_OP_fbreg +8, DW_OP_deref`: the expression as llvm-dwarfdump 14 prints it. */
export function formatExpression(expr: Uint8Array, addressSize = 4): string {
  return decodeExpression(expr, addressSize).map(formatOperation).join(', ');
}

function formatOperation(op: Operation): string {
  let text = op.name;
  for (const o of op.operands) {
    text += o.signed ? ` ${o.value >= 0n ? '+' : ''}${o.value}` : ` 0x${o.value.toString(16)}`;
  }
  if (op.block) text += ` 0x${op.block.length.toString(16)}` + [...op.block].map((b) => ` 0x${b.toString(16).padStart(2, '0')}`).join('');
  return text;
}
