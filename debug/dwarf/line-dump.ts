/**
 * A line table as `llvm-dwarfdump --debug-line` (LLVM 14) prints it: the
 * `debug_line[0x…]` header, the prologue, then the row matrix, so scripts
 * written against llvm-dwarfdump read `wasmflip dwarf lines` unchanged.
 *
 * Invariant: the text is a pure function of the parsed table. Two
 * differences are by design: sequences of dead code (tombstoned or at 0)
 * are absent, as everywhere in this reader, and ISA and discriminator print
 * as 0 (clang does not emit them for WebAssembly; the reader does not keep them).
 */

import { ROW_BASIC_BLOCK, ROW_END_SEQUENCE, ROW_EPILOGUE_BEGIN, ROW_IS_STMT, ROW_PROLOGUE_END, type LineTable } from './line.js';

const STANDARD_OPCODES = [
  'copy', 'advance_pc', 'advance_line', 'set_file', 'set_column', 'negate_stmt', 'set_basic_block',
  'const_add_pc', 'fixed_advance_pc', 'set_prologue_end', 'set_epilogue_begin', 'set_isa',
];

const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;
const right = (n: number, width: number) => String(n).padStart(width);

/** The prologue block (`Line table prologue:` … the file names), one line per field. */
function prologue(t: LineTable): string[] {
  const h = t.header;
  const out = [`debug_line[${hex(h.offset, 8)}]`, 'Line table prologue:'];
  const wide = h.offsetSize === 8;
  if (h.unitLength !== undefined) out.push(`    total_length: ${hex(h.unitLength, wide ? 16 : 8)}`);
  out.push(`          format: ${wide ? 'DWARF64' : 'DWARF32'}`, `         version: ${h.version}`);
  if (h.addressSize !== undefined) out.push(`    address_size: ${h.addressSize}`, ` seg_select_size: ${h.segmentSelectorSize ?? 0}`);
  if (h.headerLength !== undefined) out.push(` prologue_length: ${hex(h.headerLength, wide ? 16 : 8)}`);
  out.push(
    ` min_inst_length: ${h.minInstLength}`, `max_ops_per_inst: ${h.maxOpsPerInst}`,
    ` default_is_stmt: ${h.defaultIsStmt ? 1 : 0}`, `       line_base: ${h.lineBase}`,
    `      line_range: ${h.lineRange}`, `     opcode_base: ${h.opcodeBase}`,
  );
  h.standardOpcodeLengths.forEach((n, i) => {
    const name = STANDARD_OPCODES[i] !== undefined ? `DW_LNS_${STANDARD_OPCODES[i]}` : `DW_LNS_unknown_${(i + 1).toString(16)}`;
    out.push(`standard_opcode_lengths[${name}] = ${n}`);
  });
  const base = h.version >= 5 ? 0 : 1;
  h.includeDirs.forEach((d, i) => out.push(`include_directories[${right(i + base, 3)}] = "${d}"`));
  h.files.forEach((f, i) => {
    out.push(`file_names[${right(i + base, 3)}]:`, `           name: "${f.name}"`, `      dir_index: ${f.dirIndex}`);
    if (f.md5 !== undefined) out.push(`   md5_checksum: ${f.md5}`);
    if (f.mtime !== undefined) out.push(`       mod_time: ${hex(f.mtime, 8)}`);
    if (f.length !== undefined) out.push(`         length: ${hex(f.length, 8)}`);
  });
  return out;
}

const FLAGS: readonly [number, string][] = [
  [ROW_IS_STMT, 'is_stmt'], [ROW_BASIC_BLOCK, 'basic_block'], [ROW_PROLOGUE_END, 'prologue_end'],
  [ROW_EPILOGUE_BEGIN, 'epilogue_begin'], [ROW_END_SEQUENCE, 'end_sequence'],
];

/** One table: prologue, a blank line, then (if it has rows) the column header, every row and a blank line. */
export function formatLineTable(t: LineTable): string {
  const out = prologue(t);
  out.push('');
  if (t.rowCount === 0) return out.join('\n') + '\n';
  out.push('Address            Line   Column File   ISA Discriminator Flags',
    '------------------ ------ ------ ------ --- ------------- -------------');
  for (let i = 0; i < t.rowCount; i++) {
    const f = t.flags[i]!;
    const flags = FLAGS.filter(([bit]) => (f & bit) !== 0).map(([, name]) => ` ${name}`).join('');
    out.push(`${hex(t.address[i]!, 16)} ${right(t.line[i]!, 6)} ${right(t.column[i]!, 6)} ${right(t.file[i]!, 6)} ${right(0, 3)} ${right(0, 13)} ${flags}`);
  }
  out.push('');
  return out.join('\n') + '\n';
}

/** Every table, after llvm-dwarfdump's `.debug_line contents:` banner. */
export function formatLineTables(tables: readonly LineTable[]): string {
  return '.debug_line contents:\n' + tables.map(formatLineTable).join('');
}
