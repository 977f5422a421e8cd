/**
 * Decoders for the contents of each known section (spec 5.5, "Binary Format:
 * Modules"). Each reads from the current position and appends to a
 * `ModuleParts` under construction; the driver (decode.ts) checks the section
 * size afterwards, as the reference decoder does.
 *
 * Invariant: nothing here validates indices or types (that is validation's
 * job); only the encoding is checked, with the reference decoder's messages.
 */
import { codeOffset } from '../syntax/offsets.js';
import type {
  DataSegment,
  ElemSegment,
  Export,
  ExternKind,
  Func,
  FuncType,
  Global,
  GlobalType,
  Import,
  ImportDesc,
  Instr,
  MemType,
  RefType,
  TableType,
} from '../syntax/types.js';
import type { CodeContext } from './code.js';
import { readConstExpr, readExpr, readLocals } from './code.js';
import type { Reader } from './reader.js';
import { readFuncType, readGlobalType, readMemType, readRefType, readTableType } from './types.js';

/** The module's parts as they are decoded. */
export interface ModuleParts {
  readonly types: FuncType[];
  readonly imports: Import[];
  /** Type indices from the Function section (defined functions only). */
  readonly funcDecls: number[];
  readonly tables: TableType[];
  readonly mems: MemType[];
  readonly globalTypes: GlobalType[];
  readonly globals: Global[];
  readonly exports: Export[];
  start: number | null;
  readonly elems: ElemSegment[];
  readonly datas: DataSegment[];
  dataCount: number | null;
  readonly funcs: Func[];
  importedFuncs: number;
  importedTables: number;
  importedMems: number;
  importedGlobals: number;
}

export function emptyParts(): ModuleParts {
  return {
    types: [],
    imports: [],
    funcDecls: [],
    tables: [],
    mems: [],
    globalTypes: [],
    globals: [],
    exports: [],
    start: null,
    elems: [],
    datas: [],
    dataCount: null,
    funcs: [],
    importedFuncs: 0,
    importedTables: 0,
    importedMems: 0,
    importedGlobals: 0,
  };
}

export function readTypeSection(r: Reader, m: ModuleParts): void {
  const n = r.len();
  for (let i = 0; i < n; i++) m.types.push(readFuncType(r));
}

const EXTERN_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global'];

function readImportDesc(r: Reader, m: ModuleParts): ImportDesc {
  const at = r.pos;
  const kind = r.u8();
  switch (kind) {
    case 0x00:
      m.importedFuncs++;
      return { kind: 'func', typeIndex: r.u32() };
    case 0x01: {
      const type = readTableType(r);
      m.tables.push(type);
      m.importedTables++;
      return { kind: 'table', type };
    }
    case 0x02: {
      const type = readMemType(r);
      m.mems.push(type);
      m.importedMems++;
      return { kind: 'memory', type };
    }
    case 0x03: {
      const type = readGlobalType(r);
      m.globalTypes.push(type);
      m.importedGlobals++;
      return { kind: 'global', type };
    }
    default:
      return r.fail('malformed import kind', at);
  }
}

export function readImportSection(r: Reader, m: ModuleParts): void {
  const n = r.len();
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    m.imports.push({ module, name, desc: readImportDesc(r, m) });
  }
}

export function readFunctionSection(r: Reader, m: ModuleParts): void {
  const n = r.len();
  for (let i = 0; i < n; i++) m.funcDecls.push(r.u32());
}

export function readTableSection(r: Reader, m: ModuleParts): void {
  const n = r.len();
  for (let i = 0; i < n; i++) m.tables.push(readTableType(r));
}

export function readMemorySection(r: Reader, m: ModuleParts): void {
  const n = r.len();
  for (let i = 0; i < n; i++) m.mems.push(readMemType(r));
}

export function readGlobalSection(r: Reader, m: ModuleParts, ctx: CodeContext): void {
  const n = r.len();
  for (let i = 0; i < n; i++) {
    const type = readGlobalType(r);
    m.globalTypes.push(type);
    m.globals.push({ type, init: readConstExpr(r, ctx) });
  }
}

export function readExportSection(r: Reader, m: ModuleParts): void {
  const n = r.len();
  for (let i = 0; i < n; i++) {
    const name = r.name();
    const at = r.pos;
    const kind = EXTERN_KINDS[r.u8()];
    if (kind === undefined) r.fail('malformed export kind', at);
    m.exports.push({ name, kind, index: r.u32() });
  }
}

export function readStartSection(r: Reader, m: ModuleParts): void {
  m.start = r.u32();
}

/** Element kind 0x00 (funcref) of the legacy encodings 1-3. */
function readElemKind(r: Reader): RefType {
  const at = r.pos;
  if (r.u8() !== 0x00) r.fail('malformed element kind', at);
  return 'funcref';
}

/** A vector of function indices, as `ref.func` constant expressions. */
function readFuncIndices(r: Reader, ctx: CodeContext): Instr[][] {
  const n = r.len();
  const init: Instr[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const offset = codeOffset(r.pos - ctx.codeStart);
    init[i] = [{ op: 'ref.func', offset, index: r.u32() }];
  }
  return init;
}

function readConstExprs(r: Reader, ctx: CodeContext): Instr[][] {
  const n = r.len();
  const init: Instr[][] = new Array(n);
  for (let i = 0; i < n; i++) init[i] = readConstExpr(r, ctx);
  return init;
}

/** The eight encodings of an element segment (flags bit 0: passive/declarative, bit 1: explicit table or kind, bit 2: expressions). */
function readElem(r: Reader, ctx: CodeContext): ElemSegment {
  const at = r.pos;
  const flags = r.u32();
  switch (flags) {
    case 0: {
      const offset = readConstExpr(r, ctx);
      return { type: 'funcref', init: readFuncIndices(r, ctx), mode: { kind: 'active', table: 0, offset } };
    }
    case 1: {
      const type = readElemKind(r);
      return { type, init: readFuncIndices(r, ctx), mode: { kind: 'passive' } };
    }
    case 2: {
      const table = r.u32();
      const offset = readConstExpr(r, ctx);
      const type = readElemKind(r);
      return { type, init: readFuncIndices(r, ctx), mode: { kind: 'active', table, offset } };
    }
    case 3: {
      const type = readElemKind(r);
      return { type, init: readFuncIndices(r, ctx), mode: { kind: 'declarative' } };
    }
    case 4: {
      const offset = readConstExpr(r, ctx);
      return { type: 'funcref', init: readConstExprs(r, ctx), mode: { kind: 'active', table: 0, offset } };
    }
    case 5: {
      const type = readRefType(r);
      return { type, init: readConstExprs(r, ctx), mode: { kind: 'passive' } };
    }
    case 6: {
      const table = r.u32();
      const offset = readConstExpr(r, ctx);
      const type = readRefType(r);
      return { type, init: readConstExprs(r, ctx), mode: { kind: 'active', table, offset } };
    }
    case 7: {
      const type = readRefType(r);
      return { type, init: readConstExprs(r, ctx), mode: { kind: 'declarative' } };
    }
    default:
      return r.fail('malformed elements segment kind', at);
  }
}

export function readElemSection(r: Reader, m: ModuleParts, ctx: CodeContext): void {
  const n = r.len();
  for (let i = 0; i < n; i++) m.elems.push(readElem(r, ctx));
}

function readData(r: Reader, ctx: CodeContext): DataSegment {
  const at = r.pos;
  const flags = r.u32();
  switch (flags) {
    case 0: {
      const offset = readConstExpr(r, ctx);
      return { init: r.bytesView(r.len()), mode: { kind: 'active', memory: 0, offset } };
    }
    case 1:
      return { init: r.bytesView(r.len()), mode: { kind: 'passive' } };
    case 2: {
      const memory = r.u32();
      const offset = readConstExpr(r, ctx);
      return { init: r.bytesView(r.len()), mode: { kind: 'active', memory, offset } };
    }
    default:
      return r.fail('malformed data segment kind', at);
  }
}

export function readDataSection(r: Reader, m: ModuleParts, ctx: CodeContext): void {
  const n = r.len();
  for (let i = 0; i < n; i++) m.datas.push(readData(r, ctx));
}

export function readDataCountSection(r: Reader, m: ModuleParts): void {
  m.dataCount = r.u32();
}

/** The Code section: one size-prefixed entry per defined function. Types are joined later. */
export function readCodeSection(r: Reader, m: ModuleParts, ctx: CodeContext): void {
  const n = r.len();
  const base = ctx.codeStart;
  for (let i = 0; i < n; i++) {
    const entry = r.pos;
    const size = r.len();
    const start = r.pos;
    const { localGroups, locals } = readLocals(r);
    const body: Instr[] = [];
    if (ctx.lazyBodies === true) r.pos = start + size;
    else readExpr(r, ctx, body);
    if (r.pos !== start + size) r.fail('section size mismatch', start);
    m.funcs.push({
      typeIndex: m.funcDecls[i] ?? -1,
      localGroups,
      locals,
      body,
      entryOffset: codeOffset(entry - base),
      localsOffset: codeOffset(start - base),
      endOffset: codeOffset(r.pos - base),
    });
  }
}
