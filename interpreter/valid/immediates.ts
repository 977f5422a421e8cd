/**
 * Checks of the immediates of fixed-signature instructions, one per ImmKind
 * (the map's type makes it exhaustive): memory and segment indices exist,
 * alignment is at most natural, lane indices are in range.
 *
 * Invariant: immediate kinds that only `custom` rows use (labels, locals,
 * block types, ...) are checked by those rows' handlers in instrs.ts; should
 * a fixed-signature row ever use one, validation stops with an InternalError
 * rather than let an index go unchecked.
 */
import { InternalError } from '../errors.js';
import type { ImmKind } from '../syntax/opcodes.js';
import type { Instr } from '../syntax/types.js';
import type { FuncValidator, OpInfo } from './func.js';

type ImmCheck = (v: FuncValidator, instr: Instr, info: OpInfo) => void;

const LOG2: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3, 16: 4 };

export function requireMemory(v: FuncValidator, index: number): void {
  if (index >= v.module.mems.length) v.fail(`unknown memory ${index}`);
}

export function requireTable(v: FuncValidator, index: number): void {
  if (index >= v.module.tables.length) v.fail(`unknown table ${index}`);
}

function requireData(v: FuncValidator, index: number): void {
  if (index >= v.module.datas.length) v.fail(`unknown data segment ${index}`);
}

export function requireElem(v: FuncValidator, index: number): void {
  if (index >= v.module.elems.length) v.fail(`unknown elem segment ${index}`);
}

function checkMemarg(v: FuncValidator, instr: Instr, info: OpInfo): void {
  requireMemory(v, 0);
  const natural = LOG2[info.row.mem ?? 1] ?? 0;
  if (instr.memarg!.align > natural) v.fail('alignment must not be larger than natural');
}

function checkLane(v: FuncValidator, instr: Instr, info: OpInfo): void {
  if (instr.index! >= info.lanes) v.fail('invalid lane index');
}

function onlyCustom(kind: ImmKind): ImmCheck {
  return (_v, instr) => {
    throw new InternalError(`validator: fixed-signature ${instr.op} has immediate kind ${kind}, which only custom rows check`);
  };
}

const none: ImmCheck = () => {};

export const IMM_CHECKS: { readonly [K in ImmKind]: ImmCheck } = {
  none,
  i32: none,
  i64: none,
  f32: none,
  f64: none,
  v128: none,
  blocktype: onlyCustom('blocktype'),
  label: onlyCustom('label'),
  br_table: onlyCustom('br_table'),
  func: onlyCustom('func'),
  call_indirect: onlyCustom('call_indirect'),
  local: onlyCustom('local'),
  global: onlyCustom('global'),
  select_t: onlyCustom('select_t'),
  reftype: onlyCustom('reftype'),
  'table.init': onlyCustom('table.init'),
  'table.copy': onlyCustom('table.copy'),
  table: (v, instr) => requireTable(v, instr.index!),
  memarg: checkMemarg,
  memory: (v) => requireMemory(v, 0),
  'memory.init': (v, instr) => {
    requireMemory(v, 0);
    requireData(v, instr.index!);
  },
  data: (v, instr) => requireData(v, instr.index!),
  'memory.copy': (v) => requireMemory(v, 0),
  elem: (v, instr) => requireElem(v, instr.index!),
  shuffle: (v, instr) => {
    for (const lane of instr.value as Uint8Array) if (lane >= 32) v.fail('invalid lane index');
  },
  lane: checkLane,
  memarg_lane: (v, instr, info) => {
    checkMemarg(v, instr, info);
    checkLane(v, instr, info);
  },
};
