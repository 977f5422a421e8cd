import { describe, expect, it } from 'vitest';
import { Reader } from '../../../interpreter/binary/reader.js';
import { DecodeError } from '../../../interpreter/index.js';
import { sleb, uleb, ulebPadded } from '../../helpers/wasm-builder.js';

const at = (bytes: number[], start = 0) => new Reader(new Uint8Array(bytes), start);

function errorOf(f: () => unknown): DecodeError {
  try {
    f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

describe('Reader LEB128', () => {
  it('reads canonical and padded u32 encodings to the same value', () => {
    for (const n of [0, 1, 127, 128, 624485, 2 ** 31, 2 ** 32 - 1]) {
      expect(at(uleb(n)).u32()).toBe(n);
      expect(at(ulebPadded(n, 5)).u32()).toBe(n);
    }
  });

  it('rejects a sixth u32 byte as "integer representation too long" at that byte', () => {
    const e = errorOf(() => at([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).u32());
    expect(e.text).toBe('integer representation too long');
    expect(e.offset).toBe(5);
  });

  it('rejects set unused bits in the last u32 byte as "integer too large"', () => {
    const e = errorOf(() => at([0x82, 0x80, 0x80, 0x80, 0x10]).u32());
    expect(e.text).toBe('integer too large');
    expect(e.offset).toBe(4);
  });

  it('reads signed 32-bit values, including the extremes', () => {
    for (const n of [0, -1, 63, -64, 64, -65, 2 ** 31 - 1, -(2 ** 31)]) expect(at(sleb(n)).s32()).toBe(n);
  });

  it('requires the unused bits of a final s32 byte to be a sign extension', () => {
    expect(errorOf(() => at([0x80, 0x80, 0x80, 0x80, 0x70]).s32()).text).toBe('integer too large');
    expect(at([0xff, 0xff, 0xff, 0xff, 0x7f]).s32()).toBe(-1);
  });

  it('reads s33 block type indices beyond the i32 range', () => {
    expect(at(sleb(2 ** 32 - 1)).s33()).toBe(2 ** 32 - 1);
    expect(at(sleb(-(2 ** 32))).s33()).toBe(-(2 ** 32));
  });

  it('reads s64 values as signed bigints', () => {
    for (const n of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123n]) expect(at(sleb(n)).s64()).toBe(n);
    expect(errorOf(() => at([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]).s64()).text).toBe('integer too large');
  });

  it('reports the end of the bytes as "unexpected end of section or function"', () => {
    expect(errorOf(() => at([0x80]).u32()).text).toBe('unexpected end of section or function');
  });
});

describe('Reader names and lengths', () => {
  it('decodes UTF-8 names, keeping a leading byte-order mark', () => {
    const bytes = [...new TextEncoder().encode('\uFEFFhé')];
    expect(at([bytes.length, ...bytes]).name()).toBe('\uFEFFhé');
  });

  it('rejects overlong and surrogate encodings as "malformed UTF-8 encoding"', () => {
    expect(errorOf(() => at([2, 0xc0, 0x80]).name()).text).toBe('malformed UTF-8 encoding');
    expect(errorOf(() => at([3, 0xed, 0xa0, 0x80]).name()).text).toBe('malformed UTF-8 encoding');
  });

  it('rejects a length beyond the remaining bytes as "length out of bounds"', () => {
    expect(errorOf(() => at([5, 0x61, 0x62]).name()).text).toBe('length out of bounds');
  });

  it('keeps file offsets absolute in a sub-reader', () => {
    const r = at([0, 0, 0, 0x80]).sub(3, 4);
    const e = errorOf(() => r.u32());
    expect(e.offset).toBe(4);
  });

  it('returns f32 bits unchanged, NaN payloads included', () => {
    expect(at([0x01, 0x00, 0xa0, 0x7f]).f32bits()).toBe(0x7fa00001);
    expect(at([1, 0, 0, 0, 0, 0, 0xf8, 0xff]).f64bits()).toBe(0xfff8000000000001n);
  });
});
