/**
 * The expression scope of one source frame: its variables (innermost block
 * first), then global variables, Wasm-level names ($localN, $globalN,
 * $stackN, $sp, $pc), C type names for casts, and writes back into memory,
 * Wasm locals and globals (`set var`).
 *
 * Invariant: a write goes through the target and then invalidates cached
 * frames, so what is printed next is what the program will see.
 */
import type { Value, ValType } from '../../interpreter/index.js';
import type { Dwarf, TypeNode, VariableInfo } from '../dwarf/index.js';
import type { ExprScope } from '../expr/eval.js';
import { frameVariables, readMemory, readVariable, type SourceFrame } from './frames.js';
import type { DebugTarget, TargetFrame } from './target.js';
import { C, C_NAMES, EvalError, fromScalar, isSigned, pointerTo, strip, type CValue, type Lvalue } from './values.js';

interface SessionLike { readonly dwarf: Dwarf; frames(): SourceFrame[] }

const globalsByDwarf = new WeakMap<Dwarf, Map<string, VariableInfo>>();
const typesByDwarf = new WeakMap<Dwarf, Map<string, TypeNode>>();

function globals(dwarf: Dwarf): Map<string, VariableInfo> {
  let m = globalsByDwarf.get(dwarf);
  if (!m) {
    m = new Map();
    for (const g of dwarf.globals()) if (g.name !== undefined && g.location && !m.has(g.name)) m.set(g.name, g);
    globalsByDwarf.set(dwarf, m);
  }
  return m;
}


/** Named types reachable from the module's variables: typedefs and `struct/union/enum NAME`. */
function types(dwarf: Dwarf): Map<string, TypeNode> {
  let m = typesByDwarf.get(dwarf);
  if (m) return m;
  const found = new Map<string, TypeNode>();
  const seen = new Set<TypeNode>();
  const walk = (t: TypeNode, depth: number): void => {
    if (seen.has(t) || depth > 12) return;
    seen.add(t);
    switch (t.kind) {
      case 'typedef': if (!found.has(t.name)) found.set(t.name, t); walk(t.target, depth + 1); break;
      case 'struct': case 'class': case 'union':
        if (t.name !== undefined && !t.declaration && !found.has(`${t.kind} ${t.name}`)) found.set(`${t.kind} ${t.name}`, t);
        for (const mb of t.members) walk(mb.type, depth + 1);
        break;
      case 'enum': if (t.name !== undefined) found.set(`enum ${t.name}`, t); break;
      case 'pointer': case 'reference': case 'rvalue-reference': case 'const': case 'volatile': case 'restrict': case 'atomic': walk(t.target, depth + 1); break;
      case 'array': walk(t.element, depth + 1); break;
      case 'base': if (!found.has(t.name)) found.set(t.name, t); break;
      default: break;
    }
  };
  for (const v of dwarf.allVariables()) { try { walk(v.type(), 0); } catch { /* skip a bad type */ } }
  typesByDwarf.set(dwarf, (m = found));
  return m;
}

const WASM_TYPES: Record<string, TypeNode> = { i32: C.int, i64: C.llong, f32: C.float, f64: C.double };

function wasmValue(type: ValType, value: Value | undefined, lvalue?: Lvalue): CValue | undefined {
  const t = WASM_TYPES[type];
  if (!t || value === undefined || value === null) return undefined;
  return fromScalar(t, typeof value === 'bigint' ? value : typeof value === 'number' && t !== C.float && t !== C.double ? BigInt(value) : (value as number), lvalue);
}

/** The Wasm value of `bytes` (a C value of `type`) for a slot of Wasm type `vt`. */
function toWasm(vt: ValType, bytes: Uint8Array, type: TypeNode): Value {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (vt === 'f32') return bytes.length >= 4 ? dv.getFloat32(0, true) : 0;
  if (vt === 'f64') return bytes.length >= 8 ? dv.getFloat64(0, true) : bytes.length === 4 ? dv.getFloat32(0, true) : 0;
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  if (isSigned(type) && bytes.length > 0) x = BigInt.asIntN(bytes.length * 8, x);
  return vt === 'i64' ? BigInt.asIntN(64, x) : Number(BigInt.asIntN(32, x));
}

export function frameScope(
  session: SessionLike, target: DebugTarget, frameOf: SourceFrame | (() => SourceFrame | undefined), invalidate: () => void,
  /** The innermost Wasm frame, when the scope is frame 0's: Wasm names then need no source frame. */
  wasmTop?: TargetFrame,
): ExprScope {
  const dwarf = session.dwarf;
  let locals: VariableInfo[] | undefined;
  let known: SourceFrame | undefined = typeof frameOf === 'function' ? undefined : frameOf;
  // Built on first use: a condition on Wasm names never needs the source frame.
  const current = (): SourceFrame => {
    known ??= (frameOf as () => SourceFrame | undefined)();
    if (!known) throw new EvalError('no frame selected');
    return known;
  };
  return {
    variable(name) {
      const frame = current();
      locals ??= frameVariables(dwarf, frame);
      const v = locals.find((x) => x.name === name) ?? globals(dwarf).get(name);
      return v ? readVariable(dwarf, target, frame, v) : undefined;
    },
    wasmName(name) {
      const wf = wasmTop ?? current().wasm;
      const wasmIndex = wasmTop ? 0 : current().wasmIndex;
      let m: RegExpExecArray | null;
      if ((m = /^\$local(\d+)$/.exec(name))) {
        const i = Number(m[1]);
        if (i >= wf.localTypes.length) throw new EvalError(`${name}: the function has ${wf.localTypes.length} locals`);
        return wasmValue(wf.localTypes[i]!, wf.local(i), { kind: 'local', frame: wasmIndex, index: i });
      }
      if ((m = /^\$global(\d+)$/.exec(name))) {
        const g = target.global(Number(m[1]));
        return g ? wasmValue(g.type, g.value, { kind: 'global', index: Number(m[1]) }) : undefined;
      }
      if ((m = /^\$stack(\d+)$/.exec(name))) {
        const s = wf.stack()[Number(m[1])];
        return s ? wasmValue(s.type, s.value) : undefined;
      }
      if (name === '$sp') {
        const g = target.global(0);
        return g?.type === 'i32' ? fromScalar(pointerTo({ kind: 'void' }), BigInt.asUintN(32, BigInt(g.value as number)), { kind: 'global', index: 0 }) : undefined;
      }
      if (name === '$pc') return fromScalar(C.uint, BigInt(wf.pc));
      return undefined;
    },
    typeNamed(name) {
      return C_NAMES[name] ?? types(dwarf).get(name);
    },
    readMemory: (address, size) => readMemory(target, address, size),
    write(lv, bytes, type) {
      if (lv.kind === 'memory') {
        const mem = target.memory();
        if (!mem || lv.address < 0 || lv.address + bytes.length > mem.length) throw new EvalError(`cannot access memory at address 0x${lv.address.toString(16)}`);
        mem.set(bytes, lv.address);
      } else if (lv.kind === 'local') {
        const wf = lv.frame === 0 ? target.top() : target.frames()[lv.frame]!;
        target.writeLocal(wf, lv.index, toWasm(wf.localTypes[lv.index]!, bytes, strip(type)));
      } else {
        const g = target.global(lv.index);
        if (!g) throw new EvalError(`no global ${lv.index}`);
        if (!g.mutable) throw new EvalError(`global ${lv.index} is immutable`);
        target.setGlobal(lv.index, toWasm(g.type, bytes, strip(type)));
      }
      invalidate();
    },
  };
}
