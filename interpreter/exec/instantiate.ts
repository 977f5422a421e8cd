/**
 * Instantiation (spec 4.5.4): link the imports, allocate functions, tables,
 * memories and globals, export them, then run the element and data segments
 * in order and the start function. A segment out of bounds traps, and what
 * earlier segments wrote stays written (spec 2.0).
 *
 * `instantiateState` stops before the start function, so it needs nothing of
 * the interpreter's execution (the compiled tier runs start itself);
 * start.ts's `instantiate` runs it in the interpreter.
 *
 * Constant expressions are evaluated directly: after validation they are
 * only constants, `ref.null`, `ref.func` and `global.get` of an import.
 */
import { InternalError, Trap } from '../errors.js';
import type { ConstExpr, Module } from '../syntax/types.js';
import { linkImports, resolverOf, type ImportObject, type ImportResolver } from './link.js';
import { bitsToF32, bitsToF64, type Ref, type Value } from './values.js';
import { GlobalInstance, Instance, MemoryInstance, TableInstance, type ExternVal, type WasmFunc } from './store.js';

export interface InstantiateOptions {
  /** Run the start function (default true). The runtime may run it itself in another tier. */
  readonly runStart?: boolean;
}

/** Links and initialises an instance, without running its start function. */
export function instantiateState(module: Module, imports?: ImportObject | ImportResolver): Instance {
  const externs = linkImports(module, resolverOf(imports));
  const inst = new Instance(module);
  for (const e of externs) {
    if (e.kind === 'func') inst.funcs.push(e.value);
    else if (e.kind === 'table') inst.tables.push(e.value);
    else if (e.kind === 'memory') inst.mems.push(e.value);
    else inst.globals.push(e.value);
  }
  for (let i = module.importedFuncCount; i < module.funcTypes.length; i++) {
    const f: WasmFunc = { kind: 'wasm', type: module.types[module.funcTypes[i]!]!, instance: inst, index: i };
    inst.funcs.push(f);
  }
  for (let i = module.importedTableCount; i < module.tables.length; i++) inst.tables.push(new TableInstance(module.tables[i]!));
  for (let i = module.importedMemCount; i < module.mems.length; i++) inst.mems.push(new MemoryInstance(module.mems[i]!));
  for (const g of module.globals) inst.globals.push(new GlobalInstance(g.type, evalConst(inst, g.init)));
  for (const seg of module.elems) inst.elems.push(seg.init.map((e) => evalConst(inst, e) as Ref));
  for (const seg of module.datas) inst.datas.push(seg.init);
  for (const ex of module.exports) inst.exports.set(ex.name, exportOf(inst, ex.kind, ex.index));

  module.elems.forEach((seg, i) => {
    if (seg.mode.kind === 'active') {
      const table = inst.tables[seg.mode.table]!;
      const d = (evalConst(inst, seg.mode.offset) as number) >>> 0;
      const elems = inst.elems[i]!;
      if (d + elems.length > table.size) throw new Trap('out of bounds table access');
      for (let j = 0; j < elems.length; j++) table.elements[d + j] = elems[j];
    }
    if (seg.mode.kind !== 'passive') inst.elems[i] = [];
  });
  module.datas.forEach((seg, i) => {
    if (seg.mode.kind !== 'active') return;
    const mem = inst.mems[seg.mode.memory]!;
    const d = (evalConst(inst, seg.mode.offset) as number) >>> 0;
    if (d + seg.init.length > mem.u8.length) throw new Trap('out of bounds memory access');
    mem.u8.set(seg.init, d);
    inst.datas[i] = new Uint8Array(0);
  });
  return inst;
}

function exportOf(inst: Instance, kind: ExternVal['kind'], index: number): ExternVal {
  switch (kind) {
    case 'func': return { kind, value: inst.funcs[index]! };
    case 'table': return { kind, value: inst.tables[index]! };
    case 'memory': return { kind, value: inst.mems[index]! };
    case 'global': return { kind, value: inst.globals[index]! };
  }
}

/** Evaluates a validated constant expression in canonical form. */
export function evalConst(inst: Instance, expr: ConstExpr): Value {
  const stack: Value[] = [];
  for (const ins of expr) {
    switch (ins.op) {
      case 'i32.const': stack.push(ins.value as number); break;
      case 'i64.const': stack.push(BigInt.asIntN(64, ins.value as bigint)); break;
      case 'f32.const': stack.push(bitsToF32(ins.value as number)); break;
      case 'f64.const': stack.push(bitsToF64(ins.value as bigint)); break;
      case 'ref.null': stack.push(null); break;
      case 'ref.func': stack.push(inst.funcs[ins.index!]!); break;
      case 'global.get': stack.push(inst.globals[ins.index!]!.value); break;
      case 'v128.const': stack.push((ins.value as Uint8Array).slice()); break;
      default: throw new InternalError(`${ins.op} in a constant expression`);
    }
  }
  if (stack.length !== 1) throw new InternalError('constant expression without a single value');
  return stack[0];
}
