/**
 * `decode(bytes)`: a WebAssembly 2.0 binary module to the plain-data `Module`
 * (spec 5.5, "Binary Format: Modules").
 *
 * Invariants:
 * - Every error is a DecodeError whose message starts with the reference
 *   decoder's text and whose offset is a FILE offset.
 * - As in the reference decoder, a section's contents are read from the
 *   module's bytes and its declared size is checked afterwards ("section size
 *   mismatch"), so the messages for truncated or oversized sections agree.
 * - Custom sections are kept as views into `bytes` (never copies) and never
 *   make a module malformed beyond their own name; a bad `name` section only
 *   means no names.
 */
import { DecodeError } from '../errors.js';
import { fileOffset } from '../syntax/offsets.js';
import type { CustomSection, Func, Instr, Module, NameMap, SectionRange } from '../syntax/types.js';
import { readExpr, readLocals, type CodeContext } from './code.js';
import { emptyNames, readNameSection } from './names.js';
import { Reader } from './reader.js';
import {
  emptyParts,
  readCodeSection,
  readDataCountSection,
  readDataSection,
  readElemSection,
  readExportSection,
  readFunctionSection,
  readGlobalSection,
  readImportSection,
  readMemorySection,
  readStartSection,
  readTableSection,
  readTypeSection,
} from './sections.js';
import type { ModuleParts } from './sections.js';

const MAGIC = 0x6d736100; // "\0asm", little-endian
const VERSION = 1;

export const SECTION_ID = {
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

/** Position of each known section in the required order (the data count section sits before code). */
const ORDER: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10];

type SectionReader = (r: Reader, m: ModuleParts, ctx: CodeContext) => void;

const READERS: ReadonlyArray<SectionReader | undefined> = [
  undefined, // custom sections are handled by the driver
  readTypeSection,
  readImportSection,
  readFunctionSection,
  readTableSection,
  readMemorySection,
  readGlobalSection,
  readExportSection,
  readStartSection,
  readElemSection,
  readCodeSection,
  readDataSection,
  readDataCountSection,
];

export interface DecodeOptions {
  /**
   * Leave every function's body empty; `decodeBody` reads one when it is
   * needed. Only for bytes that have already decoded and validated in full
   * (a compile worker's copy, compiler/worker.ts): the checks that need the
   * bodies (the data count section's) are skipped.
   */
  readonly lazyBodies?: boolean;
}

export function decode(bytes: Uint8Array, options: DecodeOptions = {}): Module {
  readHeader(bytes);
  const r = new Reader(bytes, 8);
  const lazyBodies = options.lazyBodies === true;
  const ctx: CodeContext = { codeStart: findCodeStart(bytes), usesDataIndex: false, lazyBodies };
  const m = emptyParts();
  const customs: CustomSection[] = [];
  const sections: SectionRange[] = [];
  let names: NameMap | null = null;
  let lastRank = 0;
  let codeUsesDataIndex = false;

  while (!r.atEnd) {
    const idAt = r.pos;
    const id = r.u8();
    if (id > 12) r.fail('malformed section id', idAt);
    const size = r.len();
    const start = r.pos;
    const end = start + size;
    const range: SectionRange = { id, start: fileOffset(start), end: fileOffset(end) };
    sections.push(range);
    if (id === SECTION_ID.custom) {
      const name = r.name();
      if (r.pos > end) r.fail('unexpected end of section or function', end);
      const custom = { name, data: bytes.subarray(r.pos, end), range };
      customs.push(custom);
      if (name === 'name' && names === null) names = readNameSection(bytes, r.pos, end);
      r.pos = end;
      continue;
    }
    const rank = ORDER[id]!;
    if (rank <= lastRank) r.fail('unexpected content after last section', idAt);
    lastRank = rank;
    if (id === SECTION_ID.code) ctx.usesDataIndex = false;
    READERS[id]!(r, m, ctx);
    if (id === SECTION_ID.code) codeUsesDataIndex = ctx.usesDataIndex;
    if (r.pos !== end) r.fail('section size mismatch', start);
  }

  const at = bytes.length;
  if (m.funcDecls.length !== m.funcs.length) fail('function and code section have inconsistent lengths', at);
  if (m.dataCount !== null && m.dataCount !== m.datas.length) fail('data count and data section have inconsistent lengths', at);
  // As in the reference decoder of this suite's era: only a module that has data
  // segments needs the count; without any, the index is left to validation.
  if (m.dataCount === null && codeUsesDataIndex && m.datas.length > 0 && !lazyBodies) fail('data count section required', at);

  const funcTypes: number[] = [];
  for (const imp of m.imports) if (imp.desc.kind === 'func') funcTypes.push(imp.desc.typeIndex);
  funcTypes.push(...m.funcDecls);

  return {
    types: m.types,
    imports: m.imports,
    funcTypes,
    funcs: m.funcs,
    tables: m.tables,
    mems: m.mems,
    globalTypes: m.globalTypes,
    globals: m.globals,
    exports: m.exports,
    start: m.start,
    elems: m.elems,
    datas: m.datas,
    dataCount: m.dataCount,
    customs,
    sections,
    codeStart: fileOffset(ctx.codeStart),
    names: names ?? emptyNames(),
    importedFuncCount: m.importedFuncs,
    importedTableCount: m.importedTables,
    importedMemCount: m.importedMems,
    importedGlobalCount: m.importedGlobals,
  };
}

/**
 * Reads the body of `func`, a function of a module decoded from `bytes`
 * with `lazyBodies`, into its (empty) `body`. Reading one twice is a no-op.
 */
export function decodeBody(bytes: Uint8Array, module: Module, func: Func): void {
  if (func.body.length > 0) return;
  const ctx: CodeContext = { codeStart: module.codeStart, usesDataIndex: false };
  const r = new Reader(bytes, module.codeStart + func.localsOffset);
  readLocals(r);
  readExpr(r, ctx, func.body as Instr[]);
  if (r.pos !== module.codeStart + func.endOffset) r.fail('section size mismatch', module.codeStart + func.localsOffset);
}

function fail(message: string, at: number): never {
  throw new DecodeError(message, at);
}

function readHeader(bytes: Uint8Array): void {
  const r = new Reader(bytes);
  if (bytes.length < 4) fail('unexpected end', bytes.length);
  if (r.u32fixed() !== MAGIC) fail('magic header not detected', 0);
  if (bytes.length < 8) fail('unexpected end', bytes.length);
  if (r.u32fixed() !== VERSION) fail('unknown binary version', 4);
}

/**
 * The file offset of the Code section's contents, found by skipping section
 * headers, so constant expressions decoded before it get code offsets too.
 * Without a (well-formed path to a) Code section: 0. Malformed input is left
 * for the real decoding pass to report.
 */
function findCodeStart(bytes: Uint8Array): number {
  const r = new Reader(bytes, 8);
  try {
    while (!r.atEnd) {
      const id = r.u8();
      const size = r.u32();
      if (id === SECTION_ID.code) return r.pos;
      r.skip(size);
    }
  } catch {
    // Reported by the decoding pass.
  }
  return 0;
}
