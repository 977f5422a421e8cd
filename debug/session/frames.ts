/**
 * Source frames: each Wasm frame expanded into its inlined calls (innermost
 * first, DWARF DW_TAG_inlined_subroutine), each with its position, its
 * scopes, and its variables read through DWARF locations from the Wasm frame
 * that owns them. Recursion gives distinct Wasm frames, so each source frame
 * reads its own locals and its own frame base.
 *
 * Invariant: a variable that cannot be read yields a reason string
 * ("<optimized out>", "<error: ...>"), never an exception.
 */
import type { ValType, Value } from '../../interpreter/index.js';
import { DW_TAG } from '../dwarf/constants.js';
import { decodeExpression, evaluateLocation, locationAt, type Dwarf, type FunctionInfo, type Piece, type VariableInfo } from '../dwarf/index.js';
import type { Scope } from '../dwarf/scopes.js';
import type { DebugInfoOffset } from '../dwarf/unit.js';
import type { CodeMap } from './code-map.js';
import type { DebugTarget, TargetFrame } from './target.js';
import { EvalError, isAggregate, sizeOf, type CValue, type Lvalue } from './values.js';

export interface SourceFrame {
  /** Position in the source stack (0 = innermost); the DAP frame id is derived from it. */
  readonly index: number;
  readonly wasm: TargetFrame;
  /** Position of the Wasm frame (0 = innermost). */
  readonly wasmIndex: number;
  readonly name: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly inlined: boolean;
  readonly fn: FunctionInfo | undefined;
  /** The out-of-line subprogram (its DW_AT_frame_base serves inlined frames too). */
  readonly subprogram: number | undefined;
  /** Scopes of this frame, innermost first (the function's own scope last). */
  readonly scopes: readonly Scope[];
}

export function buildFrames(dwarf: Dwarf, map: CodeMap, wasmFrames: readonly TargetFrame[]): SourceFrame[] {
  const out: SourceFrame[] = [];
  wasmFrames.forEach((wf, wasmIndex) => {
    const pc = wf.pc;
    const at = dwarf.scopeChainAt(pc);
    const row = dwarf.findLineInfo(pc);
    if (!at) {
      out.push({ index: out.length, wasm: wf, wasmIndex, name: map.funcName(wf.funcIndex), file: row?.file, line: row?.line, column: row?.column, inlined: false, fn: undefined, subprogram: undefined, scopes: [] });
      return;
    }
    // Split the chain (outermost first) into one segment per function; blocks join the function they are in.
    const segments: Scope[][] = [];
    for (const s of at.chain) {
      if (s.tag === DW_TAG.subprogram || s.tag === DW_TAG.inlined_subroutine || segments.length === 0) segments.push([s]);
      else segments[segments.length - 1]!.push(s);
    }
    const subprogram = at.chain[0]!.offset;
    let file = row?.file, line = row?.line, column = row?.column;
    for (let k = segments.length - 1; k >= 0; k--) {
      const seg = segments[k]!;
      const fn = dwarf.functionInfo(seg[0]!.offset);
      out.push({
        index: out.length, wasm: wf, wasmIndex, name: fn.name ?? fn.linkageName ?? map.funcName(wf.funcIndex),
        file, line: line === 0 ? undefined : line, column, inlined: k > 0, fn, subprogram, scopes: [...seg].reverse(),
      });
      file = fn.callFile; line = fn.callLine; column = fn.callColumn;
    }
  });
  return out;
}

/** The variables of a frame: innermost block first; `kind` picks parameters or locals. */
export function frameVariables(dwarf: Dwarf, frame: SourceFrame, kind?: 'parameter' | 'variable'): VariableInfo[] {
  const out: VariableInfo[] = [];
  for (const s of frame.scopes) {
    for (const off of s.variables) {
      try {
        const v = dwarf.variable(off, s.offset);
        if (kind === undefined || v.kind === kind) out.push(v);
      } catch { /* a corrupt DIE hides one variable, not the frame */ }
    }
  }
  return out;
}

/** Canonical Wasm value → its bit pattern, as DWARF expressions see it. */
export function bitsOf(type: ValType, v: Value | undefined): bigint {
  if (v === undefined || v === null) return 0n;
  switch (type) {
    case 'i32': return BigInt.asUintN(32, BigInt(v as number));
    case 'i64': return BigInt.asUintN(64, v as bigint);
    case 'f32': { const dv = new DataView(new ArrayBuffer(4)); dv.setFloat32(0, v as number, true); return BigInt(dv.getUint32(0, true)); }
    case 'f64': { const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, v as number, true); return dv.getBigUint64(0, true); }
    default: return 0n;
  }
}

/** Reads `size` bytes of memory 0 or throws EvalError ("cannot access memory"). */
export function readMemory(target: DebugTarget, address: number, size: number): Uint8Array {
  const mem = target.memory();
  if (!mem || address < 0 || size < 0 || address + size > mem.length) {
    throw new EvalError(`cannot access memory at address 0x${address.toString(16)}`);
  }
  return mem.slice(address, address + size);
}

/** Where DWARF expressions get Wasm state from: one source frame's Wasm frame. */
function locationContext(dwarf: Dwarf, target: DebugTarget, frame: SourceFrame) {
  const wf = frame.wasm;
  const ctx = {
    local: (i: number) => bitsOf(wf.localTypes[i] ?? 'i32', wf.local(i)),
    global: (i: number) => { const g = target.global(i); return g ? bitsOf(g.type, g.value) : 0n; },
    stack: (i: number) => { const s = wf.stack()[i]; return s ? bitsOf(s.type, s.value) : 0n; },
    memory: (a: bigint, size: number) => {
      const b = readMemory(target, Number(a), size);
      let x = 0n;
      for (let k = b.length - 1; k >= 0; k--) x = (x << 8n) | BigInt(b[k]!);
      return x;
    },
    frameBase: (): bigint => {
      const fb = frame.subprogram !== undefined ? dwarf.frameBase(frame.subprogram as DebugInfoOffset) : null;
      if (!fb) throw new EvalError('no frame base');
      const p = evaluateLocation(fb, ctx)[0]?.location;
      if (p?.kind === 'value') return p.value;
      if (p?.kind === 'memory') return p.address;
      throw new EvalError('frame base is not a value');
    },
  };
  return ctx;
}

/** A variable's value in `frame`, or why it has none. */
export function readVariable(dwarf: Dwarf, target: DebugTarget, frame: SourceFrame, v: VariableInfo): CValue | string {
  const expr = locationAt(v.location, frame.wasm.pc);
  if (!expr) return '<optimized out>';
  const type = v.type();
  const size = sizeOf(type);
  try {
    const pieces = evaluateLocation(expr, locationContext(dwarf, target, frame));
    const ctx = locationContext(dwarf, target, frame);
    // LLVM describes a byval aggregate as `DW_OP_WASM_location` alone: the slot holds the aggregate's address (as LLDB reads it).
    const resolved = pieces.map((p) => {
      if (p.location.kind !== 'wasm') return p;
      const { kind, index } = p.location.location;
      const v = kind === 'local' ? ctx.local(index) : kind === 'global' ? ctx.global(index) : ctx.stack(index);
      return { ...p, location: isAggregate(type) ? { kind: 'memory' as const, address: BigInt(v) } : { kind: 'value' as const, value: BigInt(v) } };
    });
    return piecesToValue(target, type, size, resolved, wasmLvalue(expr, frame.wasmIndex));
  } catch (e) {
    return `<error: ${(e as Error).message}>`;
  }
}

/** A location that is exactly one Wasm local or global (`DW_OP_WASM_location k i, DW_OP_stack_value`): writable there. */
function wasmLvalue(expr: Uint8Array, frame: number): Lvalue | undefined {
  try {
    const ops = decodeExpression(expr);
    if (ops.length !== 2 || ops[0]!.name !== 'DW_OP_WASM_location' || ops[1]!.name !== 'DW_OP_stack_value') return undefined;
    const [kind, index] = ops[0]!.operands.map((o) => Number(o.value));
    if (kind === 0) return { kind: 'local', frame, index: index! };
    if (kind === 1 || kind === 3) return { kind: 'global', index: index! };
  } catch { /* not decodable: not writable */ }
  return undefined;
}

function piecesToValue(target: DebugTarget, type: CValue['type'], size: number, pieces: readonly Piece[], lv: Lvalue | undefined): CValue | string {
  if (pieces.length === 1 && pieces[0]!.sizeInBits === undefined) {
    const p = pieces[0]!.location;
    if (p.kind === 'memory') {
      const address = Number(p.address);
      return { type, bytes: readMemory(target, address, size), lvalue: { kind: 'memory', address } };
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    const n = piece.sizeInBits !== undefined ? Math.ceil(piece.sizeInBits / 8) : size - at;
    const p = piece.location;
    if (p.kind === 'empty') return '<optimized out>';
    let chunk: Uint8Array;
    if (p.kind === 'memory') chunk = readMemory(target, Number(p.address), n);
    else if (p.kind === 'value') { chunk = new Uint8Array(n); let x = p.value; for (let i = 0; i < n; i++) { chunk[i] = Number(x & 0xffn); x >>= 8n; } }
    else if (p.kind === 'implicit') chunk = p.bytes.subarray(0, n);
    else return '<unavailable>';
    bytes.set(chunk.subarray(0, Math.max(0, Math.min(n, size - at))), at);
    at += n;
  }
  return lv && pieces.length === 1 ? { type, bytes, lvalue: lv } : { type, bytes };
}
