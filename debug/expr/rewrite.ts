/**
 * The C forms people type by habit, rewritten into JavaScript that acorn
 * parses, before parsing: `p->x` → `p.x`, `*p` → `(p)[0]`, `&x` →
 * `__addr(x)`, `(T)x` → `__cast("T", x)`, `sizeof(T)` → `__sizeof("T")`,
 * `'a'` → `97`, and C integer suffixes as casts (`10u` → `__cast("unsigned int", 10)`).
 *
 * It works on tokens, alternating operand / operator, so `a * *p` and
 * `a & &b` are told apart from multiplication and bitwise and, and the operand
 * of a prefix operator extends over its postfix operations (`*p.x` is
 * `*(p.x)`, as in C). Invariant: text that is already JavaScript passes
 * through unchanged; anything unbalanced is left for acorn to report.
 */

export class RewriteError extends Error {
  override readonly name = 'RewriteError';
}

interface Tok { t: 'id' | 'num' | 'str' | 'chr' | 'punct'; v: string }

const PUNCT = ['>>>=', '<<=', '>>=', '>>>', '===', '!==', '->', '&&', '||', '==', '!=', '<=', '>=', '<<', '>>', '++', '--',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '??'];

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] }); i += m[0].length; continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)([uUlLfFn]*)/.exec(src.slice(i))!;
      const suffix = (m[4] ?? '').toLowerCase();
      // C suffixes choose the literal's type (10u is unsigned, 1LL long long); a JavaScript BigInt `n` stays.
      const isFloat = /[.eE]/.test(m[1]!) && !/^0[xX]/.test(m[1]!);
      const type = isFloat || suffix.includes('n') ? undefined
        : suffix.includes('ll') ? (suffix.includes('u') ? 'unsigned long long' : 'long long')
        : suffix.includes('u') ? 'unsigned int' : undefined;
      const v = m[1]! + (suffix.includes('n') ? 'n' : '');
      out.push({ t: 'num', v: type ? `__cast(${JSON.stringify(type)}, ${v})` : v }); i += m[0].length; continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new RewriteError(`unterminated ${c === '"' ? 'string' : 'character'} literal at column ${i + 1}`);
      const body = src.slice(i, j + 1);
      out.push({ t: c === '"' ? 'str' : 'chr', v: body }); i = j + 1; continue;
    }
    const p = PUNCT.find((q) => src.startsWith(q, i)) ?? c;
    out.push({ t: 'punct', v: p }); i += p.length;
  }
  return out;
}

const TYPE_WORDS = new Set(['struct', 'union', 'enum', 'unsigned', 'signed', 'int', 'char', 'short', 'long', 'float', 'double', 'void', 'const', 'volatile', '_Bool', 'bool']);
const PREFIX = new Set(['-', '+', '!', '~', '++', '--']);

/** The character code of a C character literal ('a', '\n', '\0', '\x41'). */
function charCode(lit: string): number {
  const body = lit.slice(1, -1);
  if (!body.startsWith('\\')) return body.codePointAt(0) ?? 0;
  const e = body.slice(1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };
  if (/^x[0-9a-f]+$/i.test(e)) return parseInt(e.slice(1), 16);
  if (/^[0-7]{1,3}$/.test(e)) return parseInt(e, 8);
  return simple[e] ?? e.charCodeAt(0);
}

class Rewriter {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly isTypeName: (name: string) => boolean) {}

  private peek(k = 0): Tok | undefined { return this.toks[this.i + k]; }
  private is(v: string, k = 0): boolean { const t = this.peek(k); return t !== undefined && t.t !== 'str' && t.t !== 'chr' && t.v === v; }

  /** operand (operator operand)* up to an unmatched closer or the end. */
  expr(): string {
    let out = this.operand();
    for (;;) {
      const t = this.peek();
      if (t === undefined || this.is(')') || this.is(']')) return out;
      if (t.t !== 'punct') throw new RewriteError(`unexpected ${JSON.stringify(t.v)}`);
      this.i++;
      out += ` ${t.v} ` + this.operand();
    }
  }

  /** When `(` at the cursor opens a type name followed by an operand: the type's text. */
  private castType(): { text: string; end: number } | undefined {
    if (!this.is('(')) return undefined;
    const words: string[] = [];
    let j = this.i + 1;
    for (; j < this.toks.length && !(this.toks[j]!.t === 'punct' && this.toks[j]!.v === ')'); j++) {
      const t = this.toks[j]!;
      if (t.t === 'id' || (t.t === 'punct' && t.v === '*')) words.push(t.v); else return undefined;
    }
    if (j >= this.toks.length || words.length === 0) return undefined;
    const first = words[0]!;
    if (!TYPE_WORDS.has(first) && !this.isTypeName(first)) return undefined;
    const next = this.toks[j + 1];
    const text = words.join(' ').replace(/ \*/g, ' *').replace(/\* /g, '*');
    if (first === 'sizeof') return undefined;
    if (next === undefined || (next.t === 'punct' && !['(', '*', '&', '-', '+', '!', '~'].includes(next.v))) return { text, end: -1 };
    return { text, end: j + 1 };
  }

  operand(): string {
    const t = this.peek();
    if (t === undefined) throw new RewriteError('expression ends where a value was expected');
    // `*p` is `p[0]` in C, and stays assignable in JavaScript (`set var *p = 1`).
    if (t.t === 'punct' && t.v === '*') { this.i++; return `(${this.operand()})[0]`; }
    if (t.t === 'punct' && t.v === '&') { this.i++; return `__addr(${this.operand()})`; }
    if (t.t === 'punct' && t.v === '&&') { this.i++; return `__addr(__addr(${this.operand()}))`; }
    if (t.t === 'punct' && PREFIX.has(t.v)) { this.i++; return t.v + ' ' + this.operand(); }
    if (t.t === 'id' && t.v === 'sizeof') {
      this.i++;
      const cast = this.castType();
      if (cast) { this.i = cast.end < 0 ? this.toks.findIndex((x, k) => k > this.i && x.v === ')') + 1 : cast.end; return `__sizeof(${JSON.stringify(cast.text)})`; }
      return `__sizeofv(${this.operand()})`;
    }
    const cast = this.castType();
    if (cast && cast.end >= 0) { this.i = cast.end; return `__cast(${JSON.stringify(cast.text)}, ${this.operand()})`; }
    return this.postfix(this.primary());
  }

  private primary(): string {
    const t = this.peek()!;
    this.i++;
    if (t.t === 'chr') return String(charCode(t.v));
    if (t.t !== 'punct') return t.v;
    if (t.v === '(') {
      const inner = this.expr();
      if (!this.is(')')) throw new RewriteError('missing )');
      this.i++;
      return `(${inner})`;
    }
    throw new RewriteError(`unexpected ${JSON.stringify(t.v)}`);
  }

  private postfix(base: string): string {
    for (;;) {
      if (this.is('[')) { this.i++; const inner = this.expr(); if (!this.is(']')) throw new RewriteError('missing ]'); this.i++; base += `[${inner}]`; continue; }
      if (this.is('(')) {
        this.i++;
        const args: string[] = [];
        if (!this.is(')')) {
          for (;;) {
            args.push(this.assignmentLevel());
            if (this.is(',')) { this.i++; continue; }
            break;
          }
        }
        if (!this.is(')')) throw new RewriteError('missing )');
        this.i++;
        base += `(${args.join(', ')})`;
        continue;
      }
      if ((this.is('.') || this.is('->')) && this.peek(1)?.t === 'id') { base += '.' + this.peek(1)!.v; this.i += 2; continue; }
      if (this.is('++') || this.is('--')) { base += this.peek()!.v; this.i++; continue; }
      return base;
    }
  }

  /** One call argument: an expression that stops at a top-level comma. */
  private assignmentLevel(): string {
    let out = this.operand();
    for (;;) {
      const t = this.peek();
      if (t === undefined || this.is(')') || this.is(']') || this.is(',')) return out;
      if (t.t !== 'punct') throw new RewriteError(`unexpected ${JSON.stringify(t.v)}`);
      this.i++;
      out += ` ${t.v} ` + this.operand();
    }
  }

  done(): boolean { return this.i >= this.toks.length; }
  rest(): string { return this.toks.slice(this.i).map((t) => t.v).join(' '); }
}

/** Rewrites C habits into JavaScript; `isTypeName` tells typedef names from variables (for casts). */
export function rewriteC(src: string, isTypeName: (name: string) => boolean = () => false): string {
  const r = new Rewriter(tokenize(src), isTypeName);
  const out = r.expr();
  if (!r.done()) throw new RewriteError(`unexpected ${JSON.stringify(r.rest())}`);
  return out;
}
