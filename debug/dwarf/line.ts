/**
 * `.debug_line` (DWARF 5 §6.2): the line-number program header and its state
 * machine, versions 2–5 in one reader.
 *
 * Invariant: rows are kept column-wise in typed arrays (address, line,
 * column, file, flags), one entry per emitted row, in sequence order;
 * sequences whose start address is a linker tombstone (or 0, which no wasm
 * function can start at: it is the Code section's function count) are
 * dropped whole, so dead code never shows up as code at address 0.
 */

import { DW_FORM, DW_LNCT, DW_LNE, DW_LNS, isTombstone } from './constants.js';
import { DwarfError, Reader, stringAt } from './reader.js';
import type { DwarfSections } from './sections.js';

export const ROW_IS_STMT = 1, ROW_BASIC_BLOCK = 2, ROW_END_SEQUENCE = 4,
  ROW_PROLOGUE_END = 8, ROW_EPILOGUE_BEGIN = 16;

export interface LineFile {
  readonly name: string;
  readonly dirIndex: number;
  readonly md5?: string;
  /** DWARF ≤4 always, DWARF 5 when the file entry format has them. */
  readonly mtime?: number;
  readonly length?: number;
}

export interface LineProgramHeader {
  readonly offset: number;
  /** unit_length, header_length and the offset size (4: DWARF32, 8: DWARF64), as read. */
  readonly unitLength?: number;
  readonly headerLength?: number;
  readonly offsetSize?: 4 | 8;
  /** DWARF 5 only. */
  readonly addressSize?: number;
  readonly segmentSelectorSize?: number;
  readonly version: number;
  readonly minInstLength: number;
  readonly maxOpsPerInst: number;
  readonly defaultIsStmt: boolean;
  readonly lineBase: number;
  readonly lineRange: number;
  readonly opcodeBase: number;
  readonly standardOpcodeLengths: readonly number[];
  readonly includeDirs: readonly string[];
  readonly files: readonly LineFile[];
  /** 1 before DWARF 5 (file 0 is "the CU's primary file"), 0 from DWARF 5. */
  readonly fileBase: number;
}

export interface LineRow {
  readonly address: number;
  readonly line: number;
  readonly column: number;
  readonly file: number;
  readonly isStmt: boolean;
  readonly endSequence: boolean;
  readonly prologueEnd: boolean;
  readonly epilogueBegin: boolean;
  readonly basicBlock: boolean;
}

export interface Sequence {
  readonly start: number;
  /** The end_sequence row's address (one past the last instruction). */
  readonly end: number;
  readonly firstRow: number;
  /** Index of the end_sequence row. */
  readonly lastRow: number;
}

export class LineTable {
  constructor(
    readonly header: LineProgramHeader,
    readonly compDir: string,
    readonly address: Uint32Array,
    readonly line: Uint32Array,
    readonly column: Uint32Array,
    readonly file: Uint32Array,
    readonly flags: Uint8Array,
    readonly sequences: readonly Sequence[],
  ) {}

  get rowCount(): number { return this.address.length; }

  row(i: number): LineRow {
    const f = this.flags[i]!;
    return {
      address: this.address[i]!, line: this.line[i]!, column: this.column[i]!, file: this.file[i]!,
      isStmt: (f & ROW_IS_STMT) !== 0, endSequence: (f & ROW_END_SEQUENCE) !== 0,
      prologueEnd: (f & ROW_PROLOGUE_END) !== 0, epilogueBegin: (f & ROW_EPILOGUE_BEGIN) !== 0,
      basicBlock: (f & ROW_BASIC_BLOCK) !== 0,
    };
  }

  /**
   * The full path of file `index`, joined as llvm-dwarfdump 14 does
   * (comp_dir / include_dir / name unless a part is absolute), so the two agree.
   */
  fileName(index: number): string | undefined {
    // Memoized: lookups ask for the same few files over and over.
    if (this.names.has(index)) return this.names.get(index);
    const name = this.joinFileName(index);
    this.names.set(index, name);
    return name;
  }

  private readonly names = new Map<number, string | undefined>();

  private joinFileName(index: number): string | undefined {
    const h = this.header;
    const f = h.files[index - h.fileBase];
    if (!f) return undefined;
    if (f.name.startsWith('/')) return f.name;
    let dir = '';
    if (h.version >= 5) dir = h.includeDirs[f.dirIndex] ?? '';
    else if (f.dirIndex > 0) dir = h.includeDirs[f.dirIndex - 1] ?? '';
    const parts = dir.startsWith('/') ? [dir, f.name] : [this.compDir, dir, f.name];
    return parts.filter((p) => p !== '').join('/');
  }
}

/** Parses the program at `offset` and runs it (§6.2.5). `addressSize` comes from the CU. */
export function parseLineTable(sections: DwarfSections, offset: number, compDir: string, addressSize: number): LineTable {
  const sec = sections['.debug_line'];
  if (!sec) throw new DwarfError('no .debug_line section', '.debug_line', offset);
  const r = new Reader(sec, '.debug_line').at(offset);
  const { length, offsetSize } = r.initialLength();
  const end = r.pos + length;
  if (end > sec.length) r.fail('line program runs past the section end', offset);
  const body = r.at(r.pos, end);
  const header = { ...parseHeader(body, sections, offset, offsetSize, addressSize), unitLength: length };
  return run(body, header, compDir, addressSize);
}

function parseHeader(r: Reader, sections: DwarfSections, offset: number, offsetSize: 4 | 8, addressSize: number): LineProgramHeader {
  const version = r.u16();
  if (version < 2 || version > 5) r.fail(`unsupported line table version ${version}`, offset);
  let headerAddressSize: number | undefined, segmentSelectorSize: number | undefined;
  if (version >= 5) {
    headerAddressSize = r.u8(); // for printing: the CU's is authoritative
    segmentSelectorSize = r.u8();
  }
  const headerLength = r.offset(offsetSize);
  const programStart = r.pos + headerLength;
  const minInstLength = r.u8();
  const maxOpsPerInst = version >= 4 ? r.u8() : 1;
  const defaultIsStmt = r.u8() !== 0;
  const lineBase = (r.u8() << 24) >> 24;
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  if (lineRange === 0) r.fail('line_range is 0');
  const standardOpcodeLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardOpcodeLengths.push(r.u8());
  let includeDirs: string[] = [], files: LineFile[] = [];
  if (version >= 5) {
    includeDirs = entryList(r, sections, offsetSize, addressSize).map((e) => e.name);
    files = entryList(r, sections, offsetSize, addressSize);
  } else {
    for (let s = r.cstr(); s !== ''; s = r.cstr()) includeDirs.push(s);
    for (let s = r.cstr(); s !== ''; s = r.cstr()) {
      const dirIndex = r.uleb();
      const mtime = r.uleb(), length = r.uleb();
      files.push({ name: s, dirIndex, mtime, length });
    }
  }
  if (programStart > r.end) r.fail('header_length runs past the line program');
  r.pos = programStart;
  const v5 = headerAddressSize === undefined ? {} : { addressSize: headerAddressSize, segmentSelectorSize: segmentSelectorSize! };
  return {
    offset, offsetSize, headerLength, ...v5, version, minInstLength, maxOpsPerInst, defaultIsStmt, lineBase, lineRange, opcodeBase,
    standardOpcodeLengths, includeDirs, files, fileBase: version >= 5 ? 0 : 1,
  };
}

/** A DWARF 5 directory or file-name table: a format description, then entries (§6.2.4 items 14–20). */
function entryList(r: Reader, sections: DwarfSections, offsetSize: 4 | 8, addressSize: number): LineFile[] {
  const formatCount = r.u8();
  const format: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) format.push([r.uleb(), r.uleb()]);
  const count = r.uleb();
  // Entries with no fields take no bytes: a huge count would spin without reading.
  if (format.length === 0 && count > 0) r.fail('file or directory entries without a format');
  const out: LineFile[] = [];
  for (let i = 0; i < count; i++) {
    const file: { name: string; dirIndex: number; md5?: string; mtime?: number; length?: number } = { name: '', dirIndex: 0 };
    for (const [type, form] of format) {
      const v = formValue(r, form, sections, offsetSize, addressSize);
      if (type === DW_LNCT.path) file.name = typeof v === 'string' ? v : '';
      else if (type === DW_LNCT.directory_index) file.dirIndex = typeof v === 'number' ? v : 0;
      else if (type === DW_LNCT.MD5 && v instanceof Uint8Array) file.md5 = [...v].map((b) => b.toString(16).padStart(2, '0')).join('');
      else if (type === DW_LNCT.timestamp && typeof v === 'number') file.mtime = v;
      else if (type === DW_LNCT.size && typeof v === 'number') file.length = v;
    }
    out.push(file);
  }
  return out;
}

function formValue(r: Reader, form: number, sections: DwarfSections, offsetSize: 4 | 8, addressSize: number): string | number | Uint8Array {
  switch (form) {
    case DW_FORM.string: return r.cstr();
    case DW_FORM.line_strp: return stringAt(sections['.debug_line_str'], '.debug_line_str', r.offset(offsetSize));
    case DW_FORM.strp: return stringAt(sections['.debug_str'], '.debug_str', r.offset(offsetSize));
    case DW_FORM.udata: return r.uleb();
    case DW_FORM.data1: return r.u8();
    case DW_FORM.data2: return r.u16();
    case DW_FORM.data4: return r.u32();
    case DW_FORM.data8: return r.u64();
    case DW_FORM.data16: return r.bytesView(16);
    case DW_FORM.block: return r.bytesView(r.uleb());
    case DW_FORM.addr: return r.uN(addressSize);
    default: return r.fail(`unsupported form 0x${form.toString(16)} in line table header`);
  }
}

/** Growable typed column storage for rows while the program runs (no per-row boxing, one copy at the end). */
class RowBuilder {
  length = 0;
  address = new Uint32Array(64); line = new Uint32Array(64); column = new Uint32Array(64);
  file = new Uint32Array(64); flags = new Uint8Array(64);
  push(address: number, line: number, column: number, file: number, flags: number): void {
    if (this.length === this.address.length) this.grow();
    const i = this.length++;
    this.address[i] = address; this.line[i] = line; this.column[i] = column; this.file[i] = file; this.flags[i] = flags;
  }
  truncate(n: number): void {
    this.length = Math.min(this.length, n);
  }
  private grow(): void {
    const n = this.address.length * 2;
    const widen = <T extends Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => { const b = make(n); b.set(a); return b; };
    this.address = widen(this.address, (k) => new Uint32Array(k)); this.line = widen(this.line, (k) => new Uint32Array(k));
    this.column = widen(this.column, (k) => new Uint32Array(k)); this.file = widen(this.file, (k) => new Uint32Array(k));
    this.flags = widen(this.flags, (k) => new Uint8Array(k));
  }
}

/** The line-number state machine (§6.2.2, opcodes §6.2.5). */
function run(r: Reader, h: LineProgramHeader, compDir: string, addressSize: number): LineTable {
  const rows = new RowBuilder();
  const sequences: Sequence[] = [];
  let address = 0, file = 1, line = 1, column = 0, isStmt = h.defaultIsStmt, flags = 0;
  let seqStart = 0, seqFirstRow = 0;
  const reset = () => {
    address = 0; file = 1; line = 1; column = 0; isStmt = h.defaultIsStmt; flags = 0;
  };
  const emit = (extra: number) => {
    if (rows.length === seqFirstRow) seqStart = address;
    rows.push(address, line, column, file, (isStmt ? ROW_IS_STMT : 0) | flags | extra);
    flags = 0;
  };
  const advance = (opAdvance: number) => { address += h.minInstLength * opAdvance; };
  while (!r.atEnd) {
    const op = r.u8();
    if (op >= h.opcodeBase) {
      const adj = op - h.opcodeBase;
      advance(Math.floor(adj / h.lineRange));
      line += h.lineBase + (adj % h.lineRange);
      emit(0);
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const ext = r.split(len);
        const sub = len > 0 ? ext.u8() : 0;
        if (sub === DW_LNE.end_sequence) {
          emit(ROW_END_SEQUENCE);
          const last = rows.length - 1;
          const dead = isTombstone(seqStart) || seqStart === 0 || address < seqStart;
          if (dead) rows.truncate(seqFirstRow);
          else sequences.push({ start: seqStart, end: address, firstRow: seqFirstRow, lastRow: last });
          seqFirstRow = rows.length;
          reset();
        } else if (sub === DW_LNE.set_address) {
          address = ext.uN(Math.min(ext.remaining, 8) || addressSize);
        } else if (sub === DW_LNE.define_file) {
          // DWARF ≤4 only and never emitted by clang; ignored (the row keeps its file index).
        }
        break;
      }
      case DW_LNS.copy: emit(0); break;
      case DW_LNS.advance_pc: advance(r.uleb()); break;
      case DW_LNS.advance_line: line += r.sleb(); break;
      case DW_LNS.set_file: file = r.uleb(); break;
      case DW_LNS.set_column: column = r.uleb(); break;
      case DW_LNS.negate_stmt: isStmt = !isStmt; break;
      case DW_LNS.set_basic_block: flags |= ROW_BASIC_BLOCK; break;
      case DW_LNS.const_add_pc: advance(Math.floor((255 - h.opcodeBase) / h.lineRange)); break;
      case DW_LNS.fixed_advance_pc: address += r.u16(); break;
      case DW_LNS.set_prologue_end: flags |= ROW_PROLOGUE_END; break;
      case DW_LNS.set_epilogue_begin: flags |= ROW_EPILOGUE_BEGIN; break;
      case DW_LNS.set_isa: r.uleb(); break;
      default:
        // An unknown standard opcode: skip its ULEB operands as the header says (§6.2.5.2).
        for (let i = 0; i < (h.standardOpcodeLengths[op - 1] ?? 0); i++) r.uleb();
    }
  }
  rows.truncate(seqFirstRow); // rows after the last end_sequence belong to no sequence
  const n = rows.length;
  return new LineTable(
    h, compDir, rows.address.slice(0, n), rows.line.slice(0, n), rows.column.slice(0, n),
    rows.file.slice(0, n), rows.flags.slice(0, n), sequences,
  );
}
