/**
 * A tiny builder for hand-made Wasm binaries in tests (house rule H-25):
 * LEB128 encoders, `section(id, body)`, vectors, names, and a `module()` that
 * prepends the header. Byte arrays are plain `number[]` so tests can splice
 * malformed bytes anywhere.
 *
 * Invariant: the encoders produce the canonical (shortest) form unless a test
 * asks for padding explicitly (`ulebPadded`).
 */

export type Bytes = readonly number[];

export const HEADER: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const T = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f } as const;

export const SEC = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  elem: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Unsigned LEB padded to exactly `size` bytes (a valid, non-canonical encoding). */
export function ulebPadded(n: number, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    out.push((n % 128) | (i < size - 1 ? 0x80 : 0));
    n = Math.floor(n / 128);
  }
  return out;
}

export function sleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function vec(items: readonly Bytes[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

export function section(id: number, body: Bytes): number[] {
  return [id, ...uleb(body.length), ...body];
}

export function customSection(sectionName: string, payload: Bytes): number[] {
  return section(SEC.custom, [...name(sectionName), ...payload]);
}

export function funcType(params: Bytes, results: Bytes): number[] {
  return [0x60, ...vec(params.map((p) => [p])), ...vec(results.map((r) => [r]))];
}

/** One Code section entry: local groups `[count, type]` and the body's bytes (give the final `end` yourself). */
export function codeEntry(locals: readonly (readonly [number, number])[], body: Bytes): number[] {
  const content = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...body];
  return [...uleb(content.length), ...content];
}

export function module(...sections: Bytes[]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

/**
 * A module of functions with the given types and bodies (each body without
 * locals, ending with its own `end`), plus any extra sections placed in order.
 */
export function funcsModule(
  funcs: readonly { readonly type: readonly [Bytes, Bytes]; readonly body: Bytes; readonly locals?: readonly (readonly [number, number])[] }[],
  extra: { readonly memory?: Bytes; readonly table?: Bytes; readonly global?: Bytes; readonly export?: Bytes } = {},
): Uint8Array {
  const sections: number[][] = [
    section(SEC.type, vec(funcs.map((f) => funcType(f.type[0], f.type[1])))),
    section(SEC.function, vec(funcs.map((_, i) => uleb(i)))),
  ];
  if (extra.table) sections.push(section(SEC.table, extra.table));
  if (extra.memory) sections.push(section(SEC.memory, extra.memory));
  if (extra.global) sections.push(section(SEC.global, extra.global));
  if (extra.export) sections.push(section(SEC.export, extra.export));
  sections.push(section(SEC.code, vec(funcs.map((f) => codeEntry(f.locals ?? [], f.body)))));
  return module(...sections);
}
