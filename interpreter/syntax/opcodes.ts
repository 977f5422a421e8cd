/**
 * THE opcode table: every WebAssembly 2.0 instruction, once.
 *
 * Each row gives the encoding (prefix byte and opcode / sub-opcode), the spec
 * name, the kind of immediates, the stack signature and the feature that
 * introduced it. The decoder, validator, interpreter, compiler and
 * disassembler are all driven by this table: each keeps a handler map typed
 * `{ [K in OpName]: ... }` (or an exhaustive switch), so adding a row fails to
 * type-check until every consumer handles it.
 *
 * Signatures: `'a b : c'` pops b then a and pushes c; `'custom'` means the
 * validator types the instruction itself (control, variables, references,
 * tables, parametric). `mem` is the natural access width in bytes of a memory
 * instruction (its alignment hint may not exceed it).
 */

export type ImmKind =
  | 'none'
  | 'blocktype'
  | 'label'
  | 'br_table'
  | 'func'
  | 'call_indirect'
  | 'local'
  | 'global'
  | 'table'
  | 'memarg'
  | 'memory'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'select_t'
  | 'reftype'
  | 'memory.init'
  | 'data'
  | 'memory.copy'
  | 'table.init'
  | 'elem'
  | 'table.copy'
  | 'v128'
  | 'shuffle'
  | 'lane'
  | 'memarg_lane';

export type Feature = 'mvp' | 'sign-ext' | 'sat-trunc' | 'bulk-memory' | 'reference-types' | 'simd';

export interface OpRow<N extends string = string> {
  /** 0 for single-byte opcodes, else the prefix byte (0xfc, 0xfd). */
  readonly prefix: number;
  /** The opcode byte, or the sub-opcode after a prefix. */
  readonly code: number;
  readonly name: N;
  readonly imm: ImmKind;
  readonly sig: string;
  readonly feature: Feature;
  readonly mem?: number;
}

function row<N extends string>(prefix: number, code: number, name: N, imm: ImmKind, sig: string, feature: Feature, mem?: number): OpRow<N> {
  return mem === undefined ? { prefix, code, name, imm, sig, feature } : { prefix, code, name, imm, sig, feature, mem };
}
const op = <N extends string>(code: number, name: N, imm: ImmKind, sig: string, feature: Feature, mem?: number) =>
  row(0, code, name, imm, sig, feature, mem);
const fc = <N extends string>(code: number, name: N, imm: ImmKind, sig: string, feature: Feature, mem?: number) =>
  row(0xfc, code, name, imm, sig, feature, mem);
const fd = <N extends string>(code: number, name: N, imm: ImmKind, sig: string, feature: Feature, mem?: number) =>
  row(0xfd, code, name, imm, sig, feature, mem);

export const OPCODES = [
  op(0x00, 'unreachable', 'none', 'custom', 'mvp'),
  op(0x01, 'nop', 'none', ' : ', 'mvp'),
  op(0x02, 'block', 'blocktype', 'custom', 'mvp'),
  op(0x03, 'loop', 'blocktype', 'custom', 'mvp'),
  op(0x04, 'if', 'blocktype', 'custom', 'mvp'),
  op(0x05, 'else', 'none', 'custom', 'mvp'),
  op(0x0b, 'end', 'none', 'custom', 'mvp'),
  op(0x0c, 'br', 'label', 'custom', 'mvp'),
  op(0x0d, 'br_if', 'label', 'custom', 'mvp'),
  op(0x0e, 'br_table', 'br_table', 'custom', 'mvp'),
  op(0x0f, 'return', 'none', 'custom', 'mvp'),
  op(0x10, 'call', 'func', 'custom', 'mvp'),
  op(0x11, 'call_indirect', 'call_indirect', 'custom', 'mvp'),
  op(0x1a, 'drop', 'none', 'custom', 'mvp'),
  op(0x1b, 'select', 'none', 'custom', 'mvp'),
  op(0x1c, 'select_t', 'select_t', 'custom', 'reference-types'),
  op(0x20, 'local.get', 'local', 'custom', 'mvp'),
  op(0x21, 'local.set', 'local', 'custom', 'mvp'),
  op(0x22, 'local.tee', 'local', 'custom', 'mvp'),
  op(0x23, 'global.get', 'global', 'custom', 'mvp'),
  op(0x24, 'global.set', 'global', 'custom', 'mvp'),
  op(0x25, 'table.get', 'table', 'custom', 'reference-types'),
  op(0x26, 'table.set', 'table', 'custom', 'reference-types'),
  op(0x28, 'i32.load', 'memarg', 'i32 : i32', 'mvp', 4),
  op(0x29, 'i64.load', 'memarg', 'i32 : i64', 'mvp', 8),
  op(0x2a, 'f32.load', 'memarg', 'i32 : f32', 'mvp', 4),
  op(0x2b, 'f64.load', 'memarg', 'i32 : f64', 'mvp', 8),
  op(0x2c, 'i32.load8_s', 'memarg', 'i32 : i32', 'mvp', 1),
  op(0x2d, 'i32.load8_u', 'memarg', 'i32 : i32', 'mvp', 1),
  op(0x2e, 'i32.load16_s', 'memarg', 'i32 : i32', 'mvp', 2),
  op(0x2f, 'i32.load16_u', 'memarg', 'i32 : i32', 'mvp', 2),
  op(0x30, 'i64.load8_s', 'memarg', 'i32 : i64', 'mvp', 1),
  op(0x31, 'i64.load8_u', 'memarg', 'i32 : i64', 'mvp', 1),
  op(0x32, 'i64.load16_s', 'memarg', 'i32 : i64', 'mvp', 2),
  op(0x33, 'i64.load16_u', 'memarg', 'i32 : i64', 'mvp', 2),
  op(0x34, 'i64.load32_s', 'memarg', 'i32 : i64', 'mvp', 4),
  op(0x35, 'i64.load32_u', 'memarg', 'i32 : i64', 'mvp', 4),
  op(0x36, 'i32.store', 'memarg', 'i32 i32 : ', 'mvp', 4),
  op(0x37, 'i64.store', 'memarg', 'i32 i64 : ', 'mvp', 8),
  op(0x38, 'f32.store', 'memarg', 'i32 f32 : ', 'mvp', 4),
  op(0x39, 'f64.store', 'memarg', 'i32 f64 : ', 'mvp', 8),
  op(0x3a, 'i32.store8', 'memarg', 'i32 i32 : ', 'mvp', 1),
  op(0x3b, 'i32.store16', 'memarg', 'i32 i32 : ', 'mvp', 2),
  op(0x3c, 'i64.store8', 'memarg', 'i32 i64 : ', 'mvp', 1),
  op(0x3d, 'i64.store16', 'memarg', 'i32 i64 : ', 'mvp', 2),
  op(0x3e, 'i64.store32', 'memarg', 'i32 i64 : ', 'mvp', 4),
  op(0x3f, 'memory.size', 'memory', ' : i32', 'mvp'),
  op(0x40, 'memory.grow', 'memory', 'i32 : i32', 'mvp'),
  op(0x41, 'i32.const', 'i32', ' : i32', 'mvp'),
  op(0x42, 'i64.const', 'i64', ' : i64', 'mvp'),
  op(0x43, 'f32.const', 'f32', ' : f32', 'mvp'),
  op(0x44, 'f64.const', 'f64', ' : f64', 'mvp'),
  op(0x45, 'i32.eqz', 'none', 'i32 : i32', 'mvp'),
  op(0x46, 'i32.eq', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x47, 'i32.ne', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x48, 'i32.lt_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x49, 'i32.lt_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x4a, 'i32.gt_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x4b, 'i32.gt_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x4c, 'i32.le_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x4d, 'i32.le_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x4e, 'i32.ge_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x4f, 'i32.ge_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x50, 'i64.eqz', 'none', 'i64 : i32', 'mvp'),
  op(0x51, 'i64.eq', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x52, 'i64.ne', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x53, 'i64.lt_s', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x54, 'i64.lt_u', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x55, 'i64.gt_s', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x56, 'i64.gt_u', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x57, 'i64.le_s', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x58, 'i64.le_u', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x59, 'i64.ge_s', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x5a, 'i64.ge_u', 'none', 'i64 i64 : i32', 'mvp'),
  op(0x5b, 'f32.eq', 'none', 'f32 f32 : i32', 'mvp'),
  op(0x5c, 'f32.ne', 'none', 'f32 f32 : i32', 'mvp'),
  op(0x5d, 'f32.lt', 'none', 'f32 f32 : i32', 'mvp'),
  op(0x5e, 'f32.gt', 'none', 'f32 f32 : i32', 'mvp'),
  op(0x5f, 'f32.le', 'none', 'f32 f32 : i32', 'mvp'),
  op(0x60, 'f32.ge', 'none', 'f32 f32 : i32', 'mvp'),
  op(0x61, 'f64.eq', 'none', 'f64 f64 : i32', 'mvp'),
  op(0x62, 'f64.ne', 'none', 'f64 f64 : i32', 'mvp'),
  op(0x63, 'f64.lt', 'none', 'f64 f64 : i32', 'mvp'),
  op(0x64, 'f64.gt', 'none', 'f64 f64 : i32', 'mvp'),
  op(0x65, 'f64.le', 'none', 'f64 f64 : i32', 'mvp'),
  op(0x66, 'f64.ge', 'none', 'f64 f64 : i32', 'mvp'),
  op(0x67, 'i32.clz', 'none', 'i32 : i32', 'mvp'),
  op(0x68, 'i32.ctz', 'none', 'i32 : i32', 'mvp'),
  op(0x69, 'i32.popcnt', 'none', 'i32 : i32', 'mvp'),
  op(0x6a, 'i32.add', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x6b, 'i32.sub', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x6c, 'i32.mul', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x6d, 'i32.div_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x6e, 'i32.div_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x6f, 'i32.rem_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x70, 'i32.rem_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x71, 'i32.and', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x72, 'i32.or', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x73, 'i32.xor', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x74, 'i32.shl', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x75, 'i32.shr_s', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x76, 'i32.shr_u', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x77, 'i32.rotl', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x78, 'i32.rotr', 'none', 'i32 i32 : i32', 'mvp'),
  op(0x79, 'i64.clz', 'none', 'i64 : i64', 'mvp'),
  op(0x7a, 'i64.ctz', 'none', 'i64 : i64', 'mvp'),
  op(0x7b, 'i64.popcnt', 'none', 'i64 : i64', 'mvp'),
  op(0x7c, 'i64.add', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x7d, 'i64.sub', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x7e, 'i64.mul', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x7f, 'i64.div_s', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x80, 'i64.div_u', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x81, 'i64.rem_s', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x82, 'i64.rem_u', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x83, 'i64.and', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x84, 'i64.or', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x85, 'i64.xor', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x86, 'i64.shl', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x87, 'i64.shr_s', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x88, 'i64.shr_u', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x89, 'i64.rotl', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x8a, 'i64.rotr', 'none', 'i64 i64 : i64', 'mvp'),
  op(0x8b, 'f32.abs', 'none', 'f32 : f32', 'mvp'),
  op(0x8c, 'f32.neg', 'none', 'f32 : f32', 'mvp'),
  op(0x8d, 'f32.ceil', 'none', 'f32 : f32', 'mvp'),
  op(0x8e, 'f32.floor', 'none', 'f32 : f32', 'mvp'),
  op(0x8f, 'f32.trunc', 'none', 'f32 : f32', 'mvp'),
  op(0x90, 'f32.nearest', 'none', 'f32 : f32', 'mvp'),
  op(0x91, 'f32.sqrt', 'none', 'f32 : f32', 'mvp'),
  op(0x92, 'f32.add', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x93, 'f32.sub', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x94, 'f32.mul', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x95, 'f32.div', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x96, 'f32.min', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x97, 'f32.max', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x98, 'f32.copysign', 'none', 'f32 f32 : f32', 'mvp'),
  op(0x99, 'f64.abs', 'none', 'f64 : f64', 'mvp'),
  op(0x9a, 'f64.neg', 'none', 'f64 : f64', 'mvp'),
  op(0x9b, 'f64.ceil', 'none', 'f64 : f64', 'mvp'),
  op(0x9c, 'f64.floor', 'none', 'f64 : f64', 'mvp'),
  op(0x9d, 'f64.trunc', 'none', 'f64 : f64', 'mvp'),
  op(0x9e, 'f64.nearest', 'none', 'f64 : f64', 'mvp'),
  op(0x9f, 'f64.sqrt', 'none', 'f64 : f64', 'mvp'),
  op(0xa0, 'f64.add', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa1, 'f64.sub', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa2, 'f64.mul', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa3, 'f64.div', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa4, 'f64.min', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa5, 'f64.max', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa6, 'f64.copysign', 'none', 'f64 f64 : f64', 'mvp'),
  op(0xa7, 'i32.wrap_i64', 'none', 'i64 : i32', 'mvp'),
  op(0xa8, 'i32.trunc_f32_s', 'none', 'f32 : i32', 'mvp'),
  op(0xa9, 'i32.trunc_f32_u', 'none', 'f32 : i32', 'mvp'),
  op(0xaa, 'i32.trunc_f64_s', 'none', 'f64 : i32', 'mvp'),
  op(0xab, 'i32.trunc_f64_u', 'none', 'f64 : i32', 'mvp'),
  op(0xac, 'i64.extend_i32_s', 'none', 'i32 : i64', 'mvp'),
  op(0xad, 'i64.extend_i32_u', 'none', 'i32 : i64', 'mvp'),
  op(0xae, 'i64.trunc_f32_s', 'none', 'f32 : i64', 'mvp'),
  op(0xaf, 'i64.trunc_f32_u', 'none', 'f32 : i64', 'mvp'),
  op(0xb0, 'i64.trunc_f64_s', 'none', 'f64 : i64', 'mvp'),
  op(0xb1, 'i64.trunc_f64_u', 'none', 'f64 : i64', 'mvp'),
  op(0xb2, 'f32.convert_i32_s', 'none', 'i32 : f32', 'mvp'),
  op(0xb3, 'f32.convert_i32_u', 'none', 'i32 : f32', 'mvp'),
  op(0xb4, 'f32.convert_i64_s', 'none', 'i64 : f32', 'mvp'),
  op(0xb5, 'f32.convert_i64_u', 'none', 'i64 : f32', 'mvp'),
  op(0xb6, 'f32.demote_f64', 'none', 'f64 : f32', 'mvp'),
  op(0xb7, 'f64.convert_i32_s', 'none', 'i32 : f64', 'mvp'),
  op(0xb8, 'f64.convert_i32_u', 'none', 'i32 : f64', 'mvp'),
  op(0xb9, 'f64.convert_i64_s', 'none', 'i64 : f64', 'mvp'),
  op(0xba, 'f64.convert_i64_u', 'none', 'i64 : f64', 'mvp'),
  op(0xbb, 'f64.promote_f32', 'none', 'f32 : f64', 'mvp'),
  op(0xbc, 'i32.reinterpret_f32', 'none', 'f32 : i32', 'mvp'),
  op(0xbd, 'i64.reinterpret_f64', 'none', 'f64 : i64', 'mvp'),
  op(0xbe, 'f32.reinterpret_i32', 'none', 'i32 : f32', 'mvp'),
  op(0xbf, 'f64.reinterpret_i64', 'none', 'i64 : f64', 'mvp'),
  op(0xc0, 'i32.extend8_s', 'none', 'i32 : i32', 'sign-ext'),
  op(0xc1, 'i32.extend16_s', 'none', 'i32 : i32', 'sign-ext'),
  op(0xc2, 'i64.extend8_s', 'none', 'i64 : i64', 'sign-ext'),
  op(0xc3, 'i64.extend16_s', 'none', 'i64 : i64', 'sign-ext'),
  op(0xc4, 'i64.extend32_s', 'none', 'i64 : i64', 'sign-ext'),
  op(0xd0, 'ref.null', 'reftype', 'custom', 'reference-types'),
  op(0xd1, 'ref.is_null', 'none', 'custom', 'reference-types'),
  op(0xd2, 'ref.func', 'func', 'custom', 'reference-types'),
  fc(0x00, 'i32.trunc_sat_f32_s', 'none', 'f32 : i32', 'sat-trunc'),
  fc(0x01, 'i32.trunc_sat_f32_u', 'none', 'f32 : i32', 'sat-trunc'),
  fc(0x02, 'i32.trunc_sat_f64_s', 'none', 'f64 : i32', 'sat-trunc'),
  fc(0x03, 'i32.trunc_sat_f64_u', 'none', 'f64 : i32', 'sat-trunc'),
  fc(0x04, 'i64.trunc_sat_f32_s', 'none', 'f32 : i64', 'sat-trunc'),
  fc(0x05, 'i64.trunc_sat_f32_u', 'none', 'f32 : i64', 'sat-trunc'),
  fc(0x06, 'i64.trunc_sat_f64_s', 'none', 'f64 : i64', 'sat-trunc'),
  fc(0x07, 'i64.trunc_sat_f64_u', 'none', 'f64 : i64', 'sat-trunc'),
  fc(0x08, 'memory.init', 'memory.init', 'i32 i32 i32 : ', 'bulk-memory'),
  fc(0x09, 'data.drop', 'data', ' : ', 'bulk-memory'),
  fc(0x0a, 'memory.copy', 'memory.copy', 'i32 i32 i32 : ', 'bulk-memory'),
  fc(0x0b, 'memory.fill', 'memory', 'i32 i32 i32 : ', 'bulk-memory'),
  fc(0x0c, 'table.init', 'table.init', 'custom', 'bulk-memory'),
  fc(0x0d, 'elem.drop', 'elem', ' : ', 'bulk-memory'),
  fc(0x0e, 'table.copy', 'table.copy', 'custom', 'bulk-memory'),
  fc(0x0f, 'table.grow', 'table', 'custom', 'reference-types'),
  fc(0x10, 'table.size', 'table', ' : i32', 'reference-types'),
  fc(0x11, 'table.fill', 'table', 'custom', 'reference-types'),
  fd(0x00, 'v128.load', 'memarg', 'i32 : v128', 'simd', 16),
  fd(0x01, 'v128.load8x8_s', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x02, 'v128.load8x8_u', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x03, 'v128.load16x4_s', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x04, 'v128.load16x4_u', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x05, 'v128.load32x2_s', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x06, 'v128.load32x2_u', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x07, 'v128.load8_splat', 'memarg', 'i32 : v128', 'simd', 1),
  fd(0x08, 'v128.load16_splat', 'memarg', 'i32 : v128', 'simd', 2),
  fd(0x09, 'v128.load32_splat', 'memarg', 'i32 : v128', 'simd', 4),
  fd(0x0a, 'v128.load64_splat', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x0b, 'v128.store', 'memarg', 'i32 v128 : ', 'simd', 16),
  fd(0x0c, 'v128.const', 'v128', ' : v128', 'simd'),
  fd(0x0d, 'i8x16.shuffle', 'shuffle', 'v128 v128 : v128', 'simd'),
  fd(0x0e, 'i8x16.swizzle', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x0f, 'i8x16.splat', 'none', 'i32 : v128', 'simd'),
  fd(0x10, 'i16x8.splat', 'none', 'i32 : v128', 'simd'),
  fd(0x11, 'i32x4.splat', 'none', 'i32 : v128', 'simd'),
  fd(0x12, 'i64x2.splat', 'none', 'i64 : v128', 'simd'),
  fd(0x13, 'f32x4.splat', 'none', 'f32 : v128', 'simd'),
  fd(0x14, 'f64x2.splat', 'none', 'f64 : v128', 'simd'),
  fd(0x15, 'i8x16.extract_lane_s', 'lane', 'v128 : i32', 'simd'),
  fd(0x16, 'i8x16.extract_lane_u', 'lane', 'v128 : i32', 'simd'),
  fd(0x17, 'i8x16.replace_lane', 'lane', 'v128 i32 : v128', 'simd'),
  fd(0x18, 'i16x8.extract_lane_s', 'lane', 'v128 : i32', 'simd'),
  fd(0x19, 'i16x8.extract_lane_u', 'lane', 'v128 : i32', 'simd'),
  fd(0x1a, 'i16x8.replace_lane', 'lane', 'v128 i32 : v128', 'simd'),
  fd(0x1b, 'i32x4.extract_lane', 'lane', 'v128 : i32', 'simd'),
  fd(0x1c, 'i32x4.replace_lane', 'lane', 'v128 i32 : v128', 'simd'),
  fd(0x1d, 'i64x2.extract_lane', 'lane', 'v128 : i64', 'simd'),
  fd(0x1e, 'i64x2.replace_lane', 'lane', 'v128 i64 : v128', 'simd'),
  fd(0x1f, 'f32x4.extract_lane', 'lane', 'v128 : f32', 'simd'),
  fd(0x20, 'f32x4.replace_lane', 'lane', 'v128 f32 : v128', 'simd'),
  fd(0x21, 'f64x2.extract_lane', 'lane', 'v128 : f64', 'simd'),
  fd(0x22, 'f64x2.replace_lane', 'lane', 'v128 f64 : v128', 'simd'),
  fd(0x23, 'i8x16.eq', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x24, 'i8x16.ne', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x25, 'i8x16.lt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x26, 'i8x16.lt_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x27, 'i8x16.gt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x28, 'i8x16.gt_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x29, 'i8x16.le_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x2a, 'i8x16.le_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x2b, 'i8x16.ge_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x2c, 'i8x16.ge_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x2d, 'i16x8.eq', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x2e, 'i16x8.ne', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x2f, 'i16x8.lt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x30, 'i16x8.lt_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x31, 'i16x8.gt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x32, 'i16x8.gt_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x33, 'i16x8.le_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x34, 'i16x8.le_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x35, 'i16x8.ge_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x36, 'i16x8.ge_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x37, 'i32x4.eq', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x38, 'i32x4.ne', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x39, 'i32x4.lt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x3a, 'i32x4.lt_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x3b, 'i32x4.gt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x3c, 'i32x4.gt_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x3d, 'i32x4.le_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x3e, 'i32x4.le_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x3f, 'i32x4.ge_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x40, 'i32x4.ge_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x41, 'f32x4.eq', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x42, 'f32x4.ne', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x43, 'f32x4.lt', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x44, 'f32x4.gt', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x45, 'f32x4.le', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x46, 'f32x4.ge', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x47, 'f64x2.eq', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x48, 'f64x2.ne', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x49, 'f64x2.lt', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x4a, 'f64x2.gt', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x4b, 'f64x2.le', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x4c, 'f64x2.ge', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x4d, 'v128.not', 'none', 'v128 : v128', 'simd'),
  fd(0x4e, 'v128.and', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x4f, 'v128.andnot', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x50, 'v128.or', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x51, 'v128.xor', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x52, 'v128.bitselect', 'none', 'v128 v128 v128 : v128', 'simd'),
  fd(0x53, 'v128.any_true', 'none', 'v128 : i32', 'simd'),
  fd(0x54, 'v128.load8_lane', 'memarg_lane', 'i32 v128 : v128', 'simd', 1),
  fd(0x55, 'v128.load16_lane', 'memarg_lane', 'i32 v128 : v128', 'simd', 2),
  fd(0x56, 'v128.load32_lane', 'memarg_lane', 'i32 v128 : v128', 'simd', 4),
  fd(0x57, 'v128.load64_lane', 'memarg_lane', 'i32 v128 : v128', 'simd', 8),
  fd(0x58, 'v128.store8_lane', 'memarg_lane', 'i32 v128 : ', 'simd', 1),
  fd(0x59, 'v128.store16_lane', 'memarg_lane', 'i32 v128 : ', 'simd', 2),
  fd(0x5a, 'v128.store32_lane', 'memarg_lane', 'i32 v128 : ', 'simd', 4),
  fd(0x5b, 'v128.store64_lane', 'memarg_lane', 'i32 v128 : ', 'simd', 8),
  fd(0x5c, 'v128.load32_zero', 'memarg', 'i32 : v128', 'simd', 4),
  fd(0x5d, 'v128.load64_zero', 'memarg', 'i32 : v128', 'simd', 8),
  fd(0x5e, 'f32x4.demote_f64x2_zero', 'none', 'v128 : v128', 'simd'),
  fd(0x5f, 'f64x2.promote_low_f32x4', 'none', 'v128 : v128', 'simd'),
  fd(0x60, 'i8x16.abs', 'none', 'v128 : v128', 'simd'),
  fd(0x61, 'i8x16.neg', 'none', 'v128 : v128', 'simd'),
  fd(0x62, 'i8x16.popcnt', 'none', 'v128 : v128', 'simd'),
  fd(0x63, 'i8x16.all_true', 'none', 'v128 : i32', 'simd'),
  fd(0x64, 'i8x16.bitmask', 'none', 'v128 : i32', 'simd'),
  fd(0x65, 'i8x16.narrow_i16x8_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x66, 'i8x16.narrow_i16x8_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x67, 'f32x4.ceil', 'none', 'v128 : v128', 'simd'),
  fd(0x68, 'f32x4.floor', 'none', 'v128 : v128', 'simd'),
  fd(0x69, 'f32x4.trunc', 'none', 'v128 : v128', 'simd'),
  fd(0x6a, 'f32x4.nearest', 'none', 'v128 : v128', 'simd'),
  fd(0x6b, 'i8x16.shl', 'none', 'v128 i32 : v128', 'simd'),
  fd(0x6c, 'i8x16.shr_s', 'none', 'v128 i32 : v128', 'simd'),
  fd(0x6d, 'i8x16.shr_u', 'none', 'v128 i32 : v128', 'simd'),
  fd(0x6e, 'i8x16.add', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x6f, 'i8x16.add_sat_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x70, 'i8x16.add_sat_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x71, 'i8x16.sub', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x72, 'i8x16.sub_sat_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x73, 'i8x16.sub_sat_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x74, 'f64x2.ceil', 'none', 'v128 : v128', 'simd'),
  fd(0x75, 'f64x2.floor', 'none', 'v128 : v128', 'simd'),
  fd(0x76, 'i8x16.min_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x77, 'i8x16.min_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x78, 'i8x16.max_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x79, 'i8x16.max_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x7a, 'f64x2.trunc', 'none', 'v128 : v128', 'simd'),
  fd(0x7b, 'i8x16.avgr_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x7c, 'i16x8.extadd_pairwise_i8x16_s', 'none', 'v128 : v128', 'simd'),
  fd(0x7d, 'i16x8.extadd_pairwise_i8x16_u', 'none', 'v128 : v128', 'simd'),
  fd(0x7e, 'i32x4.extadd_pairwise_i16x8_s', 'none', 'v128 : v128', 'simd'),
  fd(0x7f, 'i32x4.extadd_pairwise_i16x8_u', 'none', 'v128 : v128', 'simd'),
  fd(0x80, 'i16x8.abs', 'none', 'v128 : v128', 'simd'),
  fd(0x81, 'i16x8.neg', 'none', 'v128 : v128', 'simd'),
  fd(0x82, 'i16x8.q15mulr_sat_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x83, 'i16x8.all_true', 'none', 'v128 : i32', 'simd'),
  fd(0x84, 'i16x8.bitmask', 'none', 'v128 : i32', 'simd'),
  fd(0x85, 'i16x8.narrow_i32x4_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x86, 'i16x8.narrow_i32x4_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x87, 'i16x8.extend_low_i8x16_s', 'none', 'v128 : v128', 'simd'),
  fd(0x88, 'i16x8.extend_high_i8x16_s', 'none', 'v128 : v128', 'simd'),
  fd(0x89, 'i16x8.extend_low_i8x16_u', 'none', 'v128 : v128', 'simd'),
  fd(0x8a, 'i16x8.extend_high_i8x16_u', 'none', 'v128 : v128', 'simd'),
  fd(0x8b, 'i16x8.shl', 'none', 'v128 i32 : v128', 'simd'),
  fd(0x8c, 'i16x8.shr_s', 'none', 'v128 i32 : v128', 'simd'),
  fd(0x8d, 'i16x8.shr_u', 'none', 'v128 i32 : v128', 'simd'),
  fd(0x8e, 'i16x8.add', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x8f, 'i16x8.add_sat_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x90, 'i16x8.add_sat_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x91, 'i16x8.sub', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x92, 'i16x8.sub_sat_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x93, 'i16x8.sub_sat_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x94, 'f64x2.nearest', 'none', 'v128 : v128', 'simd'),
  fd(0x95, 'i16x8.mul', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x96, 'i16x8.min_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x97, 'i16x8.min_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x98, 'i16x8.max_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x99, 'i16x8.max_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x9b, 'i16x8.avgr_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x9c, 'i16x8.extmul_low_i8x16_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x9d, 'i16x8.extmul_high_i8x16_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x9e, 'i16x8.extmul_low_i8x16_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0x9f, 'i16x8.extmul_high_i8x16_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xa0, 'i32x4.abs', 'none', 'v128 : v128', 'simd'),
  fd(0xa1, 'i32x4.neg', 'none', 'v128 : v128', 'simd'),
  fd(0xa3, 'i32x4.all_true', 'none', 'v128 : i32', 'simd'),
  fd(0xa4, 'i32x4.bitmask', 'none', 'v128 : i32', 'simd'),
  fd(0xa7, 'i32x4.extend_low_i16x8_s', 'none', 'v128 : v128', 'simd'),
  fd(0xa8, 'i32x4.extend_high_i16x8_s', 'none', 'v128 : v128', 'simd'),
  fd(0xa9, 'i32x4.extend_low_i16x8_u', 'none', 'v128 : v128', 'simd'),
  fd(0xaa, 'i32x4.extend_high_i16x8_u', 'none', 'v128 : v128', 'simd'),
  fd(0xab, 'i32x4.shl', 'none', 'v128 i32 : v128', 'simd'),
  fd(0xac, 'i32x4.shr_s', 'none', 'v128 i32 : v128', 'simd'),
  fd(0xad, 'i32x4.shr_u', 'none', 'v128 i32 : v128', 'simd'),
  fd(0xae, 'i32x4.add', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xb1, 'i32x4.sub', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xb5, 'i32x4.mul', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xb6, 'i32x4.min_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xb7, 'i32x4.min_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xb8, 'i32x4.max_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xb9, 'i32x4.max_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xba, 'i32x4.dot_i16x8_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xbc, 'i32x4.extmul_low_i16x8_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xbd, 'i32x4.extmul_high_i16x8_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xbe, 'i32x4.extmul_low_i16x8_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xbf, 'i32x4.extmul_high_i16x8_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xc0, 'i64x2.abs', 'none', 'v128 : v128', 'simd'),
  fd(0xc1, 'i64x2.neg', 'none', 'v128 : v128', 'simd'),
  fd(0xc3, 'i64x2.all_true', 'none', 'v128 : i32', 'simd'),
  fd(0xc4, 'i64x2.bitmask', 'none', 'v128 : i32', 'simd'),
  fd(0xc7, 'i64x2.extend_low_i32x4_s', 'none', 'v128 : v128', 'simd'),
  fd(0xc8, 'i64x2.extend_high_i32x4_s', 'none', 'v128 : v128', 'simd'),
  fd(0xc9, 'i64x2.extend_low_i32x4_u', 'none', 'v128 : v128', 'simd'),
  fd(0xca, 'i64x2.extend_high_i32x4_u', 'none', 'v128 : v128', 'simd'),
  fd(0xcb, 'i64x2.shl', 'none', 'v128 i32 : v128', 'simd'),
  fd(0xcc, 'i64x2.shr_s', 'none', 'v128 i32 : v128', 'simd'),
  fd(0xcd, 'i64x2.shr_u', 'none', 'v128 i32 : v128', 'simd'),
  fd(0xce, 'i64x2.add', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xd1, 'i64x2.sub', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xd5, 'i64x2.mul', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xd6, 'i64x2.eq', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xd7, 'i64x2.ne', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xd8, 'i64x2.lt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xd9, 'i64x2.gt_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xda, 'i64x2.le_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xdb, 'i64x2.ge_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xdc, 'i64x2.extmul_low_i32x4_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xdd, 'i64x2.extmul_high_i32x4_s', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xde, 'i64x2.extmul_low_i32x4_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xdf, 'i64x2.extmul_high_i32x4_u', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xe0, 'f32x4.abs', 'none', 'v128 : v128', 'simd'),
  fd(0xe1, 'f32x4.neg', 'none', 'v128 : v128', 'simd'),
  fd(0xe3, 'f32x4.sqrt', 'none', 'v128 : v128', 'simd'),
  fd(0xe4, 'f32x4.add', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xe5, 'f32x4.sub', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xe6, 'f32x4.mul', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xe7, 'f32x4.div', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xe8, 'f32x4.min', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xe9, 'f32x4.max', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xea, 'f32x4.pmin', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xeb, 'f32x4.pmax', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xec, 'f64x2.abs', 'none', 'v128 : v128', 'simd'),
  fd(0xed, 'f64x2.neg', 'none', 'v128 : v128', 'simd'),
  fd(0xef, 'f64x2.sqrt', 'none', 'v128 : v128', 'simd'),
  fd(0xf0, 'f64x2.add', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf1, 'f64x2.sub', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf2, 'f64x2.mul', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf3, 'f64x2.div', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf4, 'f64x2.min', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf5, 'f64x2.max', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf6, 'f64x2.pmin', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf7, 'f64x2.pmax', 'none', 'v128 v128 : v128', 'simd'),
  fd(0xf8, 'i32x4.trunc_sat_f32x4_s', 'none', 'v128 : v128', 'simd'),
  fd(0xf9, 'i32x4.trunc_sat_f32x4_u', 'none', 'v128 : v128', 'simd'),
  fd(0xfa, 'f32x4.convert_i32x4_s', 'none', 'v128 : v128', 'simd'),
  fd(0xfb, 'f32x4.convert_i32x4_u', 'none', 'v128 : v128', 'simd'),
  fd(0xfc, 'i32x4.trunc_sat_f64x2_s_zero', 'none', 'v128 : v128', 'simd'),
  fd(0xfd, 'i32x4.trunc_sat_f64x2_u_zero', 'none', 'v128 : v128', 'simd'),
  fd(0xfe, 'f64x2.convert_low_i32x4_s', 'none', 'v128 : v128', 'simd'),
  fd(0xff, 'f64x2.convert_low_i32x4_u', 'none', 'v128 : v128', 'simd'),
] as const;

/** Every instruction's spec name (`select_t` is `select` with a type annotation). */
export type OpName = (typeof OPCODES)[number]['name'];

/** A map that must handle every instruction: the type checker lists any row left out. */
export type OpHandlers<T> = { readonly [K in OpName]: T };

/** The row of every instruction, by name. */
export const OP_BY_NAME: ReadonlyMap<OpName, OpRow<OpName>> = new Map(OPCODES.map((r) => [r.name, r]));

/** Lookup tables for the decoder: single-byte opcodes, then 0xfc and 0xfd sub-opcodes. */
export const OP_BY_BYTE: ReadonlyArray<OpRow<OpName> | undefined> = tableFor(0);
export const OP_BY_FC: ReadonlyArray<OpRow<OpName> | undefined> = tableFor(0xfc);
export const OP_BY_FD: ReadonlyArray<OpRow<OpName> | undefined> = tableFor(0xfd);

function tableFor(prefix: number): Array<OpRow<OpName> | undefined> {
  const t: Array<OpRow<OpName> | undefined> = [];
  for (const r of OPCODES) if (r.prefix === prefix) t[r.code] = r;
  return t;
}

export interface ParsedSig {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

const sigCache = new Map<string, ParsedSig | null>();

/** The fixed signature of a row, or null for `custom` rows. */
export function signatureOf(r: OpRow): ParsedSig | null {
  let s = sigCache.get(r.sig);
  if (s === undefined) {
    if (r.sig === 'custom') s = null;
    else {
      const [p = '', q = ''] = r.sig.split(':');
      s = { params: p.trim().split(/\s+/).filter(Boolean), results: q.trim().split(/\s+/).filter(Boolean) };
    }
    sigCache.set(r.sig, s);
  }
  return s;
}

/** The text-format name (select_t prints as `select`). */
export function textName(name: OpName): string {
  return name === 'select_t' ? 'select' : name;
}

/** The SIMD instructions (prefix 0xfd): decoded and validated; executed by later work. */
export type SimdOpName = Extract<OpName, `${'v128' | 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2'}.${string}`>;
/** Every instruction but SIMD. */
export type ScalarOpName = Exclude<OpName, SimdOpName>;

export function isSimd(name: OpName): name is SimdOpName {
  return OP_BY_NAME.get(name)!.prefix === 0xfd;
}
