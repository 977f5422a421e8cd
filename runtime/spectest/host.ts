/**
 * The `spectest` host module every spec script may import from (INDEX.md
 * "The spectest host module", from the spec's interpreter/host/spectest.ml):
 * four immutable globals of value 666 / 666.6, a 10..20 funcref table, a 1..2
 * page memory and `print*` functions that return nothing.
 *
 * Invariant: `spectestExports()` builds fresh objects on every call, so each
 * JSON file starts from an untouched memory, table and set of globals.
 */
import {
  GlobalInstance, MemoryInstance, TableInstance, bitsToF32, bitsToF64, hostFunc,
  type ExternVal, type ValType,
} from '../../interpreter/index.js';

const PRINTS: Readonly<Record<string, readonly ValType[]>> = {
  print: [],
  print_i32: ['i32'],
  print_i64: ['i64'],
  print_f32: ['f32'],
  print_f64: ['f64'],
  print_i32_f32: ['i32', 'f32'],
  print_f64_f64: ['f64', 'f64'],
};

/** The spectest module's exports, freshly allocated. */
export function spectestExports(): Map<string, ExternVal> {
  const ex = new Map<string, ExternVal>();
  const global = (type: ValType, value: number | bigint): ExternVal =>
    ({ kind: 'global', value: new GlobalInstance({ type, mutable: false }, value) });
  ex.set('global_i32', global('i32', 666));
  ex.set('global_i64', global('i64', 666n));
  ex.set('global_f32', global('f32', bitsToF32(0x4426a666)));
  ex.set('global_f64', global('f64', bitsToF64(0x4084d4cccccccccdn)));
  ex.set('table', { kind: 'table', value: new TableInstance({ elem: 'funcref', limits: { min: 10, max: 20 } }) });
  ex.set('memory', { kind: 'memory', value: new MemoryInstance({ limits: { min: 1, max: 2 } }) });
  for (const [name, params] of Object.entries(PRINTS)) {
    ex.set(name, { kind: 'func', value: hostFunc({ params, results: [] }, () => undefined, name) });
  }
  return ex;
}
