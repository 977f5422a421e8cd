/**
 * Debugger expressions: C habits rewritten for acorn, and C semantics
 * (integer widths and signedness, pointer arithmetic, member access through
 * pointers, casts to named types, comparisons, logical operators, writes)
 * over a scope backed by a small little-endian memory.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, rewriteC, type ExprScope } from '../../../debug/expr/index.js';
import type { TypeNode } from '../../../debug/dwarf/index.js';
import { C, fromScalar, pointerTo, scalarOf, type CValue } from '../../../debug/session/values.js';
import { formatValue } from '../../../debug/session/format.js';

const point: TypeNode = { kind: 'struct', name: 'point', byteSize: 8, declaration: false, members: [
  { name: 'x', type: C.int, offset: 0 }, { name: 'y', type: C.int, offset: 4 },
] };

/** Memory: pts = point[3] at 0x100 ({1,2},{3,4},{-5,6}); p = &pts[0] stored at 0x200; c = (signed char)-3 at 0x300. */
function scope(): { s: ExprScope; mem: Uint8Array } {
  const mem = new Uint8Array(0x400);
  const dv = new DataView(mem.buffer);
  [1, 2, 3, 4, -5, 6].forEach((v, i) => dv.setInt32(0x100 + i * 4, v, true));
  dv.setUint32(0x200, 0x100, true);
  dv.setInt8(0x300, -3);
  const vars: Record<string, { type: TypeNode; address: number }> = {
    pts: { type: { kind: 'array', element: point, dims: [3] }, address: 0x100 },
    p: { type: pointerTo(point), address: 0x200 },
    c: { type: C.char, address: 0x300 },
  };
  const s: ExprScope = {
    variable(name) {
      const v = vars[name];
      return v ? { type: v.type, bytes: mem.slice(v.address, v.address + (v.type.kind === 'array' ? 24 : v.type.kind === 'pointer' ? 4 : 1)), lvalue: { kind: 'memory', address: v.address } } : undefined;
    },
    wasmName: (n) => (n === '$local0' ? fromScalar(C.int, 41n, { kind: 'local', frame: 0, index: 0 }) : undefined),
    typeNamed: (n) => ({ int: C.int, 'unsigned char': C.uchar, 'struct point': point, 'long long': C.llong } as Record<string, TypeNode>)[n],
    readMemory(address, size) {
      if (address < 0 || address + size > mem.length) throw new Error(`cannot access memory at address 0x${address.toString(16)}`);
      return mem.slice(address, address + size);
    },
    write(lv, bytes) {
      if (lv.kind !== 'memory') throw new Error('only memory here');
      mem.set(bytes, lv.address);
    },
  };
  return { s, mem };
}

const num = (v: CValue) => scalarOf(v);

describe('C forms are rewritten into JavaScript that acorn parses', () => {
  it.each([
    ['p->x', 'p.x'],
    ['*p', '(p)[0]'],
    ['a * *p', 'a * (p)[0]'],
    ['&pts[1]', '__addr(pts[1])'],
    ['(int)c + 1', '__cast("int", c) + 1'],
    ['(struct point *)p', '__cast("struct point *", p)'],
    ["'A' + 1", '65 + 1'],
    ['10u + 1L', '__cast("unsigned int", 10) + 1'],
    ['(x) - 1', '(x) - 1'],
  ])('%s → %s', (c, js) => {
    expect(rewriteC(c, () => false)).toBe(js);
  });
});

describe('expressions evaluate with C semantics', () => {
  it('reads members through pointers and indexes arrays', () => {
    const { s } = scope();
    expect(num(evaluate('p->y', s))).toBe(2n);
    expect(num(evaluate('pts[2].x', s))).toBe(-5n);
    expect(num(evaluate('(*p).x + p[1].y', s))).toBe(5n);
  });

  it('scales pointer arithmetic by the pointee size', () => {
    const { s } = scope();
    expect(num(evaluate('(p + 2)->y', s))).toBe(6n);
    expect(num(evaluate('&pts[2] - p', s))).toBe(2n);
    expect(formatValue(evaluate('&pts[1]', s), 'natural', undefined)).toBe('(point *) 0x108');
  });

  it('keeps integer widths and signedness through casts', () => {
    const { s } = scope();
    expect(num(evaluate('c', s))).toBe(-3n);
    expect(num(evaluate('(unsigned char)c', s))).toBe(253n);
    expect(num(evaluate('(int)(unsigned char)c + 1', s))).toBe(254n);
    expect(num(evaluate('2147483647 + 1', s))).toBe(-2147483648n);
    expect(num(evaluate('(long long)2147483647 + 1', s))).toBe(2147483648n);
    expect(num(evaluate('-1 < 0u', s))).toBe(0n); // -1 converts to UINT_MAX
    expect(num(evaluate('7 / 2', s))).toBe(3n);
    expect(num(evaluate('7.0 / 2', s))).toBe(3.5);
  });

  it('short-circuits logical operators and compares', () => {
    const { s } = scope();
    expect(num(evaluate('p->x == 1 && pts[1].y >= 4', s))).toBe(1n);
    expect(num(evaluate('0 && nosuch', s))).toBe(0n);
    expect(num(evaluate('$local0 + 1 === 42 ? 10 : 20', s))).toBe(10n);
  });

  it('assigns through pointers into memory', () => {
    const { s, mem } = scope();
    evaluate('p->y = 99', s);
    evaluate('*p = pts[2]', s);
    const dv = new DataView(mem.buffer);
    expect([dv.getInt32(0x100, true), dv.getInt32(0x104, true)]).toEqual([-5, 6]);
    evaluate('pts[1].x += 10', s);
    expect(dv.getInt32(0x108, true)).toBe(13);
  });

  it('reports what is wrong instead of throwing JavaScript errors', () => {
    const { s } = scope();
    expect(() => evaluate('nosuch + 1', s)).toThrow('no symbol "nosuch" in current context');
    expect(() => evaluate('p->z', s)).toThrow('there is no member named z');
    expect(() => evaluate('1 / 0', s)).toThrow('division by zero');
    expect(() => evaluate('*c', s)).toThrow(/cannot subscript or dereference/);
    expect(() => evaluate('pts +', s)).toThrow(/syntax error/);
    expect(() => evaluate('(p + 100)->x', s)).toThrow(/cannot access memory at address 0x420/);
    expect(() => evaluate('3 = 4', s)).toThrow(/syntax error/);
  });
});
