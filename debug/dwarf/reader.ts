/**
 * Byte reader over one DWARF section (gimli's `Reader`, `EndianSlice`).
 *
 * Invariant: a Reader never copies. It is a cursor `[pos, end)` over a
 * Uint8Array view of a whole section, so `pos` is always a section offset and
 * every error can say where it happened. Reading past `end` throws
 * `DwarfError`, the only error type this package raises for bad input.
 */

/** Bad or truncated debug information; `section` and `offset` say where. */
export class DwarfError extends Error {
  override readonly name = 'DwarfError';
  constructor(
    readonly what: string,
    readonly section: string,
    readonly offset: number,
  ) {
    super(`${what} (in ${section} at offset 0x${offset.toString(16)})`);
  }
}

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    readonly section: string,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  /** A reader for `[start, end)` of the same section. */
  at(start: number, end = this.end): Reader {
    if (start < 0 || start > end || end > this.bytes.length) {
      throw new DwarfError(`offset 0x${start.toString(16)} out of bounds`, this.section, start);
    }
    return new Reader(this.bytes, this.section, start, end);
  }

  /** Returns a reader over the next `len` bytes and skips them (gimli `split`). */
  split(len: number): Reader {
    this.need(len);
    const r = new Reader(this.bytes, this.section, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(what: string, offset = this.pos): never {
    throw new DwarfError(what, this.section, offset);
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`unexpected end of data (needed ${n} bytes)`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const b = this.bytes, p = this.pos;
    this.pos += 2;
    return b[p]! | (b[p + 1]! << 8);
  }

  u24(): number {
    this.need(3);
    const b = this.bytes, p = this.pos;
    this.pos += 3;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16);
  }

  u32(): number {
    this.need(4);
    const b = this.bytes, p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** A 64-bit value as a number; exact up to 2^53, which covers wasm32 and wasm64 addresses in practice. */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x1_0000_0000 + lo;
  }

  /** An unsigned value of `size` bytes (1, 2, 4 or 8). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: return this.fail(`unsupported value size ${size}`);
    }
  }

  uleb(): number {
    let result = 0, scale = 1;
    const start = this.pos;
    for (;;) {
      if (this.pos >= this.end) this.fail('truncated LEB128', start);
      const byte = this.bytes[this.pos++]!;
      if (scale < 2 ** 64) result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  }

  sleb(): number {
    let result = 0, scale = 1, byte = 0;
    const start = this.pos;
    do {
      if (this.pos >= this.end) this.fail('truncated LEB128', start);
      byte = this.bytes[this.pos++]!;
      if (scale < 2 ** 64) result += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    if (byte & 0x40 && scale <= 2 ** 64) result -= scale;
    return result;
  }

  /** LEB128 decoded exactly, for DWARF expression constants that may exceed 2^53. */
  ulebBig(): bigint {
    let result = 0n, shift = 0n;
    const start = this.pos;
    for (;;) {
      if (this.pos >= this.end) this.fail('truncated LEB128', start);
      const byte = this.bytes[this.pos++]!;
      if (shift < 70n) result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if ((byte & 0x80) === 0) return result;
    }
  }

  slebBig(): bigint {
    let result = 0n, shift = 0n, byte = 0;
    const start = this.pos;
    do {
      if (this.pos >= this.end) this.fail('truncated LEB128', start);
      byte = this.bytes[this.pos++]!;
      if (shift < 70n) result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    if (byte & 0x40) result -= 1n << shift;
    return result;
  }

  bytesView(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A NUL-terminated UTF-8 string. */
  cstr(): string {
    const start = this.pos;
    let p = start;
    while (p < this.end && this.bytes[p] !== 0) p++;
    if (p >= this.end) this.fail('unterminated string', start);
    this.pos = p + 1;
    return utf8.decode(this.bytes.subarray(start, p));
  }

  /**
   * The DWARF initial length (7.4): a 4-byte length, or 0xffffffff followed
   * by an 8-byte length for the 64-bit format.
   */
  initialLength(): { length: number; offsetSize: 4 | 8 } {
    const n = this.u32();
    if (n === 0xffffffff) return { length: this.u64(), offsetSize: 8 };
    if (n >= 0xfffffff0) this.fail(`reserved unit length 0x${n.toString(16)}`, this.pos - 4);
    return { length: n, offsetSize: 4 };
  }

  offset(size: 4 | 8): number {
    return size === 4 ? this.u32() : this.u64();
  }
}

const utf8 = new TextDecoder('utf-8');

/** A NUL-terminated string at `offset` of a string section. */
export function stringAt(bytes: Uint8Array | undefined, section: string, offset: number): string {
  if (!bytes) throw new DwarfError(`missing section for string at 0x${offset.toString(16)}`, section, offset);
  return new Reader(bytes, section).at(offset).cstr();
}
