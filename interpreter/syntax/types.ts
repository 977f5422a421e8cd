/**
 * The abstract syntax of a WebAssembly 2.0 module (spec chapter 2, "Structure"),
 * as plain data. The decoder produces it, the validator checks it, and every
 * other stage (interpreter, compiler, debugger) reads it without changing it,
 * except that validation fills in each function's operand-stack heights.
 *
 * Invariant: every instruction keeps the code-section offset of its opcode
 * byte, so a DWARF address, a trap site and a breakpoint all name the same
 * instruction.
 */
import type { OpName } from './opcodes.js';
import type { CodeOffset, FileOffset } from './offsets.js';

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
export type VecType = 'v128';
export type RefType = 'funcref' | 'externref';
export type ValType = NumType | VecType | RefType;

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface Limits {
  readonly min: number;
  readonly max?: number;
}

export interface TableType {
  readonly elem: RefType;
  readonly limits: Limits;
}

export interface MemType {
  readonly limits: Limits;
}

export interface GlobalType {
  readonly type: ValType;
  readonly mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemType }
  | { readonly kind: 'global'; readonly type: GlobalType };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
}

/** `null` is the empty block type, a ValType one result, a number a type index. */
export type BlockType = null | ValType | number;

export interface MemArg {
  /** log2 of the alignment hint. */
  readonly align: number;
  readonly offset: number;
}

/**
 * One instruction. Which immediate fields are present follows the row's
 * `imm` kind in the opcode table (see `ImmKind` in opcodes.ts):
 * - `index`: label, function, local, global, table, type, data, element or lane index
 * - `index2`: the table of `call_indirect` / `table.init`, the source table of `table.copy`
 * - `labels`: the targets of `br_table` (its default is in `index`)
 * - `value`: i32 const (number), i64 const (bigint), f32 const (its bits as a
 *   u32 number, so NaN payloads survive), f64 const (its bits as a u64 bigint),
 *   v128 const / shuffle lanes (16 bytes)
 */
export interface Instr {
  readonly op: OpName;
  readonly offset: CodeOffset;
  readonly index?: number;
  readonly index2?: number;
  readonly labels?: readonly number[];
  readonly blockType?: BlockType;
  readonly memarg?: MemArg;
  readonly value?: number | bigint | Uint8Array;
  readonly types?: readonly ValType[];
  readonly refType?: RefType;
}

/** A constant expression (globals, segment offsets and element inits), without its `end`. */
export type ConstExpr = readonly Instr[];

export interface LocalGroup {
  readonly count: number;
  readonly type: ValType;
}

export interface Func {
  readonly typeIndex: number;
  /** The declared locals, in the compressed form of the binary (parameters not included). */
  readonly localGroups: readonly LocalGroup[];
  /** The declared locals expanded (parameters not included). */
  readonly locals: readonly ValType[];
  /** The body, ending with its final `end`. */
  readonly body: readonly Instr[];
  /** Code offset of the body's size LEB (the start of this function's entry in the Code section). */
  readonly entryOffset: CodeOffset;
  /** Code offset of the local declarations: what DWARF's DW_AT_low_pc names. */
  readonly localsOffset: CodeOffset;
  /** Code offset one past the body's last byte. */
  readonly endOffset: CodeOffset;
  /**
   * Operand-stack height before each instruction of `body` (same index),
   * counted from the function's empty stack; filled by validation.
   * In unreachable code, the height the code was entered with.
   */
  heights?: Int32Array;
  /** The highest operand-stack height reached; filled by validation. */
  maxHeight?: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
}

export type ElemMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' }
  | { readonly kind: 'active'; readonly table: number; readonly offset: ConstExpr };

export interface ElemSegment {
  readonly type: RefType;
  /** Each element as a constant expression (`ref.func i` or `ref.null t`, or a global.get). */
  readonly init: readonly ConstExpr[];
  readonly mode: ElemMode;
}

export type DataMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'active'; readonly memory: number; readonly offset: ConstExpr };

export interface DataSegment {
  readonly init: Uint8Array;
  readonly mode: DataMode;
}

export interface SectionRange {
  /** Section id (0 custom, 1 type, ..., 12 data count). */
  readonly id: number;
  /** File offset of the section's contents (after id and size). */
  readonly start: FileOffset;
  /** File offset one past the section's last byte. */
  readonly end: FileOffset;
}

export interface CustomSection {
  readonly name: string;
  /** The section's payload after its name: a view into the module's bytes, not a copy. */
  readonly data: Uint8Array;
  readonly range: SectionRange;
}

/** What the `name` custom section says (kept only when it decodes cleanly). */
export interface NameMap {
  module?: string;
  readonly funcs: Map<number, string>;
  readonly locals: Map<number, Map<number, string>>;
}

export interface Module {
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** Type index of every function in the function index space (imports first). */
  readonly funcTypes: readonly number[];
  /** Defined functions only; function index = import count + position. */
  readonly funcs: readonly Func[];
  /** Tables of the index space (imports first). */
  readonly tables: readonly TableType[];
  /** Memories of the index space (imports first). */
  readonly mems: readonly MemType[];
  /** Global types of the index space (imports first). */
  readonly globalTypes: readonly GlobalType[];
  /** Defined globals only. */
  readonly globals: readonly Global[];
  readonly exports: readonly Export[];
  readonly start: number | null;
  readonly elems: readonly ElemSegment[];
  readonly datas: readonly DataSegment[];
  readonly dataCount: number | null;
  readonly customs: readonly CustomSection[];
  readonly sections: readonly SectionRange[];
  /** File offset of the Code section's contents: code offset 0 (see offsets.ts). */
  readonly codeStart: FileOffset;
  readonly names: NameMap;
  readonly importedFuncCount: number;
  readonly importedTableCount: number;
  readonly importedMemCount: number;
  readonly importedGlobalCount: number;
}
