/**
 * Conditions over Wasm-level names (`$local3 == 17 && $pc != 0x1f3`)
 * compiled once into closures over the stopped frame: a breakpoint inside a
 * hot loop evaluates its condition at every hit, and the tree-walking
 * evaluator (C types, byte buffers) costs microseconds each time. This is
 * still the debugger evaluating the expression itself (no eval/Function):
 * the closures are built from the acorn tree.
 *
 * Invariant: only a subset whose meaning is the same as the general
 * evaluator's is compiled (Wasm names, integer literals, comparisons,
 * logical operators, i32 + - * & | ^); anything else returns undefined and
 * the caller falls back to `evaluate`.
 */
import type { Value } from '../../interpreter/index.js';
import { parseExpression } from './eval.js';

export interface FastFrame {
  pc(): number;
  local(index: number): Value;
  global(index: number): Value;
}

type Fn = (f: FastFrame) => number | bigint;
type N = { type: string; [k: string]: unknown };

const isInt32 = (v: number | bigint): v is number => typeof v === 'number' && (v | 0) === v;

function compile(n: N): Fn | undefined {
  switch (n.type) {
    case 'ParenthesizedExpression': return compile(n.expression as N);
    case 'Literal': {
      const v = n.value;
      if (typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0xffffffff) { const k = v; return () => k; }
      if (typeof v === 'bigint') { const k = v; return () => k; }
      return undefined;
    }
    case 'Identifier': {
      const name = n.name as string;
      if (name === '$pc') return (f) => f.pc();
      let m = /^\$local(\d+)$/.exec(name);
      if (m) { const i = Number(m[1]); return (f) => f.local(i) as number | bigint; }
      m = /^\$global(\d+)$/.exec(name);
      if (m) { const i = Number(m[1]); return (f) => f.global(i) as number | bigint; }
      return undefined;
    }
    case 'UnaryExpression': {
      const a = compile(n.argument as N);
      if (!a) return undefined;
      if (n.operator === '!') return (f) => (a(f) == 0 ? 1 : 0); // eslint-disable-line eqeqeq
      if (n.operator === '-') return (f) => { const x = a(f); return isInt32(x) ? -x | 0 : typeof x === 'bigint' ? BigInt.asIntN(64, -x) : -x; };
      return undefined;
    }
    case 'LogicalExpression': {
      const a = compile(n.left as N), b = compile(n.right as N);
      if (!a || !b) return undefined;
      if (n.operator === '&&') return (f) => (a(f) != 0 && b(f) != 0 ? 1 : 0); // eslint-disable-line eqeqeq
      if (n.operator === '||') return (f) => (a(f) != 0 || b(f) != 0 ? 1 : 0); // eslint-disable-line eqeqeq
      return undefined;
    }
    case 'BinaryExpression': {
      const a = compile(n.left as N), b = compile(n.right as N);
      if (!a || !b) return undefined;
      switch (n.operator) {
        // Loose equality compares a BigInt with a number by value, as C's conversions would.
        case '==': case '===': return (f) => (a(f) == b(f) ? 1 : 0); // eslint-disable-line eqeqeq
        case '!=': case '!==': return (f) => (a(f) != b(f) ? 1 : 0); // eslint-disable-line eqeqeq
        case '<': return (f) => (a(f) < b(f) ? 1 : 0);
        case '<=': return (f) => (a(f) <= b(f) ? 1 : 0);
        case '>': return (f) => (a(f) > b(f) ? 1 : 0);
        case '>=': return (f) => (a(f) >= b(f) ? 1 : 0);
        case '+': return int32(a, b, (x, y) => (x + y) | 0);
        case '-': return int32(a, b, (x, y) => (x - y) | 0);
        case '*': return int32(a, b, (x, y) => Math.imul(x, y));
        case '&': return int32(a, b, (x, y) => x & y);
        case '|': return int32(a, b, (x, y) => x | y);
        case '^': return int32(a, b, (x, y) => x ^ y);
        default: return undefined;
      }
    }
    default: return undefined;
  }
}

/** An i32 operation; a non-i32 operand makes the whole condition fall back (signalled by NaN → general path). */
function int32(a: Fn, b: Fn, op: (x: number, y: number) => number): Fn {
  return (f) => {
    const x = a(f), y = b(f);
    if (!isInt32(x) || !isInt32(y)) throw new FallBack();
    return op(x, y);
  };
}

/** Thrown when a compiled condition meets values outside its subset: evaluate the general way. */
export class FallBack extends Error {}

/** A compiled condition (true: stop), or undefined when the expression needs the general evaluator. */
export function compileCondition(src: string): ((f: FastFrame) => boolean) | undefined {
  let tree: N;
  try {
    tree = parseExpression(src, () => false) as unknown as N;
  } catch {
    return undefined;
  }
  const fn = compile(tree);
  if (!fn) return undefined;
  return (f) => fn(f) != 0; // eslint-disable-line eqeqeq
}
