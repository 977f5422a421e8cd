import { describe, expect, it } from 'vitest';
import { DecodeError, decode, decodeBody, toFileOffset } from '../../../interpreter/index.js';
import {
  HEADER,
  SEC,
  T,
  codeEntry,
  customSection,
  funcType,
  funcsModule,
  module,
  name,
  section,
  sleb,
  uleb,
  vec,
} from '../../helpers/wasm-builder.js';

function malformed(bytes: Uint8Array): DecodeError {
  try {
    decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected the module to be malformed');
}

const voidType = section(SEC.type, vec([funcType([], [])]));
const oneFunc = section(SEC.function, vec([[0]]));

describe('decode: header and sections', () => {
  it.each([
    [[0x00, 0x61, 0x73], 'unexpected end'],
    [[0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 'magic header not detected'],
    [[0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 'unknown binary version'],
    [[...HEADER, 13, 0], 'malformed section id'],
    [[...HEADER, SEC.type, 5, 0], 'length out of bounds'],
  ])('rejects %j as "%s"', (bytes, text) => {
    expect(malformed(new Uint8Array(bytes)).text).toBe(text);
  });

  it('decodes the empty module', () => {
    const m = decode(module());
    expect(m.funcs).toEqual([]);
    expect(m.sections).toEqual([]);
  });

  it('rejects a section whose contents are shorter than its size', () => {
    const bytes = module([SEC.type, 5, 1, 0x60, 0, 0, 0x60]);
    const e = malformed(bytes);
    expect(e.text).toBe('section size mismatch');
    expect(e.offset).toBe(10);
  });

  it('rejects sections out of order and repeated sections', () => {
    expect(malformed(module(oneFunc, voidType)).text).toBe('unexpected content after last section');
    expect(malformed(module(voidType, voidType)).text).toBe('unexpected content after last section');
  });

  it('accepts the data count section between element and code sections', () => {
    const m = decode(module(section(SEC.dataCount, [0]), section(SEC.code, [0])));
    expect(m.dataCount).toBe(0);
  });

  it('requires as many code entries as declared functions', () => {
    expect(malformed(module(voidType, oneFunc)).text).toBe('function and code section have inconsistent lengths');
  });

  it('records every section range as file offsets of its contents', () => {
    const m = decode(module(voidType, oneFunc, section(SEC.code, vec([codeEntry([], [0x0b])]))));
    expect(m.sections.map((s) => [s.id, s.start, s.end])).toEqual([
      [1, 10, 14],
      [3, 16, 18],
      [10, 20, 24],
    ]);
    expect(m.codeStart).toBe(20);
  });
});

describe('decode: custom sections', () => {
  it('keeps a custom section as a view into the module bytes', () => {
    const bytes = module(customSection('hello', [1, 2, 3]));
    const m = decode(bytes);
    const c = m.customs[0]!;
    expect(c.name).toBe('hello');
    expect([...c.data]).toEqual([1, 2, 3]);
    expect(c.data.buffer).toBe(bytes.buffer);
    expect(c.data.byteOffset).toBe(bytes.length - 3);
  });

  it('rejects a custom section name that is not UTF-8', () => {
    expect(malformed(module(section(SEC.custom, [2, 0xc0, 0x80]))).text).toBe('malformed UTF-8 encoding');
  });

  it('reads function and local names from the name section', () => {
    const funcNames = vec([[...uleb(0), ...name('main')]]);
    const localNames = vec([[...uleb(0), ...vec([[...uleb(1), ...name('count')]])]]);
    const names = customSection('name', [
      ...section(0, name('mod')),
      ...section(1, funcNames),
      ...section(2, localNames),
    ]);
    const m = decode(module(voidType, oneFunc, section(SEC.code, vec([codeEntry([[2, T.i32]], [0x0b])])), names));
    expect(m.names.module).toBe('mod');
    expect(m.names.funcs.get(0)).toBe('main');
    expect(m.names.locals.get(0)?.get(1)).toBe('count');
  });

  it('ignores a malformed name section without failing the module', () => {
    const m = decode(module(customSection('name', [1, 9, 1, 0, 0xff])));
    expect(m.names.funcs.size).toBe(0);
    expect(m.customs).toHaveLength(1);
  });
});

describe('decode: code', () => {
  const body = [
    0x20, 0, // local.get 0
    0x41, ...sleb(-5), // i32.const -5
    0x6a, // i32.add
    0x0e, 2, 0, 1, 0, // br_table 0 1 (default 0)
    0x0b,
  ];
  const bytes = funcsModule([{ type: [[T.i32], [T.i32]], body }]);

  it('gives every instruction the code offset of its opcode byte', () => {
    const m = decode(bytes);
    const f = m.funcs[0]!;
    expect(f.body.map((i) => i.op)).toEqual(['local.get', 'i32.const', 'i32.add', 'br_table', 'end']);
    // Code contents: count(1) size(1) locals(1) then the body.
    expect(f.body.map((i) => i.offset)).toEqual([3, 5, 7, 8, 13]);
    expect(f.entryOffset).toBe(1);
    expect(f.localsOffset).toBe(2);
    expect(f.endOffset).toBe(14);
    expect(bytes[toFileOffset(f.body[2]!.offset, m.codeStart)]).toBe(0x6a);
  });

  it('decodes immediates by the opcode table', () => {
    const f = decode(bytes).funcs[0]!;
    expect(f.body[1]!.value).toBe(-5);
    expect(f.body[3]!.labels).toEqual([0, 1]);
    expect(f.body[3]!.index).toBe(0);
  });

  it('keeps float constants as bits, NaN payloads included', () => {
    const m = decode(funcsModule([{ type: [[], []], body: [0x43, 0x01, 0x00, 0xa0, 0x7f, 0x1a, 0x0b] }]));
    expect(m.funcs[0]!.body[0]!.value).toBe(0x7fa00001);
  });

  it('decodes prefixed instructions and their immediates', () => {
    const v128 = [0xfd, 0x0c, ...Array.from({ length: 16 }, (_, i) => i)];
    const m = decode(funcsModule([{ type: [[], []], body: [...v128, 0xfd, 0x15, 3, 0x1a, 0xfc, 0x0a, 0, 0, 0x0b] }]));
    const [c, lane, , copy] = m.funcs[0]!.body;
    expect(c!.op).toBe('v128.const');
    expect([...(c!.value as Uint8Array)]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(lane!.op).toBe('i8x16.extract_lane_s');
    expect(lane!.index).toBe(3);
    expect(copy!.op).toBe('memory.copy');
  });

  it('reports an unknown opcode as "illegal opcode" at its offset', () => {
    const bytes2 = funcsModule([{ type: [[], []], body: [0x01, 0x06, 0x0b] }]);
    const e = malformed(bytes2);
    expect(e.text).toBe('illegal opcode 06');
    expect(bytes2[e.offset!]).toBe(0x06);
  });

  it('requires "END opcode expected" for an else outside an if', () => {
    expect(malformed(funcsModule([{ type: [[], []], body: [0x02, 0x40, 0x05, 0x0b, 0x0b] }])).text).toBe('END opcode expected');
  });

  it('requires a zero byte after memory.size', () => {
    expect(malformed(funcsModule([{ type: [[], []], body: [0x3f, 0x01, 0x1a, 0x0b] }])).text).toBe('zero byte expected');
  });

  it('rejects more than 2^32-1 locals as "too many locals"', () => {
    const bytes2 = funcsModule([{ type: [[], []], body: [0x0b], locals: [[2 ** 32 - 1, T.i32], [2, T.i64]] }]);
    expect(malformed(bytes2).text).toBe('too many locals');
  });

  it('expands local groups in order', () => {
    const f = decode(funcsModule([{ type: [[], []], body: [0x0b], locals: [[2, T.i32], [1, T.f64]] }])).funcs[0]!;
    expect(f.locals).toEqual(['i32', 'i32', 'f64']);
    expect(f.localGroups).toEqual([{ count: 2, type: 'i32' }, { count: 1, type: 'f64' }]);
  });

  it('rejects a function body that ends before its size', () => {
    const bytes2 = module(voidType, oneFunc, section(SEC.code, vec([[3, 0, 0x0b, 0x01]])));
    expect(malformed(bytes2).text).toBe('section size mismatch');
  });

  it('needs a data count section for data.drop when data segments exist', () => {
    const code = section(SEC.code, vec([codeEntry([], [0xfc, 0x09, 0, 0x0b])]));
    const data = section(SEC.data, vec([[1, 0]]));
    expect(malformed(module(voidType, oneFunc, code, data)).text).toBe('data count section required');
  });
});

describe('decode: module fields', () => {
  it('counts imports into the index spaces, imports first', () => {
    const imports = section(
      SEC.import,
      vec([
        [...name('m'), ...name('f'), 0x00, 0],
        [...name('m'), ...name('g'), 0x03, T.i64, 1],
        [...name('m'), ...name('mem'), 0x02, 0x01, 1, 2],
      ]),
    );
    const m = decode(module(voidType, imports, oneFunc, section(SEC.code, vec([codeEntry([], [0x0b])]))));
    expect(m.importedFuncCount).toBe(1);
    expect(m.funcTypes).toEqual([0, 0]);
    expect(m.globalTypes).toEqual([{ type: 'i64', mutable: true }]);
    expect(m.mems).toEqual([{ limits: { min: 1, max: 2 } }]);
  });

  it('rejects an unknown import kind and mutability', () => {
    expect(malformed(module(section(SEC.import, vec([[...name('m'), ...name('f'), 0x04, 0]])))).text).toBe('malformed import kind');
    expect(malformed(module(section(SEC.global, vec([[T.i32, 2, 0x41, 0, 0x0b]])))).text).toBe('malformed mutability');
  });

  it('decodes all element segment encodings', () => {
    const offset = [0x41, 0, 0x0b];
    const elems = section(
      SEC.elem,
      vec([
        [0, ...offset, ...vec([[0]])],
        [1, 0x00, ...vec([[0]])],
        [5, T.externref, ...vec([[0xd0, T.externref, 0x0b]])],
        [7, T.funcref, ...vec([[0xd2, 0, 0x0b]])],
      ]),
    );
    const m = decode(module(voidType, oneFunc, section(SEC.table, vec([[T.funcref, 0, 1]])), elems, section(SEC.code, vec([codeEntry([], [0x0b])]))));
    expect(m.elems.map((e) => [e.type, e.mode.kind])).toEqual([
      ['funcref', 'active'],
      ['funcref', 'passive'],
      ['externref', 'passive'],
      ['funcref', 'declarative'],
    ]);
    expect(m.elems[0]!.init[0]![0]).toMatchObject({ op: 'ref.func', index: 0 });
  });

  it('keeps data segment bytes as views', () => {
    const bytes = module(section(SEC.memory, vec([[0, 1]])), section(SEC.data, vec([[0, 0x41, 8, 0x0b, ...vec([[7], [9]])]])));
    const d = decode(bytes).datas[0]!;
    expect([...d.init]).toEqual([7, 9]);
    expect(d.init.buffer).toBe(bytes.buffer);
    expect(d.mode).toMatchObject({ kind: 'active', memory: 0 });
  });
});

describe('lazy bodies', () => {
  it('a module decoded with lazyBodies reads each body on demand, the same as a full decode', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', '..', 'bench', 'kernels', 'vm.wasm')));
    const full = decode(bytes);
    const lazy = decode(bytes, { lazyBodies: true });
    expect(lazy.funcs.map((f) => f.body.length)).toEqual(full.funcs.map(() => 0));
    expect(lazy.funcs.map((f) => [f.entryOffset, f.localsOffset, f.endOffset, f.locals])).toEqual(full.funcs.map((f) => [f.entryOffset, f.localsOffset, f.endOffset, f.locals]));
    for (const f of lazy.funcs) {
      decodeBody(bytes, lazy, f);
      decodeBody(bytes, lazy, f); // a second read is a no-op
    }
    expect(lazy.funcs.map((f) => f.body)).toEqual(full.funcs.map((f) => f.body));
  });
});
