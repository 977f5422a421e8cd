import { describe, expect, it } from 'vitest';
import { OPCODES, decode, disassembleFunc, formatInstr, textName } from '../../../interpreter/index.js';
import type { Instr, OpName } from '../../../interpreter/index.js';
import { SEC, T, codeEntry, customSection, funcType, module, name, section, sleb, uleb, vec } from '../../helpers/wasm-builder.js';

const types = section(SEC.type, vec([funcType([T.i32], [T.i32])]));
const imports = section(SEC.import, vec([[...name('env'), ...name('log'), 0x00, 0]]));
const funcs = section(SEC.function, vec([[0]]));
const memory = section(SEC.memory, vec([[0, 1]]));
const body = [
  0x20, 0, // local.get 0
  0x04, T.i32, // if (result i32)
  0x41, ...sleb(-3), // i32.const -3
  0x05, // else
  0x20, 1, 0x28, 2, 8, // local.get 1; i32.load offset=8
  0x0b, // end
  0x10, 0, // call $log
  0x0b,
];
const code = section(SEC.code, vec([codeEntry([[1, T.i32]], body)]));
const names = customSection('name', [
  ...section(1, vec([[...uleb(0), ...name('log')], [...uleb(1), ...name('pick')]])),
  ...section(2, vec([[...uleb(1), ...vec([[...uleb(0), ...name('flag')], [...uleb(1), ...name('p tr')]])]])),
]);
const m = decode(module(types, imports, funcs, memory, code, names));

describe('disassembleFunc', () => {
  it('prints one instruction per line with its code offset, indented by block depth, with names', () => {
    expect(disassembleFunc(m, 1)).toBe(
      [
        '(func $pick (;1;) (type 0) (param i32) (result i32)',
        '  (local $"p tr" i32)',
        ' 0x5    local.get $flag',
        ' 0x7    if (result i32)',
        ' 0x9      i32.const -3',
        ' 0xb    else',
        ' 0xc      local.get $"p tr"',
        ' 0xe      i32.load offset=8',
        '0x11    end',
        '0x12    call $log',
        '0x14  end',
        ')',
      ].join('\n'),
    );
  });

  it('prints an imported function as its import', () => {
    expect(disassembleFunc(m, 0)).toBe('(func $log (;0;) (type 0) (param i32) (result i32) (import "env" "log"))');
  });

  it('rejects an index outside the function index space', () => {
    expect(() => disassembleFunc(m, 2)).toThrow(RangeError);
  });
});

describe('formatInstr', () => {
  const at = (op: OpName, fields: Partial<Instr> = {}): string => formatInstr(m, { op, offset: 0 as Instr['offset'], ...fields });

  it('spells float constants so that they read back to the same bits', () => {
    expect(at('f32.const', { value: 0x3dcccccd })).toBe('f32.const 0.1');
    expect(at('f32.const', { value: 0xffc00000 })).toBe('f32.const -nan');
    expect(at('f32.const', { value: 0x7fa00001 })).toBe('f32.const nan:0x200001');
    expect(at('f64.const', { value: 0x8000000000000000n })).toBe('f64.const -0');
    expect(at('f64.const', { value: 0x7ff0000000000000n })).toBe('f64.const inf');
  });

  it('prints memory arguments only when they differ from the defaults', () => {
    expect(at('i64.load', { memarg: { align: 3, offset: 0 } })).toBe('i64.load');
    expect(at('i64.load', { memarg: { align: 1, offset: 16 } })).toBe('i64.load offset=16 align=2');
  });

  it('prints the text name of every row of the opcode table', () => {
    for (const row of OPCODES) {
      const instr: Instr = { op: row.name, offset: 0 as Instr['offset'], index: 0, index2: 0, labels: [], memarg: { align: 0, offset: 0 }, value: row.imm === 'i64' || row.imm === 'f64' ? 0n : row.imm === 'v128' || row.imm === 'shuffle' ? new Uint8Array(16) : 0, types: ['i32'], refType: 'funcref', blockType: null };
      expect(formatInstr(m, instr).startsWith(textName(row.name))).toBe(true);
    }
  });
});
