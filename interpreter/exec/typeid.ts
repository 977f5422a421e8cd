/**
 * Canonical ids for function types, so `call_indirect`'s signature check is
 * one integer comparison: structurally equal types (spec 2.0: same params
 * and results) get the same id, whichever module declared them.
 */
import type { FuncType } from '../syntax/types.js';

const ids = new Map<string, number>();
const cache = new WeakMap<FuncType, number>();

export function typeIdOf(t: FuncType): number {
  let id = cache.get(t);
  if (id === undefined) {
    const key = t.params.join(',') + '>' + t.results.join(',');
    id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    cache.set(t, id);
  }
  return id;
}
