/**
 * Breakpoints as the user sees them (DAP's Breakpoint: id, verified,
 * message) and their resolution to code offsets: FILE:LINE through the line
 * table's is_stmt rows (a line without code moves to the next line that has
 * some, and says so), FUNCTION after its prologue (and at every inlined copy),
 * *OFFSET as given. Resolution needs only the module and its DWARF, so a
 * breakpoint set before instantiation is resolved at once and binds (is
 * patched into the code) when a target attaches.
 *
 * Invariant: each location is an instruction offset inside a defined function.
 */
import type { Dwarf } from '../dwarf/index.js';
import type { CodeMap } from './code-map.js';
import type { LineIndex } from './lines.js';

export interface BreakpointLocation {
  readonly address: number;
  readonly funcIndex: number;
}

export type WatchKind = 'watch' | 'rwatch' | 'awatch';

export interface Breakpoint {
  readonly id: number;
  readonly kind: 'breakpoint' | WatchKind | 'catchpoint';
  /** What the user typed (`prog.c:31`, `fact`, `*0x1f3`, the watched expression, the caught syscalls). */
  readonly spec: string;
  locations: BreakpointLocation[];
  /** Set when resolution moved the breakpoint or could not place it. */
  message: string | undefined;
  enabled: boolean;
  temporary: boolean;
  condition: string | undefined;
  ignoreCount: number;
  hitCount: number;
  /** dprintf: printed at each hit instead of stopping. */
  log: { format: string; args: string[] } | undefined;
  /** Watchpoints: the watched memory and its last known contents. */
  watch: { address: number; size: number; old: Uint8Array; type: import('../dwarf/index.js').TypeNode } | undefined;
  /** Catchpoints: the WASI imports whose return stops the program (empty: any), catch.ts. */
  readonly syscalls?: readonly string[];
}

export interface Resolution {
  readonly locations: BreakpointLocation[];
  readonly message?: string;
  readonly error?: string;
}

export function resolveLocation(spec: string, dwarf: Dwarf, lines: LineIndex, map: CodeMap): Resolution {
  const s = spec.trim();
  if (s.startsWith('*')) return resolveAddress(s.slice(1).trim(), map);
  const m = /^(.+):(\d+)$/.exec(s);
  if (m) return resolveLine(m[1]!, Number(m[2]), lines, map);
  if (/^\d+$/.test(s)) return { locations: [], error: `a line needs a file: FILE:${s}` };
  return resolveFunction(s, dwarf, lines, map);
}

function at(map: CodeMap, address: number): BreakpointLocation | undefined {
  const funcIndex = map.funcAt(address);
  return funcIndex < 0 ? undefined : { address, funcIndex };
}

function resolveAddress(text: string, map: CodeMap): Resolution {
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) return { locations: [], error: `bad address ${JSON.stringify(text)} (a code offset: *0x1f3 or *499)` };
  const loc = at(map, n);
  return loc ? { locations: [loc] } : { locations: [], error: `no function holds code offset 0x${n.toString(16)}` };
}

function resolveLine(file: string, line: number, lines: LineIndex, map: CodeMap): Resolution {
  const found = lines.lineAddresses(file, line);
  if (!found.fileSeen) return { locations: [], error: `no source file named ${file} in the debug information` };
  if (found.addresses.length === 0) return { locations: [], error: `no code at or after line ${line} of ${file}` };
  // One location per function (out-of-line or inlined copy): its lowest is_stmt address for the line.
  const byFunc = new Map<string, BreakpointLocation>();
  for (const address of found.addresses) {
    const loc = at(map, address);
    if (!loc) continue;
    const fn = lines.dwarf.findFunction(address);
    const key = fn ? String((fn.inlined[fn.inlined.length - 1] ?? fn.function).offset) : `f${loc.funcIndex}`;
    if (!byFunc.has(key)) byFunc.set(key, loc);
  }
  const locations = [...byFunc.values()];
  const message = found.line !== line ? `line ${line} has no code; moved to line ${found.line}` : undefined;
  return message ? { locations, message } : { locations };
}

function resolveFunction(name: string, dwarf: Dwarf, lines: LineIndex, map: CodeMap): Resolution {
  const locs = new Map<number, BreakpointLocation>();
  for (const fn of dwarf.allFunctions()) {
    if (fn.name !== name && fn.linkageName !== name) continue;
    const ranges = fn.ranges.filter((r) => r.end > r.begin && r.begin < 0xfffffffe);
    if (ranges.length === 0) continue;
    const low = Math.min(...ranges.map((r) => r.begin));
    const address = fn.tag === 'subprogram' ? lines.prologueEnd(low, Math.max(...ranges.map((r) => r.end))) : low;
    const loc = at(map, address);
    if (loc) locs.set(address, loc);
  }
  if (locs.size === 0) {
    // No DWARF for it: the name section or an export, at its first instruction.
    const f = map.funcByName(name);
    const first = f !== undefined ? map.body(f)[0] : undefined;
    if (first) return { locations: [{ address: first.offset, funcIndex: f! }] };
    return { locations: [], error: `no function named ${JSON.stringify(name)}` };
  }
  return { locations: [...locs.values()].sort((a, b) => a.address - b.address) };
}
