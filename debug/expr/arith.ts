/**
 * C arithmetic over CValues: the usual arithmetic conversions (promotion to
 * int, then to the wider or unsigned type; double when a float is involved),
 * pointer arithmetic scaled by the pointee's size, comparisons and shifts at
 * the promoted width. Integers are computed as BigInt and wrapped to width.
 *
 * Invariant: every result is a CValue of a definite C type; division by zero
 * is an EvalError, never a JavaScript Infinity.
 */
import type { TypeNode } from '../dwarf/index.js';
import { C, EvalError, fromScalar, isFloat, isPointer, isSigned, pointerTo, scalarOf, sizeOf, strip, targetOf, type CValue } from '../session/values.js';

/** An array with an address decays to a pointer to its first element (C 6.3.2.1). */
export function decay(v: CValue): CValue {
  const s = strip(v.type);
  if (s.kind === 'array') {
    if (v.lvalue?.kind !== 'memory') throw new EvalError('the array has no address (it is not in memory)');
    return fromScalar(pointerTo(targetOf(s)!), BigInt(v.lvalue.address));
  }
  return v;
}

/** Integer promotion: types narrower than int become int; enums and bools too. */
function promote(t: TypeNode): TypeNode {
  const s = strip(t);
  if (s.kind === 'pointer') return t;
  if (sizeOf(s) < 4 || s.kind === 'enum' || (s.kind === 'base' && s.encoding === 'boolean')) return C.int;
  return s;
}

/** The common type of two arithmetic operands (C 6.3.1.8). */
export function commonType(a: TypeNode, b: TypeNode): TypeNode {
  if ((isFloat(a) && sizeOf(a) === 8) || (isFloat(b) && sizeOf(b) === 8)) return C.double;
  if (isFloat(a) || isFloat(b)) return C.float;
  const pa = promote(a), pb = promote(b);
  const sa = sizeOf(pa), sb = sizeOf(pb);
  if (sa !== sb) return sa > sb ? pa : pb;
  if (!isSigned(pa)) return pa;
  if (!isSigned(pb)) return pb;
  return pa;
}

const asInt = (v: CValue): bigint => { const x = scalarOf(v); return typeof x === 'bigint' ? x : BigInt(Math.trunc(x)); };
const asNum = (v: CValue): number => Number(scalarOf(v));
const bool = (b: boolean): CValue => fromScalar(C.int, b ? 1n : 0n);

const COMPARE = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=']);

export function binary(op: string, left: CValue, right: CValue): CValue {
  const a = decay(left), b = decay(right);
  const pa = isPointer(a.type), pb = isPointer(b.type);
  if (COMPARE.has(op) && (pa || pb)) return compare(op, asInt(a), asInt(b));
  if (pa || pb) {
    if (op === '+' && pa !== pb) {
      const [p, n] = pa ? [a, b] : [b, a];
      return fromScalar(p.type, asInt(p) + asInt(n) * BigInt(Math.max(1, sizeOf(targetOf(p.type)!))));
    }
    if (op === '-' && pa && !pb) return fromScalar(a.type, asInt(a) - asInt(b) * BigInt(Math.max(1, sizeOf(targetOf(a.type)!))));
    if (op === '-' && pa && pb) return fromScalar(C.int, (asInt(a) - asInt(b)) / BigInt(Math.max(1, sizeOf(targetOf(a.type)!))));
    if (op !== '&' && op !== '|' && op !== '^') throw new EvalError(`invalid operands to ${op} (pointer)`);
  }
  if (op === '<<' || op === '>>' || op === '>>>') {
    const t = promote(a.type);
    const n = asInt(b);
    const x = asInt(a);
    const bits = BigInt(sizeOf(t) * 8);
    if (op === '<<') return fromScalar(t, x << (n & (bits - 1n)));
    const ux = op === '>>>' ? BigInt.asUintN(Number(bits), x) : x;
    return fromScalar(t, ux >> (n & (bits - 1n)));
  }
  const t = commonType(a.type, b.type);
  if (isFloat(t)) {
    const x = asNum(a), y = asNum(b);
    if (COMPARE.has(op)) return compare(op, x, y);
    switch (op) {
      case '+': return fromScalar(t, x + y);
      case '-': return fromScalar(t, x - y);
      case '*': return fromScalar(t, x * y);
      case '/': return fromScalar(t, x / y);
      case '**': return fromScalar(t, x ** y);
      default: throw new EvalError(`invalid operands to ${op} (floating point)`);
    }
  }
  const bits = sizeOf(t) * 8;
  const norm = (x: bigint) => (isSigned(t) ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x));
  const x = norm(asInt(a)), y = norm(asInt(b));
  if (COMPARE.has(op)) return compare(op, x, y);
  switch (op) {
    case '+': return fromScalar(t, x + y);
    case '-': return fromScalar(t, x - y);
    case '*': return fromScalar(t, x * y);
    case '/': if (y === 0n) throw new EvalError('division by zero'); return fromScalar(t, x / y);
    case '%': if (y === 0n) throw new EvalError('division by zero'); return fromScalar(t, x % y);
    case '&': return fromScalar(t, x & y);
    case '|': return fromScalar(t, x | y);
    case '^': return fromScalar(t, x ^ y);
    case '**': return fromScalar(t, x ** (y < 0n ? 0n : y));
    default: throw new EvalError(`unsupported operator ${op}`);
  }
}

function compare(op: string, x: bigint | number, y: bigint | number): CValue {
  switch (op) {
    case '==': case '===': return bool(x === y);
    case '!=': case '!==': return bool(x !== y);
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    default: return bool(x >= y);
  }
}

export function unary(op: string, v: CValue): CValue {
  const a = decay(v);
  if (op === '!') { const x = scalarOf(a); return bool(typeof x === 'bigint' ? x === 0n : x === 0); }
  if (isFloat(a.type)) {
    if (op === '-') return fromScalar(a.type, -asNum(a));
    if (op === '+') return a;
    throw new EvalError(`invalid operand to ${op} (floating point)`);
  }
  const t = promote(a.type);
  if (op === '-') return fromScalar(t, -asInt(a));
  if (op === '+') return fromScalar(t, asInt(a));
  if (op === '~') return fromScalar(t, ~asInt(a));
  throw new EvalError(`unsupported operator ${op}`);
}

/** Converts a value to `type` as C assignment and casts do. */
export function convert(v: CValue, type: TypeNode): CValue {
  const s = strip(type);
  if (s.kind === 'struct' || s.kind === 'union' || s.kind === 'array') {
    if (sizeOf(v.type) !== sizeOf(type)) throw new EvalError('cannot convert between aggregates of different sizes');
    return { type, bytes: v.bytes };
  }
  const a = decay(v);
  const x = scalarOf(a);
  if (isFloat(type)) return fromScalar(type, Number(x));
  return fromScalar(type, typeof x === 'bigint' ? x : BigInt(Math.trunc(Number.isFinite(x) ? x : 0)));
}
