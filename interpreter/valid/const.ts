/**
 * Validation of constant expressions (spec 3.3.10): global initialisers,
 * segment offsets and element initialisers.
 *
 * Invariant: as in the reference validator for 2.0, a constant `global.get`
 * may only name an imported, immutable global (the context C' of the spec
 * holds imported globals only); every instruction is checked for
 * constness first, then the expression is typed.
 * Errors carry the instruction's FILE offset (there is no function to
 * count code offsets from).
 */
import { ValidationError } from '../errors.js';
import { toFileOffset } from '../syntax/offsets.js';
import type { ConstExpr, Instr, Module, ValType } from '../syntax/types.js';

function fail(m: Module, instr: Instr | undefined, message: string): never {
  throw new ValidationError(message, instr === undefined ? undefined : toFileOffset(instr.offset, m.codeStart));
}

function constType(m: Module, instr: Instr): ValType {
  switch (instr.op) {
    case 'i32.const':
      return 'i32';
    case 'i64.const':
      return 'i64';
    case 'f32.const':
      return 'f32';
    case 'f64.const':
      return 'f64';
    case 'v128.const':
      return 'v128';
    case 'ref.null':
      return instr.refType!;
    case 'ref.func':
      return 'funcref';
    case 'global.get': {
      const index = instr.index!;
      const g = index < m.importedGlobalCount ? m.globalTypes[index] : undefined;
      if (g === undefined) return fail(m, instr, `unknown global ${index}`);
      if (g.mutable) return fail(m, instr, 'constant expression required');
      return g.type;
    }
    default:
      return fail(m, instr, 'constant expression required');
  }
}

/** Checks that `expr` is constant and has type [expected]. */
export function validateConstExpr(m: Module, expr: ConstExpr, expected: ValType): void {
  const types = expr.map((instr) => constType(m, instr));
  for (const instr of expr) {
    if (instr.op === 'ref.func' && instr.index! >= m.funcTypes.length) fail(m, instr, `unknown function ${instr.index}`);
  }
  if (types.length !== 1 || types[0] !== expected) fail(m, expr[expr.length - 1], 'type mismatch');
}
