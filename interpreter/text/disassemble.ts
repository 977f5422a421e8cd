/**
 * A disassembler to Wasm text (flat form): one instruction per line, prefixed
 * by its code offset, indented by block depth; names from the `name` section
 * when present. Used by the CLI and the debugger to show where execution is.
 *
 * Invariant: driven by the opcode table: the mnemonic is the row's
 * `textName`, and immediates are printed by a map with one formatter per
 * ImmKind, so a new immediate kind fails to type-check until printed here.
 * Module names are printed as `$id` only when they are valid text-format ids,
 * else as a quoted, escaped string, so no name can break the line's shape.
 */
import { OP_BY_NAME, textName } from '../syntax/opcodes.js';
import type { ImmKind } from '../syntax/opcodes.js';
import { hex } from '../syntax/offsets.js';
import type { BlockType, FuncType, Instr, MemArg, Module, ValType } from '../syntax/types.js';
import { formatF32, formatF64, formatV128 } from './numbers.js';

/** What a formatter may need beyond the instruction. */
interface FormatContext {
  readonly module: Module;
  readonly funcIndex: number | undefined;
  readonly natural: number;
}

type ImmFormatter = (instr: Instr, c: FormatContext) => string;

const ID_CHARS = /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

/** `$name` for a valid text-format id, else `$"escaped"`. */
export function formatName(name: string): string {
  if (ID_CHARS.test(name)) return '$' + name;
  return '$"' + name.replace(/[\u0000-\u001f"\\\u007f]/g, (ch) => '\\' + ch.charCodeAt(0).toString(16).padStart(2, '0')) + '"';
}

function funcRef(c: FormatContext, index: number): string {
  const name = c.module.names.funcs.get(index);
  return name === undefined ? String(index) : formatName(name);
}

function localRef(c: FormatContext, index: number): string {
  const name = c.funcIndex === undefined ? undefined : c.module.names.locals.get(c.funcIndex)?.get(index);
  return name === undefined ? String(index) : formatName(name);
}

function blockType(bt: BlockType | undefined): string {
  if (bt === null || bt === undefined) return '';
  return typeof bt === 'number' ? `(type ${bt})` : `(result ${bt})`;
}

function memarg(m: MemArg, natural: number): string {
  const parts: string[] = [];
  if (m.offset !== 0) parts.push(`offset=${m.offset}`);
  if (2 ** m.align !== natural) parts.push(`align=${2 ** m.align}`);
  return parts.join(' ');
}

const IMM_FORMAT: { readonly [K in ImmKind]: ImmFormatter } = {
  none: () => '',
  blocktype: (i) => blockType(i.blockType),
  label: (i) => String(i.index),
  br_table: (i) => [...i.labels!, i.index].join(' '),
  func: (i, c) => funcRef(c, i.index!),
  call_indirect: (i) => (i.index2 ? `${i.index2} ` : '') + `(type ${i.index})`,
  local: (i, c) => localRef(c, i.index!),
  global: (i) => String(i.index),
  table: (i) => String(i.index),
  memarg: (i, c) => memarg(i.memarg!, c.natural),
  memory: () => '',
  i32: (i) => String(i.value),
  i64: (i) => String(i.value),
  f32: (i) => formatF32(i.value as number),
  f64: (i) => formatF64(i.value as bigint),
  select_t: (i) => `(result ${i.types!.join(' ')})`,
  reftype: (i) => (i.refType === 'funcref' ? 'func' : 'extern'),
  'memory.init': (i) => String(i.index),
  data: (i) => String(i.index),
  'memory.copy': () => '',
  'table.init': (i) => `${i.index2} ${i.index}`,
  elem: (i) => String(i.index),
  'table.copy': (i) => `${i.index} ${i.index2}`,
  v128: (i) => formatV128(i.value as Uint8Array),
  shuffle: (i) => [...(i.value as Uint8Array)].join(' '),
  lane: (i) => String(i.index),
  memarg_lane: (i, c) => [memarg(i.memarg!, c.natural), String(i.index)].filter(Boolean).join(' '),
};

/**
 * One instruction in text form, e.g. `i32.load offset=4`, `call $f`.
 * Pass `funcIndex` to print local names of that function.
 */
export function formatInstr(module: Module, instr: Instr, funcIndex?: number): string {
  const row = OP_BY_NAME.get(instr.op)!;
  const imm = IMM_FORMAT[row.imm](instr, { module, funcIndex, natural: row.mem ?? 1 });
  const name = textName(instr.op);
  return imm === '' ? name : `${name} ${imm}`;
}

function typeUse(t: FuncType | undefined): string {
  if (t === undefined) return '';
  const parts: string[] = [];
  if (t.params.length) parts.push(`(param ${t.params.join(' ')})`);
  if (t.results.length) parts.push(`(result ${t.results.join(' ')})`);
  return parts.join(' ');
}

function header(module: Module, funcIndex: number): string {
  const name = module.names.funcs.get(funcIndex);
  const typeIndex = module.funcTypes[funcIndex]!;
  const parts = ['(func'];
  if (name !== undefined) parts.push(formatName(name));
  parts.push(`(;${funcIndex};)`, `(type ${typeIndex})`);
  const sig = typeUse(module.types[typeIndex]);
  if (sig) parts.push(sig);
  return parts.join(' ');
}

/** Function `funcIndex` (in the function index space) as text, one instruction per line with its code offset. */
export function disassembleFunc(module: Module, funcIndex: number): string {
  if (!Number.isInteger(funcIndex) || funcIndex < 0 || funcIndex >= module.funcTypes.length) {
    throw new RangeError(`no function ${funcIndex} (the module has ${module.funcTypes.length})`);
  }
  if (funcIndex < module.importedFuncCount) {
    const imp = module.imports.filter((i) => i.desc.kind === 'func')[funcIndex]!;
    return `${header(module, funcIndex)} (import ${JSON.stringify(imp.module)} ${JSON.stringify(imp.name)}))`;
  }
  const func = module.funcs[funcIndex - module.importedFuncCount]!;
  const lines = [header(module, funcIndex)];
  const params = module.types[func.typeIndex]?.params.length ?? 0;
  const locals: string[] = func.locals.map((t: ValType, i) => {
    const name = module.names.locals.get(funcIndex)?.get(params + i);
    return name === undefined ? t : `${formatName(name)} ${t}`;
  });
  if (locals.length) lines.push(`  (local ${locals.join(') (local ')})`);
  const width = hex(func.endOffset).length;
  let depth = 1;
  for (const instr of func.body) {
    if (instr.op === 'end' || instr.op === 'else') depth--;
    const offset = hex(instr.offset).padStart(width);
    lines.push(`${offset}  ${'  '.repeat(Math.max(depth, 0))}${formatInstr(module, instr, funcIndex)}`);
    if (instr.op === 'block' || instr.op === 'loop' || instr.op === 'if' || instr.op === 'else') depth++;
  }
  lines.push(')');
  return lines.join('\n');
}
