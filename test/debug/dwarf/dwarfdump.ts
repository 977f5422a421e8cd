/**
 * Test helper: reads llvm-dwarfdump 14's text output (`--debug-line`,
 * `--debug-info`) into the same normalized records the reader's output is
 * turned into, so the two can be compared with one deep equality. Dead code
 * (ranges starting at a tombstone or 0) is dropped here too, as the reader
 * drops it by design.
 */

export interface DumpRow { address: number; line: number; column: number; file: number; flags: string }
export interface DumpFunction { offset: number; tag: string; name: string | undefined; ranges: [number, number][]; callFile: string | undefined; callLine: number | undefined }
export interface DumpVariable { offset: number; name: string | undefined; type: string; location: string | undefined }

interface Die { offset: number; tag: string; depth: number; parentTag: string | undefined; attrs: Map<string, string> }

const dead = (begin: number) => begin === 0 || begin >= 0xfffffffe;

/** Line-table rows per table offset (`debug_line[0x…]`). */
export function parseLineDump(text: string): Map<number, DumpRow[]> {
  const tables = new Map<number, DumpRow[]>();
  let rows: DumpRow[] = [];
  for (const line of text.split('\n')) {
    const t = /^debug_line\[0x([0-9a-f]+)\]/.exec(line);
    if (t) { rows = []; tables.set(parseInt(t[1]!, 16), rows); continue; }
    const m = /^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s*(.*)$/.exec(line);
    if (m) rows.push({ address: parseInt(m[1]!, 16), line: +m[2]!, column: +m[3]!, file: +m[4]!, flags: m[5]!.trim() });
  }
  return tables;
}

function parseDies(text: string): Map<number, Die> {
  const dies = new Map<number, Die>();
  const stack: Die[] = [];
  let cur: Die | undefined, attr: string | undefined;
  for (const line of text.split('\n')) {
    const d = /^0x([0-9a-f]+):(\s+)(DW_TAG_\w+|NULL)/.exec(line);
    if (d) {
      const depth = d[2]!.length;
      while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
      attr = undefined;
      if (d[3] === 'NULL') { cur = undefined; continue; }
      cur = { offset: parseInt(d[1]!, 16), tag: d[3]!.slice(7), depth, parentTag: stack[stack.length - 1]?.tag, attrs: new Map() };
      dies.set(cur.offset, cur);
      stack.push(cur);
      continue;
    }
    const a = /^\s+DW_AT_(\w+)\s*\((.*)$/.exec(line);
    if (a && cur) { attr = a[1]!; cur.attrs.set(attr, a[2]!); continue; }
    if (cur && attr && line.trim() !== '' && !line.startsWith('0x')) cur.attrs.set(attr, cur.attrs.get(attr)! + '\n' + line.trim());
  }
  return dies;
}

/** The value inside the attribute's parentheses (the dump prints `(value)`). */
const inner = (v: string) => v.replace(/\)$/, '');

function follow(dies: Map<number, Die>, die: Die, at: string): string | undefined {
  let cur: Die | undefined = die;
  for (let hops = 0; cur && hops < 8; hops++) {
    const v = cur.attrs.get(at);
    if (v !== undefined) return v;
    const origin: string | undefined = cur.attrs.get('abstract_origin') ?? cur.attrs.get('specification');
    cur = origin ? dies.get(parseInt(origin, 16)) : undefined;
  }
  return undefined;
}

const quoted = (v: string | undefined) => (v === undefined ? undefined : /"(.*)"/.exec(v)?.[1]);

function ranges(die: Die): [number, number][] {
  const low = die.attrs.get('low_pc'), high = die.attrs.get('high_pc'), list = die.attrs.get('ranges');
  const out: [number, number][] = [];
  if (low !== undefined && high !== undefined) {
    if (!low.startsWith('dead code')) out.push([parseInt(low, 16), parseInt(high, 16)]);
  } else if (list !== undefined) {
    for (const m of list.matchAll(/\[0x([0-9a-f]+), 0x([0-9a-f]+)\)/g)) out.push([parseInt(m[1]!, 16), parseInt(m[2]!, 16)]);
  }
  return out.filter(([b]) => !dead(b));
}

/** `expr` or `[0x1, 0x2): expr; …` with dead entries dropped. */
export function normalizeLocation(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const v = inner(raw);
  if (!v.includes('\n') && !/^(indexed|0x)/.test(v)) return v;
  const entries = [...v.matchAll(/\[0x([0-9a-f]+), 0x([0-9a-f]+)\): ([^\n]*)/g)]
    .filter((m) => !dead(parseInt(m[1]!, 16)))
    .map((m) => `[0x${parseInt(m[1]!, 16).toString(16)}, 0x${parseInt(m[2]!, 16).toString(16)}): ${m[3]!.replace(/\)$/, '')}`);
  return entries.join('; ');
}

export function parseInfoDump(text: string): { functions: DumpFunction[]; variables: DumpVariable[] } {
  const dies = parseDies(text);
  const functions: DumpFunction[] = [];
  const variables: DumpVariable[] = [];
  const codeScopes = new Set(['compile_unit', 'subprogram', 'inlined_subroutine', 'lexical_block']);
  for (const die of dies.values()) {
    if (die.tag === 'subprogram' || die.tag === 'inlined_subroutine') {
      const callLine = die.attrs.get('call_line');
      functions.push({
        offset: die.offset, tag: die.tag, name: quoted(follow(dies, die, 'name')), ranges: ranges(die),
        callFile: quoted(die.attrs.get('call_file')), callLine: callLine === undefined ? undefined : parseInt(callLine, 10),
      });
    } else if ((die.tag === 'variable' || die.tag === 'formal_parameter') && codeScopes.has(die.parentTag ?? '')) {
      variables.push({
        offset: die.offset, name: quoted(follow(dies, die, 'name')), type: quoted(follow(dies, die, 'type')) ?? 'void',
        location: normalizeLocation(die.attrs.get('location')),
      });
    }
  }
  return { functions, variables };
}
