/**
 * debug/expr: debugger expressions (C habits rewritten to JavaScript syntax,
 * parsed with acorn, evaluated with C semantics by walking the tree).
 */
export { evaluate, parseExpression, namedType, evalNode } from './eval.js';
export type { ExprScope } from './eval.js';
export { rewriteC, tokenize, RewriteError } from './rewrite.js';
