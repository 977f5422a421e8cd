/**
 * The interpreter's internal instruction set: the flat code that predecode.ts
 * produces and run.ts executes (wasm3's idea: decode once, resolve every
 * branch target and stack slot ahead of time).
 *
 * Every operand is a frame slot fixed at decode time, because the operand
 * stack height at each instruction is static (DESIGN.md invariant 4): stack
 * value j of a frame lives in slot `stackBase + j` (after the locals and, in
 * fused code, the constant slots). Instructions are three-address: operands
 * may name a local or constant slot directly, results may go straight into a
 * local. Slot immediates are stored doubled, as indices into the Int32Array
 * view of the stack (a slot is 8 bytes: i32 / f32 at [2k], i64 as lo [2k] and
 * hi [2k+1], f64 at Float64Array [k]).
 *
 * Layouts (`d` result slot, `a` `b` operand slots, `t` code index of a branch target):
 *   unary / binary numeric op      OP d a [b]
 *   load                           OP d addr offset
 *   store                          OP addr value offset
 *   constant (exact code only)     OP d value [hi]
 *   MOVE32 / MOVE64 / MOVEF64 / MOVEREF   OP dst src
 *   BR                             OP t                (a taken backward branch also looks at the pause flag)
 *   BR_MOVE                        OP n src dst t      (copy n slots src→dst, then jump)
 *   BR_IF / BR_UNLESS              OP cond t
 *   JMP_I32_<cmp>                  OP a b t            (JmpI32Eqz: OP a t; jumps when the compare holds)
 *   BR_IF_MOVE                     OP cond n src dst t
 *   BR_TABLE                       OP cond n src count (dst t){count+1}
 *   RETURN                         OP n src
 *   CALL                           OP funcIndex argBase
 *   CALL_INDIRECT                  OP typeIndex table argBase
 *
 * A `const enum`, so the dispatch switch sees literal case labels (V8 builds a
 * jump table only for those).
 */
export const enum Op {
  // control
  Unreachable, Nop, Br, BrMove, BrIf, BrIfMove, BrUnless, BrTable, Return, Call, CallIndirect,
  // variables and parametric
  Move32, Move64, MoveF64, MoveRef, Select, SelectRef,
  GlobalGetI32, GlobalGetI64, GlobalGetF32, GlobalGetF64, GlobalGetRef,
  GlobalSetI32, GlobalSetI64, GlobalSetF32, GlobalSetF64, GlobalSetRef,
  // tables and references
  TableGet, TableSet, TableSize, TableGrow, TableFill, TableCopy, TableInit, ElemDrop,
  RefNull, RefIsNull, RefFunc,
  // memory
  I32Load, I64Load, F32Load, F64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U,
  I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
  I32Store, I64Store, F32Store, F64Store, I32Store8, I32Store16, I64Store8, I64Store16, I64Store32,
  MemorySize, MemoryGrow, MemoryInit, DataDrop, MemoryCopy, MemoryFill,
  // constants (f32/f64 as bits)
  I32Const, I64Const, F32Const, F64Const,
  // i32
  I32Eqz, I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
  I32Clz, I32Ctz, I32Popcnt, I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
  I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
  // i64
  I64Eqz, I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
  I64Clz, I64Ctz, I64Popcnt, I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
  I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
  // f32
  F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
  F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
  F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
  // f64
  F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
  F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
  F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
  // conversions
  I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
  I64ExtendI32S, I64ExtendI32U, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
  F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
  F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
  I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
  I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
  I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
  // fused i32 compare-and-branch (`OP a [b] t`): a compare whose only use is a br_if / if
  JmpI32Eqz, JmpI32Eq, JmpI32Ne, JmpI32LtS, JmpI32LtU, JmpI32GtS, JmpI32GtU, JmpI32LeS, JmpI32LeU, JmpI32GeS, JmpI32GeU,
  /** A breakpoint patched over an instruction; the original is kept aside (debugger). */
  Break,
  /** Number of internal ops. */
  Count,
}
