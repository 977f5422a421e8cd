/**
 * A compile worker's share of a module (parallel.ts): a small, decodable
 * Wasm binary holding only what pass 3 reads for functions [from, to), so
 * the worker decodes its slice instead of the whole module.
 *
 * The slice keeps the original function index space: every defined
 * function before `from` becomes a function import of the same type
 * (appended after the original imports, which keeps their numbering), the
 * functions after `to` get empty stub bodies (never emitted; only their
 * types matter to calls), and the bodies [from, to) are copied as raw
 * bytes. Types, imports, tables, memories and globals are copied as they
 * are; exports, start, elements, data and custom sections are left out
 * (emission never reads them). Code offsets in the slice start elsewhere
 * than in the module: the worker shifts them back by `entryOffset`.
 *
 * Invariant: only built from a module that decoded and validated, so the
 * section walk needs no error handling beyond bounds.
 */
import type { Module } from '../interpreter/core.js';

const SECTION = { type: 1, import: 2, func: 3, table: 4, mem: 5, global: 6, code: 10 } as const;

export interface Slice {
  readonly bytes: Uint8Array;
  readonly from: number;
  readonly to: number;
  /** Code offset of function `from`'s entry in the original module. */
  readonly entryOffset: number;
  /** The module's own count of imported functions (the slice imports more). */
  readonly imported: number;
}

function leb(n: number, out: number[]): void {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
}

function readLeb(bytes: Uint8Array, pos: number): [number, number] {
  let n = 0, shift = 0, b: number;
  do {
    b = bytes[pos++]!;
    n += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [n, pos];
}

/** The raw sections of a binary: id → contents. */
function sections(bytes: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readLeb(bytes, pos + 1);
    if (id !== 0) out.set(id, bytes.subarray(start, start + size));
    pos = start + size;
  }
  return out;
}

/** Builds the slices for the given function ranges (all of them at once: the section walk is shared). */
export function slices(bytes: Uint8Array, module: Module, ranges: readonly [number, number][]): Slice[] {
  const secs = sections(bytes);
  const code = secs.get(SECTION.code)!;
  const imported = module.importedFuncCount;
  const total = module.funcTypes.length;
  return ranges.map(([from, to]) => {
    const parts: (Uint8Array | number[])[] = [Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)];
    const section = (id: number, body: (Uint8Array | number[])[]): void => {
      const size = body.reduce((n, b) => n + b.length, 0);
      const head: number[] = [id];
      leb(size, head);
      parts.push(head, ...body);
    };
    const copy = (id: number): void => {
      const s = secs.get(id);
      if (s !== undefined) section(id, [s]);
    };
    copy(SECTION.type);
    // Imports: the original ones, then one function import per defined function before `from`.
    const imp = secs.get(SECTION.import);
    const [count, entriesAt] = imp === undefined ? [0, 0] : readLeb(imp, 0);
    const extra: number[] = [];
    for (let i = imported; i < from; i++) {
      extra.push(0, 0, 0); // module "", name "", kind func
      leb(module.funcTypes[i]!, extra);
    }
    if (count + from - imported > 0) {
      const head: number[] = [];
      leb(count + from - imported, head);
      section(SECTION.import, [head, imp === undefined ? [] : imp.subarray(entriesAt), extra]);
    }
    const decls: number[] = [];
    leb(total - from, decls);
    for (let i = from; i < total; i++) leb(module.funcTypes[i]!, decls);
    section(SECTION.func, [decls]);
    copy(SECTION.table);
    copy(SECTION.mem);
    copy(SECTION.global);
    const first = module.funcs[from - imported];
    const last = module.funcs[to - 1 - imported];
    const head: number[] = [];
    leb(total - from, head);
    const body = first === undefined || last === undefined ? new Uint8Array(0) : code.subarray(first.entryOffset, last.endOffset);
    const stubs: number[] = [];
    for (let i = to; i < total; i++) stubs.push(2, 0, 0x0b); // size 2: no locals, end
    section(SECTION.code, [head, body, stubs]);
    const size = parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return { bytes: out, from, to, entryOffset: first?.entryOffset ?? 0, imported };
  });
}
