/**
 * A byte reader over a module's bytes (spec 5.1-5.2, "Binary Format: Values").
 *
 * Invariant: `pos` is always an absolute FILE offset into the module's bytes,
 * also in a sub-reader (`sub`), so every DecodeError names the byte a user can
 * find with a hex dump. The reader never reads at or past `end`; doing so
 * throws "unexpected end of section or function", as the reference decoder's
 * guarded reads do.
 *
 * LEB128 checks follow the reference decoder exactly: at most ceil(N/7)
 * bytes ("integer representation too long"), and the unused bits of the last
 * byte must be zero (unsigned) or a sign extension (signed) ("integer too large").
 */
import { DecodeError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  /** One past the last readable byte (absolute). */
  readonly end: number;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A reader over `[start, end)` of the same bytes; positions stay absolute. */
  sub(start: number, end: number): Reader {
    return new Reader(this.bytes, start, end);
  }

  /** Throws a DecodeError at `at` (a file offset; defaults to the current position). */
  fail(message: string, at: number = this.pos): never {
    throw new DecodeError(message, at);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** The next byte without consuming it, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  u8(): number {
    if (this.pos >= this.end) this.eos();
    return this.bytes[this.pos++]!;
  }

  /** Consumes one byte that must equal `b`, else fails with `message` at that byte. */
  expect(b: number, message: string): void {
    if (this.u8() !== b) this.fail(message, this.pos - 1);
  }

  skip(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.eos();
    this.pos += n;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytesView(n: number): Uint8Array {
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, start + n);
  }

  /** Little-endian u32 (used for the header and f32 bits). */
  u32fixed(): number {
    if (this.pos + 4 > this.end) this.eos();
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** f32 as its bits (u32 number), so NaN payloads survive. */
  f32bits(): number {
    return this.u32fixed();
  }

  /** f64 as its bits (u64 bigint), so NaN payloads survive. */
  f64bits(): bigint {
    if (this.pos + 8 > this.end) this.eos();
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Unsigned LEB128 of at most 32 bits. */
  u32(): number {
    // Fast path: one byte.
    if (this.pos < this.end) {
      const b = this.bytes[this.pos]!;
      if (b < 0x80) {
        this.pos++;
        return b;
      }
    }
    return this.lebNumber(32, false);
  }

  /** Unsigned LEB128 of at most 1 bit (the limits flag). */
  u1(): number {
    return this.lebNumber(1, false);
  }

  s32(): number {
    return this.lebNumber(32, true);
  }

  /** Signed 33-bit LEB128 (block type indices), as a number. */
  s33(): number {
    return this.lebNumber(33, true);
  }

  /** Signed 64-bit LEB128, as a signed bigint. */
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let n = 64; ; n -= 7) {
      if (n <= 0) this.fail('integer representation too long');
      const b = this.u8();
      if (n < 7) {
        const mask = (-1 << (n - 1)) & 0x7f;
        if ((b & mask) !== 0 && (b & mask) !== mask) this.fail('integer too large', this.pos - 1);
      }
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (b & 0x40 && shift < 64n) result -= 1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
  }

  /** LEB128 of at most `bits` (<= 33) bits, computed in doubles (exact up to 2^53). */
  private lebNumber(bits: number, signed: boolean): number {
    let result = 0;
    let scale = 1;
    for (let n = bits; ; n -= 7) {
      if (n <= 0) this.fail('integer representation too long');
      const b = this.u8();
      if (n < 7) {
        if (signed) {
          const mask = (-1 << (n - 1)) & 0x7f;
          if ((b & mask) !== 0 && (b & mask) !== mask) this.fail('integer too large', this.pos - 1);
        } else if ((b & 0x7f) >= 1 << n) {
          this.fail('integer too large', this.pos - 1);
        }
      }
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) {
        if (signed && b & 0x40) result -= scale;
        return result;
      }
    }
  }

  /**
   * A length or vector count (the reference decoder's `len32`). It may not
   * exceed the bytes left counted from the LEB's own first byte, which
   * bounds every allocation by the module's size (each element takes at
   * least one byte); a count that passes but overruns still ends in
   * "unexpected end", as in the reference decoder.
   */
  len(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - at) this.fail('length out of bounds', at);
    return n;
  }

  /** A name: a length-prefixed UTF-8 string. */
  name(): string {
    const at = this.pos;
    const n = this.len();
    const view = this.bytesView(n);
    // Plain ASCII is by far the common case and needs no decoder call.
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (view[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return n < 64 ? String.fromCharCode(...view) : latin1(view);
    try {
      return utf8.decode(view);
    } catch {
      return this.fail('malformed UTF-8 encoding', at);
    }
  }

  private eos(): never {
    this.fail('unexpected end of section or function', Math.min(this.pos, this.end));
  }
}

function latin1(view: Uint8Array): string {
  let s = '';
  for (let i = 0; i < view.length; i += 4096) s += String.fromCharCode(...view.subarray(i, i + 4096));
  return s;
}
