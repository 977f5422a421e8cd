/**
 * Debugger expressions: JavaScript syntax (after rewrite.ts turns C habits
 * into it) parsed by acorn and evaluated here by walking the tree, with C
 * semantics over source variables and Wasm-level names. Never `eval` or
 * `Function`: the program's state is read and written only through
 * `ExprScope`.
 *
 * Wasm names: `$localN`, `$globalN`, `$stackN` (operand stack, 0 = bottom),
 * `$sp` (global 0, the C stack pointer), `$pc`; typed memory reads
 * `$i8/$u8/$i16/$u16/$i32/$u32/$i64/$u64/$f32/$f64(ADDR)` (assignable).
 *
 * Invariant: evaluation either returns a CValue or throws EvalError with a
 * message for the user; a parsed expression is cached by its text.
 */
import { parseExpressionAt, type Node } from 'acorn';
import { typeName, type TypeNode } from '../dwarf/index.js';
import { C, C_NAMES, EvalError, fromScalar, scalarOf, isPointer, pointerTo, sizeOf, strip, targetOf, truthy, type CValue, type Lvalue } from '../session/values.js';
import { binary, convert, decay, unary } from './arith.js';
import { rewriteC, RewriteError } from './rewrite.js';

export interface ExprScope {
  /** A source variable visible in the selected frame (innermost scope first), then globals; a string says why it has no value. */
  variable(name: string): CValue | string | undefined;
  /** `$local0`, `$global1`, `$sp`, `$pc`, `$stack0`... */
  wasmName(name: string): CValue | undefined;
  /** A C type by name (`int`, `unsigned char`, `struct point`, a typedef). */
  typeNamed(name: string): TypeNode | undefined;
  readMemory(address: number, size: number): Uint8Array;
  /** Stores `bytes` at an lvalue (memory, a Wasm local or global). */
  write(lvalue: Lvalue, bytes: Uint8Array, type: TypeNode): void;
}

type N = Node & Record<string, unknown>;

const parsed = new Map<string, N>();

/** Parses (and caches) an expression; syntax errors are EvalErrors. */
export function parseExpression(src: string, isTypeName: (name: string) => boolean): N {
  const key = src;
  const hit = parsed.get(key);
  if (hit) return hit;
  let js: string;
  try {
    js = rewriteC(src, isTypeName);
  } catch (e) {
    if (e instanceof RewriteError) throw new EvalError(`syntax error: ${e.message}`);
    throw e;
  }
  let node: N;
  try {
    node = parseExpressionAt(js, 0, { ecmaVersion: 2022, preserveParens: true }) as N;
  } catch (e) {
    throw new EvalError(`syntax error: ${(e as Error).message.replace(/ \(\d+:\d+\)$/, '')}`);
  }
  if ((node.end as number) < js.trimEnd().length) throw new EvalError(`syntax error: unexpected ${JSON.stringify(js.slice(node.end as number).trim())}`);
  if (parsed.size > 1000) parsed.clear();
  parsed.set(key, node);
  return node;
}

/** Parses and evaluates `src` in `scope`. */
export function evaluate(src: string, scope: ExprScope): CValue {
  const isType = (n: string) => scope.variable(n) === undefined && scope.typeNamed(n) !== undefined;
  return evalNode(parseExpression(src, isType), scope);
}

const MEM_READS: Record<string, TypeNode> = {
  $i8: C.char, $u8: C.uchar, $i16: C.short, $u16: C.ushort, $i32: C.int, $u32: C.uint,
  $i64: C.llong, $u64: C.ullong, $f32: C.float, $f64: C.double,
};

function load(scope: ExprScope, type: TypeNode, address: number): CValue {
  return { type, bytes: scope.readMemory(address, sizeOf(type)), lvalue: { kind: 'memory', address } };
}

function literal(node: N): CValue {
  const v = node.value;
  if (typeof v === 'bigint') return fromScalar(C.llong, v);
  if (typeof v === 'number') {
    const raw = String(node.raw ?? '');
    if (Number.isInteger(v) && !/[.eE]/.test(raw.replace(/^0[xX].*/, ''))) {
      if (v >= -0x80000000 && v <= 0x7fffffff) return fromScalar(C.int, BigInt(v));
      if (v >= 0 && v <= 0xffffffff) return fromScalar(C.uint, BigInt(v));
      return fromScalar(C.llong, BigInt(v));
    }
    return fromScalar(C.double, v);
  }
  if (typeof v === 'boolean') return fromScalar(C.int, v ? 1n : 0n);
  throw new EvalError(typeof v === 'string' ? 'strings are only allowed as dprintf formats' : 'unsupported literal');
}

function member(base: CValue, name: string, scope: ExprScope): CValue {
  let b = base;
  if (isPointer(b.type)) b = deref(b, scope);
  const s = strip(b.type);
  if (s.kind !== 'struct' && s.kind !== 'class' && s.kind !== 'union') throw new EvalError(`there is no member named ${name} (not a struct or union)`);
  const m = s.members.find((x) => x.name === name);
  if (!m) throw new EvalError(`there is no member named ${name}`);
  const size = sizeOf(m.type);
  const bytes = b.bytes.subarray(m.offset, m.offset + size);
  const lv = b.lvalue?.kind === 'memory' ? { kind: 'memory' as const, address: b.lvalue.address + m.offset } : undefined;
  return lv ? { type: m.type, bytes, lvalue: lv } : { type: m.type, bytes };
}

function deref(v: CValue, scope: ExprScope): CValue {
  const p = decay(v);
  const t = targetOf(p.type);
  if (!t || !isPointer(p.type)) throw new EvalError('attempt to take contents of a non-pointer value');
  if (strip(t).kind === 'void') throw new EvalError('attempt to take contents of a void pointer');
  return load(scope, t, Number(scalarOf(p)));
}

function index(base: CValue, i: CValue, scope: ExprScope): CValue {
  const s = strip(base.type);
  const k = Number(scalarOf(convert(i, C.llong)));
  if (s.kind === 'array' && base.lvalue?.kind !== 'memory') {
    const el = targetOf(s)!;
    const es = sizeOf(el);
    if (k < 0 || (k + 1) * es > base.bytes.length) throw new EvalError(`index ${k} is out of the array's bounds`);
    return { type: el, bytes: base.bytes.subarray(k * es, (k + 1) * es) };
  }
  const p = decay(base);
  if (!isPointer(p.type)) throw new EvalError(`cannot subscript or dereference a value of type ${typeName(p.type)}`);
  return deref(binary('+', p, fromScalar(C.int, BigInt(k))), scope);
}

function assign(op: string, node: N, scope: ExprScope): CValue {
  const target = evalNode(node.left as N, scope);
  if (!target.lvalue) throw new EvalError('left operand of assignment is not an lvalue');
  let value = evalNode(node.right as N, scope);
  if (op !== '=') value = binary(op.slice(0, -1), target, value);
  const out = convert(value, target.type);
  scope.write(target.lvalue, out.bytes, target.type);
  return { type: target.type, bytes: out.bytes, lvalue: target.lvalue };
}

function call(node: N, scope: ExprScope): CValue {
  const callee = node.callee as N;
  const args = node.arguments as N[];
  const name = callee.type === 'Identifier' ? (callee.name as string) : '';
  const str = (n: N | undefined) => (n?.type === 'Literal' && typeof n.value === 'string' ? n.value : undefined);
  const typeArg = () => {
    const text = str(args[0]);
    const t = text !== undefined ? namedType(text, scope) : undefined;
    if (!t) throw new EvalError(`no type named ${JSON.stringify(text)}`);
    return t;
  };
  switch (name) {
    case '__deref': return deref(evalNode(args[0]!, scope), scope);
    case '__addr': {
      const v = evalNode(args[0]!, scope);
      if (v.lvalue?.kind !== 'memory') throw new EvalError(v.lvalue ? 'cannot take the address of a value held in a Wasm local or global' : 'attempt to take address of a value not located in memory');
      return fromScalar(pointerTo(v.type), BigInt(v.lvalue.address));
    }
    case '__cast': return convert(evalNode(args[1]!, scope), typeArg());
    case '__sizeof': return fromScalar(C.ulong, BigInt(sizeOf(typeArg())));
    case '__sizeofv': return fromScalar(C.ulong, BigInt(sizeOf(evalNode(args[0]!, scope).type)));
  }
  const t = MEM_READS[name];
  if (t && args.length === 1) return load(scope, t, Number(scalarOf(convert(evalNode(args[0]!, scope), C.uint))));
  throw new EvalError(`cannot call ${name || 'that'}: only $i8..$f64(ADDR) and casts are functions here`);
}

/** A type by its C spelling: base name or typedef or `struct NAME`, then `*`s. */
export function namedType(text: string, scope: ExprScope): TypeNode | undefined {
  const m = /^(.*?)\s*(\**)$/.exec(text.trim())!;
  const name = m[1]!.replace(/\s+/g, ' ');
  let t = C_NAMES[name] ?? scope.typeNamed(name);
  if (!t) return undefined;
  for (let i = 0; i < m[2]!.length; i++) t = pointerTo(t);
  return t;
}

export function evalNode(node: N, scope: ExprScope): CValue {
  switch (node.type) {
    case 'Identifier': {
      const name = node.name as string;
      if (name.startsWith('$')) {
        const w = scope.wasmName(name);
        if (w) return w;
        throw new EvalError(`no Wasm name ${name} (try $local0, $global0, $stack0, $sp, $pc)`);
      }
      const v = scope.variable(name);
      if (v === undefined) throw new EvalError(`no symbol "${name}" in current context`);
      if (typeof v === 'string') throw new EvalError(`${name} has no value here: ${v}`);
      return v;
    }
    case 'Literal': return literal(node);
    case 'ParenthesizedExpression': return evalNode(node.expression as N, scope);
    case 'MemberExpression': {
      const base = evalNode(node.object as N, scope);
      if (node.computed) return index(base, evalNode(node.property as N, scope), scope);
      return member(base, (node.property as N).name as string, scope);
    }
    case 'UnaryExpression': return unary(node.operator as string, evalNode(node.argument as N, scope));
    case 'BinaryExpression': return binary(node.operator as string, evalNode(node.left as N, scope), evalNode(node.right as N, scope));
    case 'LogicalExpression': {
      const l = truthy(decay(evalNode(node.left as N, scope)));
      const op = node.operator as string;
      if (op === '&&' && !l) return fromScalar(C.int, 0n);
      if (op === '||' && l) return fromScalar(C.int, 1n);
      return fromScalar(C.int, truthy(decay(evalNode(node.right as N, scope))) ? 1n : 0n);
    }
    case 'ConditionalExpression':
      return evalNode((truthy(decay(evalNode(node.test as N, scope))) ? node.consequent : node.alternate) as N, scope);
    case 'AssignmentExpression': return assign(node.operator as string, node, scope);
    case 'UpdateExpression': {
      const one = fromScalar(C.int, 1n);
      const target = evalNode(node.argument as N, scope);
      const before = { ...target };
      const after = assign('=', { type: 'AssignmentExpression', operator: '=', left: node.argument, right: { type: '__value', value: binary(node.operator === '++' ? '+' : '-', target, one) } } as unknown as N, scope);
      return node.prefix ? after : before;
    }
    case '__value': return node.value as CValue;
    case 'CallExpression': return call(node, scope);
    case 'SequenceExpression': { let last: CValue | undefined; for (const e of node.expressions as N[]) last = evalNode(e, scope); return last!; }
    default: throw new EvalError(`unsupported expression (${node.type})`);
  }
}
