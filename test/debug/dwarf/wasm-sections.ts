/**
 * Test helper: the custom sections of a .wasm file and the file offset of
 * the Code section's contents, read with a minimal section walk (magic +
 * version, then id byte, LEB size, payload) so DWARF tests do not depend on
 * the full decoder.
 */

export interface RawSections {
  readonly customs: { name: string; data: Uint8Array }[];
  /** File offset of the Code section's contents (code offset 0). */
  readonly codeStart: number;
}

export function readSections(bytes: Uint8Array): RawSections {
  let pos = 8, codeStart = -1;
  const customs: { name: string; data: Uint8Array }[] = [];
  const leb = () => {
    let result = 0, shift = 0, b = 0;
    do { b = bytes[pos++]!; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  };
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const size = leb();
    const start = pos;
    if (id === 0) {
      const nameLen = leb();
      const name = new TextDecoder().decode(bytes.subarray(pos, pos + nameLen));
      customs.push({ name, data: bytes.subarray(pos + nameLen, start + size) });
    } else if (id === 10) {
      codeStart = start;
    }
    pos = start + size;
  }
  return { customs, codeStart };
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n > 0) b |= 0x80; out.push(b); } while (n > 0);
  return out;
};

/** A custom section's bytes (id 0, size, name, payload). */
export function customSection(name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb(nameBytes.length), ...nameBytes, ...payload];
  return Uint8Array.from([0, ...leb(body.length), ...body]);
}

/** `bytes` with every custom section named by `drop` removed and `extra` sections appended. */
export function rewriteCustoms(bytes: Uint8Array, drop: (name: string) => boolean, extra: Uint8Array[] = []): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    pos++;
    let size = 0, shift = 0, b = 0;
    do { b = bytes[pos++]!; size += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    const end = pos + size;
    let keep = true;
    if (bytes[start] === 0) {
      let n = 0, s = 0, p = pos;
      do { b = bytes[p++]!; n += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
      keep = !drop(new TextDecoder().decode(bytes.subarray(p, p + n)));
    }
    if (keep) parts.push(bytes.subarray(start, end));
    pos = end;
  }
  const all = [...parts, ...extra];
  const out = new Uint8Array(all.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of all) { out.set(p, o); o += p.length; }
  return out;
}
