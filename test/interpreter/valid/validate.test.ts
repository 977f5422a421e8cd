import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPCODES, ValidationError, blockStructure, decode, operandTypesAt, operandTypesAtEach, operandTypesByIndex, signatureOf, validate } from '../../../interpreter/index.js';
import type { Module } from '../../../interpreter/index.js';
import { CUSTOM_CHECKS } from '../../../interpreter/valid/instrs.js';
import { SEC, T, funcType, funcsModule, module, name, section, sleb, uleb, vec } from '../../helpers/wasm-builder.js';

type Sig = readonly [readonly number[], readonly number[]];

function valid(body: number[], type: Sig = [[], []], extra: Parameters<typeof funcsModule>[1] = {}, locals?: [number, number][]): Module {
  const m = decode(funcsModule([{ type, body, ...(locals ? { locals } : {}) }], extra));
  validate(m);
  return m;
}

function invalid(body: number[], type: Sig = [[], []], extra: Parameters<typeof funcsModule>[1] = {}): ValidationError {
  const m = decode(funcsModule([{ type, body }], extra));
  try {
    validate(m);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected the module to be invalid');
}

const oneMemory = { memory: vec([[0, 1]]) };

describe('validate: function bodies', () => {
  it.each<[string, number[], Sig, string]>([
    ['an i32.add short of an operand', [0x41, 1, 0x6a, 0x1a, 0x0b], [[], []], 'type mismatch'],
    ['a result of the wrong type', [0x42, 1, 0x0b], [[], [T.i32]], 'type mismatch'],
    ['a value left on the stack', [0x41, 1, 0x0b], [[], []], 'type mismatch'],
    ['a local beyond the declared ones', [0x20, 1, 0x1a, 0x0b], [[T.i32], []], 'unknown local 1'],
    ['a branch past the function', [0x0c, 1, 0x0b], [[], []], 'unknown label 1'],
    ['a call to a missing function', [0x10, 5, 0x0b], [[], []], 'unknown function 5'],
    ['a load without memory', [0x41, 0, 0x28, 2, 0, 0x1a, 0x0b], [[], []], 'unknown memory 0'],
    ['a global.get of a missing global', [0x23, 0, 0x1a, 0x0b], [[], []], 'unknown global 0'],
    ['an if without else whose type needs one', [0x41, 1, 0x04, T.i32, 0x41, 1, 0x0b, 0x1a, 0x0b], [[], []], 'type mismatch'],
    ['a ref.func not declared outside bodies', [0xd2, 0, 0x1a, 0x0b], [[], []], 'undeclared function reference'],
    ['a select of references without a type', [0xd0, T.funcref, 0xd0, T.funcref, 0x41, 1, 0x1b, 0x1a, 0x0b], [[], []], 'type mismatch'],
    ['a lane index out of range', [0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x1b, 4, 0x1a, 0x0b], [[], []], 'invalid lane index'],
  ])('rejects %s', (_what, body, type, text) => {
    expect(invalid(body, type).text).toBe(text);
  });

  it('rejects an alignment above natural', () => {
    expect(invalid([0x41, 0, 0x28, 3, 0, 0x1a, 0x0b], [[], []], oneMemory).text).toBe('alignment must not be larger than natural');
  });

  it('reports the offending instruction offset and function index', () => {
    const e = invalid([0x01, 0x41, 1, 0x6a, 0x1a, 0x0b]);
    // Code contents: count, size, locals count, then nop at 3, i32.const at 4, i32.add at 6.
    expect(e.offset).toBe(6);
    expect(e.funcIndex).toBe(0);
    expect(e.message).toBe('type mismatch (in func 0, at offset 0x6)');
  });

  it('accepts anything after an unconditional branch (stack polymorphism)', () => {
    expect(() => valid([0x00, 0x6a, 0x1a, 0x0b])).not.toThrow();
    expect(() => valid([0x02, T.i32, 0x41, 1, 0x0c, 0, 0x6a, 0x0b, 0x0b], [[], [T.i32]])).not.toThrow();
  });

  it('accepts multi-value blocks with parameters', () => {
    const types = section(SEC.type, vec([funcType([], [T.i32]), funcType([T.i32, T.i32], [T.i32])]));
    const body = [0x41, 1, 0x41, 2, 0x02, 1, 0x6a, 0x0b, 0x0b];
    const code = section(SEC.code, vec([[...uleb(body.length + 1), 0, ...body]]));
    const m = decode(module(types, section(SEC.function, vec([[0]])), code));
    expect(() => validate(m)).not.toThrow();
  });
});

describe('validate: recorded stack heights', () => {
  it('records the height before every instruction and the maximum', () => {
    // i32.const 1; i32.const 2; i32.add; drop; end
    const m = valid([0x41, 1, 0x41, 2, 0x6a, 0x1a, 0x0b]);
    const f = m.funcs[0]!;
    expect([...f.heights!]).toEqual([0, 1, 2, 1, 0]);
    expect(f.maxHeight).toBe(2);
  });

  it('counts heights from the function stack inside blocks', () => {
    // i32.const 7; block (result i32) i32.const 1 end; i32.add; end
    const m = valid([0x41, 7, 0x02, T.i32, 0x41, 1, 0x0b, 0x6a, 0x0b], [[], [T.i32]]);
    expect([...m.funcs[0]!.heights!]).toEqual([0, 1, 1, 2, 2, 1]);
  });

  it('records the frame base height in unreachable code', () => {
    // i32.const 1; unreachable; i32.const 2; i32.const 3; drop; drop; end
    const m = valid([0x41, 1, 0x00, 0x41, 2, 0x41, 3, 0x1a, 0x1a, 0x0b]);
    expect([...m.funcs[0]!.heights!]).toEqual([0, 1, 0, 0, 0, 0, 0]);
  });
});

describe('validate: module fields', () => {
  const empty = (...sections: number[][]) => decode(module(...sections));
  const invalidModule = (m: Module) => {
    try {
      validate(m);
    } catch (e) {
      if (e instanceof ValidationError) return e.text;
      throw e;
    }
    return 'valid';
  };

  it('rejects duplicate export names', () => {
    const m = empty(section(SEC.memory, vec([[0, 1]])), section(SEC.export, vec([[...name('a'), 2, 0], [...name('a'), 2, 0]])));
    expect(invalidModule(m)).toBe('duplicate export name');
  });

  it('rejects memories over 65536 pages and more than one memory', () => {
    expect(invalidModule(empty(section(SEC.memory, vec([[0, ...uleb(65537)]]))))).toBe('memory size must be at most 65536 pages (4GiB)');
    expect(invalidModule(empty(section(SEC.memory, vec([[0, 1], [0, 1]]))))).toBe('multiple memories');
  });

  it('rejects limits whose minimum exceeds the maximum', () => {
    expect(invalidModule(empty(section(SEC.table, vec([[T.funcref, 1, 2, 1]]))))).toBe('size minimum must not be greater than maximum');
  });

  it('requires constant initialisers of the global type', () => {
    expect(invalidModule(empty(section(SEC.global, vec([[T.i32, 0, 0x41, ...sleb(1), 0x41, 1, 0x6a, 0x0b]]))))).toBe('constant expression required');
    expect(invalidModule(empty(section(SEC.global, vec([[T.i32, 0, 0x42, 0, 0x0b]]))))).toBe('type mismatch');
    expect(invalidModule(empty(section(SEC.global, vec([[T.i32, 0, 0x41, 0, 0x0b], [T.i32, 0, 0x23, 0, 0x0b]]))))).toBe('unknown global 0');
  });

  it('lets a body use ref.func of a function declared in an element segment', () => {
    const m = decode(
      module(
        section(SEC.type, vec([funcType([], [])])),
        section(SEC.function, vec([[0]])),
        section(SEC.elem, vec([[3, 0x00, ...vec([[0]])]])),
        section(SEC.code, vec([[5, 0, 0xd2, 0, 0x1a, 0x0b]])),
      ),
    );
    expect(invalidModule(m)).toBe('valid');
  });
});

describe('validate: driven by the opcode table', () => {
  it('has a custom handler for exactly the rows without a fixed signature', () => {
    for (const row of OPCODES) {
      expect(CUSTOM_CHECKS[row.name] !== undefined, row.name).toBe(signatureOf(row) === null);
    }
  });
});

describe('blockStructure', () => {
  it('pairs every block, if and else with its end and knows each parent', () => {
    // block; i32.const 1; if; nop; else; nop; end; end; end
    const m = valid([0x02, 0x40, 0x41, 1, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b, 0x0b]);
    const s = blockStructure(m.funcs[0]!);
    expect([...s.endOf]).toEqual([7, -1, 6, -1, 6, -1, -1, -1, -1]);
    expect([...s.elseOf]).toEqual([-1, -1, 4, -1, -1, -1, -1, -1, -1]);
    expect([...s.parent]).toEqual([-1, 0, 0, 2, 2, 2, 0, -1, -1]);
  });
});

describe('validate: operand types at many places in one run', () => {
  it('operandTypesAtEach gives, at every instruction of a kernel, what operandTypesAt gives there', () => {
    const m = decode(new Uint8Array(readFileSync(new URL('../../../bench/kernels/vm.wasm', import.meta.url))));
    validate(m);
    for (let k = 0; k < m.funcs.length; k++) {
      const fi = m.importedFuncCount + k;
      const n = m.funcs[k]!.body.length;
      const all = Array.from({ length: n }, (_, i) => i);
      const each = operandTypesAtEach(m, fi, all);
      expect(each.length).toBe(n);
      all.forEach((i) => expect(each[i]).toEqual(operandTypesAt(m, fi, i)));
      // Repeated and sparse stops; none at all.
      expect(operandTypesAtEach(m, fi, [0, 0, n - 1])).toEqual([operandTypesAt(m, fi, 0), operandTypesAt(m, fi, 0), operandTypesAt(m, fi, n - 1)]);
      expect(operandTypesAtEach(m, fi, [])).toEqual([]);
      // By index: any order, repeats and negative indices (left out) allowed.
      const byIndex = operandTypesByIndex(m, fi, [n - 1, -1, 0, n - 1]);
      expect([...byIndex.keys()].sort((a, b) => a - b)).toEqual(n > 1 ? [0, n - 1] : [0]);
      expect(byIndex.get(0)).toEqual(operandTypesAt(m, fi, 0));
      expect(byIndex.get(n - 1)).toEqual(operandTypesAt(m, fi, n - 1));
    }
  });

  it('refuses stops out of order', () => {
    const m = valid([0x41, 1, 0x1a, 0x0b]);
    expect(() => operandTypesAtEach(m, 0, [2, 1])).toThrow(/stops must ascend/);
  });
});
