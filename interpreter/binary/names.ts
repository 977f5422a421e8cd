/**
 * The `name` custom section (spec appendix 7.4): module name (subsection 0),
 * function names (1) and local names (2). Other subsections are skipped.
 *
 * Invariant: a custom section never makes a module malformed, so a name
 * section that does not decode cleanly yields no names at all (not half of
 * them) and no error.
 */
import type { NameMap } from '../syntax/types.js';
import { Reader } from './reader.js';

export function emptyNames(): NameMap {
  return { funcs: new Map(), locals: new Map() };
}

/** Names from the section's payload (after the section name), or empty names if it is malformed. */
export function readNameSection(bytes: Uint8Array, start: number, end: number): NameMap {
  try {
    return readNames(new Reader(bytes, start, end));
  } catch {
    return emptyNames();
  }
}

function readNames(r: Reader): NameMap {
  const names = emptyNames();
  let lastId = -1;
  while (!r.atEnd) {
    const id = r.u8();
    const size = r.len();
    const sub = r.sub(r.pos, r.pos + size);
    r.skip(size);
    // Subsections appear at most once, in increasing order.
    if (id <= lastId) throw new Error('name subsection out of order');
    lastId = id;
    if (id === 0) names.module = sub.name();
    else if (id === 1) readNameMap(sub, names.funcs);
    else if (id === 2) {
      const n = sub.len();
      for (let i = 0; i < n; i++) {
        const func = sub.u32();
        const locals = new Map<number, string>();
        readNameMap(sub, locals);
        names.locals.set(func, locals);
      }
    } else continue;
    if (!sub.atEnd) throw new Error('name subsection size mismatch');
  }
  return names;
}

function readNameMap(r: Reader, into: Map<number, string>): void {
  const n = r.len();
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    into.set(index, r.name());
  }
}
