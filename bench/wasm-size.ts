/**
 * Finds the size of a module's Code section, the "KB of code" that compile
 * times are divided by.
 * Invariant: reads only section headers; a malformed module gives an error
 * naming the offset, never a wrong size.
 */

function readU32(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  for (let shift = 0, i = offset; shift < 35; shift += 7, i++) {
    if (i >= bytes.length) throw new Error(`unexpected end of module (at offset 0x${i.toString(16)})`);
    const byte = bytes[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
  }
  throw new Error(`integer representation too long (at offset 0x${offset.toString(16)})`);
}

/** Bytes in the Code section's contents (0 if the module has none). */
export function codeSectionSize(bytes: Uint8Array): number {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a WebAssembly module (at offset 0x0)');
  }
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset]!;
    const size = readU32(bytes, offset + 1);
    if (size.next + size.value > bytes.length) {
      throw new Error(`section size past end of module (at offset 0x${offset.toString(16)})`);
    }
    if (id === 10) return size.value;
    offset = size.next + size.value;
  }
  return 0;
}
