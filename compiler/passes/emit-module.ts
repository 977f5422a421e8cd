/**
 * Pass 4, emit-module: the final module text, the body of a strict-mode
 * factory `function (env)` that returns the compiled functions:
 *
 *   'use strict';
 *   const { inst, trap, N, fround, … } = env;     // everything it may touch
 *   const M0 = inst.mems[0];
 *   const V = new (class { … })(M0);              // memory 0's views: V.dv, V.len, V.gen
 *   function refresh() { … }                     // re-reads the views after growth
 *   const G0 = inst.globals[0], g1 = inst.globals[1].value, T0 = …, FI = inst.funcs;
 *   let H = 0; const R = [];                     // i64 high half / multi-value results
 *   function i64mul(a, ah, b, bh) { … }          // i64 helpers used (emit/i64-support.ts)
 *   function x4(f, a0) { … }                     // call of a non-compiled function of type 4
 *   function ci0_4(i, off, fi, a0) { … }         // call_indirect through table 0, type 4
 *   function asmModule(stdlib, foreign, heap) { "use asm"; … }   // the f32 loops' asm.js (asm/module.ts)
 *   function f5(…) { … }                         // the functions (pass 3)
 *   function c5(…) { … }                         // canonical entry: BigInt i64, views checked
 *   return { FN, C };
 *
 * Why a factory over `env`: the generated code can reach its instance state
 * and the imports it was given and nothing else: every name it uses is
 * declared here from `env`, and nothing from the module's names (exports,
 * imports, name section) is ever written into the text (security, issue 3).
 */
import type { FuncType, Module, ValType } from '../../interpreter/core.js';
import type { FuncCode } from './emit-function.js';
import { i64Support } from '../emit/i64-support.js';
import { asmModuleText } from '../asm/index.js';

/** The module text, and per line the code offset it came from (-1: none). */
export interface ModuleText {
  /** The text in pieces to be joined by '\n': a line each, or a whole function's code (several lines). */
  readonly pieces: string[];
  /** One per line of the text (not per piece). */
  readonly offsets: number[];
}

/** Everything the factory destructures from `env` (see link/env.ts, which must provide each). */
export const ENV_NAMES = [
  'inst', 'trap', 'N', 'fround', 'imul', 'clz32', 'Math_ceil', 'Math_floor', 'Math_trunc', 'Math_sqrt', 'Math_min', 'Math_max',
  'abs32', 'abs64', 'ceil64', 'floor64', 'trunc64f', 'nearest64', 'copysign32', 'copysign64', 'f32Bits', 'f32FromBits', 'f64Lo', 'f64Hi', 'f64FromBits',
  'lo64', 'hi64', 'big', 'trunc64', 'callFunc', 'sigOf', 'exhaustion', 'asmLink',
  'memoryInit', 'dataDrop', 'memoryCopy', 'memoryFill', 'tableFill', 'tableCopy', 'tableInit', 'elemDrop',
  'UNREACHABLE', 'DIV_ZERO', 'INT_OVERFLOW', 'INVALID_CONVERSION', 'OOB_MEMORY', 'OOB_TABLE',
  'UNDEFINED_ELEMENT', 'UNINITIALIZED_ELEMENT', 'INDIRECT_MISMATCH',
] as const;

class Text implements ModuleText {
  readonly pieces: string[] = [];
  readonly offsets: number[] = [];
  add(line: string, offset = -1): void {
    this.pieces.push(line);
    this.offsets.push(offset);
  }
  /** A function's code: one piece, an offset per line. */
  addFunction(f: FuncCode): void {
    this.pieces.push(f.code);
    for (let i = 0; i < f.offsets.length; i++) this.offsets.push(f.offsets[i]!);
  }
}

/** Parameter names of the internal convention for a type: a0, a1, a1h, … */
function internalParams(t: FuncType): string[] {
  const out: string[] = [];
  t.params.forEach((p, i) => {
    out.push(`a${i}`);
    if (p === 'i64') out.push(`a${i}h`);
  });
  return out;
}

/** Canonical values (BigInt for i64) from internal ones. */
function canonicalArgs(t: FuncType): string[] {
  return t.params.map((p, i) => (p === 'i64' ? `big(a${i}, a${i}h)` : `a${i}`));
}

/** Statements returning canonical result `r` in the internal convention. */
function internalResults(results: readonly ValType[], r: string): string[] {
  if (results.length === 0) return [];
  if (results.length === 1) return results[0] === 'i64' ? [`H = hi64(${r});`, `return lo64(${r});`] : [`return ${r};`];
  const out: string[] = [];
  let k = 0;
  results.forEach((t, i) => {
    if (t === 'i64') {
      out.push(`R[${k++}] = lo64(${r}[${i}]);`, `R[${k++}] = hi64(${r}[${i}]);`);
    } else out.push(`R[${k++}] = ${r}[${i}];`);
  });
  return out;
}

function prologue(text: Text, module: Module): void {
  text.add("'use strict';");
  text.add(`const { ${ENV_NAMES.join(', ')} } = env;`);
  text.add('const FI = inst.funcs, TI = inst.tables, TYPES = inst.module.types;');
  if (module.mems.length > 0) {
    text.add('const M0 = inst.mems[0];');
    text.add('const V = new (class { constructor(m) { this.dv = m.dv; this.len = m.u8.length; this.gen = m.generation; } })(M0);');
    text.add('function refresh() { V.dv = M0.dv; V.len = M0.u8.length; V.gen = M0.generation; }');
  }
  module.globalTypes.forEach((g, i) => {
    if (g.mutable) text.add(`const G${i} = inst.globals[${i}];`);
    else if (g.type === 'i64') text.add(`const g${i} = lo64(inst.globals[${i}].value), g${i}h = hi64(inst.globals[${i}].value);`);
    else text.add(`const g${i} = inst.globals[${i}].value;`);
  });
  module.tables.forEach((_, i) => text.add(`const T${i} = TI[${i}].elements;`));
  text.add('let H = 0;');
  text.add('const R = [];');
  text.add('const FN = [];');
  text.add('const SIG = FI.map((f) => sigOf(f.type));');
}

/** `x<type>`: calls any FuncInstance (host, other instance, interpreter) with canonical values. */
function adapter(text: Text, module: Module, typeIndex: number): void {
  const t = module.types[typeIndex]!;
  text.add(`function x${typeIndex}(${['f', ...internalParams(t)].join(', ')}) {`);
  text.add(`  const r = callFunc(f, [${canonicalArgs(t).join(', ')}]);`);
  if (module.mems.length > 0) text.add('  if (M0.generation !== V.gen) refresh();');
  for (const s of internalResults(t.results, 'r')) text.add('  ' + s);
  text.add('}');
}

/** `ci<table>_<type>`: call_indirect's element checks, then a direct call when the callee is ours. */
function dispatcher(text: Text, module: Module, key: string): void {
  const [table, typeIndex] = key.split('_').map(Number) as [number, number];
  const ps = internalParams(module.types[typeIndex]!);
  text.add(`function ci${key}(${['i', 'off', 'fi', ...ps].join(', ')}) {`);
  text.add(`  if ((i >>> 0) >= T${table}.length) throw trap(UNDEFINED_ELEMENT + ' ' + (i >>> 0), off, fi);`);
  text.add(`  const f = T${table}[i >>> 0];`);
  text.add("  if (f == null) throw trap(UNINITIALIZED_ELEMENT + ' ' + (i >>> 0), off, fi);");
  text.add('  if (f.instance === inst) {');
  text.add(`    if (SIG[f.index] !== S${typeIndex}) throw trap(INDIRECT_MISMATCH, off, fi);`);
  text.add(`    return FN[f.index](${ps.join(', ')});`);
  text.add('  }');
  text.add(`  if (sigOf(f.type) !== S${typeIndex}) throw trap(INDIRECT_MISMATCH, off, fi);`);
  text.add(`  return x${typeIndex}(${['f', ...ps].join(', ')});`);
  text.add('}');
}

/**
 * `c<func>`: the canonical entry the runtime calls (exports, tables, the
 * interpreter). With checkpoints it owns the unwinding chain (passes/checkpoints.ts):
 * it marks the captures list on entry and, when the body returned with P[0] === 2,
 * `DE.f(mark)` deopts the captures added since and returns the interpreter's results.
 */
function canonicalEntry(text: Text, module: Module, funcIndex: number, checkpoints: boolean): void {
  const t = module.types[module.funcTypes[funcIndex]!]!;
  const params = t.params.map((_, i) => `a${i}`);
  const args: string[] = [];
  t.params.forEach((p, i) => {
    if (p === 'i64') args.push(`lo64(a${i})`, `hi64(a${i})`);
    else args.push(`a${i}`);
  });
  text.add(`function c${funcIndex}(${params.join(', ')}) {`);
  if (module.mems.length > 0) text.add('  if (M0.generation !== V.gen) refresh();');
  if (checkpoints) text.add('  const m = DE.m();');
  text.add('  try {');
  const call = `f${funcIndex}(${args.join(', ')})`;
  const unwound = '    if (P[0] === 2) return DE.f(m);';
  const rs = t.results;
  if (rs.length === 0) {
    text.add(`    ${call};`);
    if (checkpoints) text.add(unwound);
  } else if (rs.length === 1) {
    if (rs[0] !== 'i64' && !checkpoints) text.add(`    return ${call};`);
    else {
      text.add(`    const r = ${call};`);
      if (checkpoints) text.add(unwound);
      text.add(rs[0] === 'i64' ? '    return big(r, H);' : '    return r;');
    }
  } else {
    text.add(`    ${call};`);
    if (checkpoints) text.add(unwound);
    let k = 0;
    const vals = rs.map((r) => (r === 'i64' ? `big(R[${k++}], R[${k++}])` : `R[${k++}]`));
    text.add(`    return [${vals.join(', ')}];`);
  }
  text.add('  } catch (e) {');
  text.add(checkpoints ? '    throw exhaustion(DE.x(m, e));' : '    throw exhaustion(e);');
  text.add('  }');
  text.add('}');
}

/** `checkpoints`: the functions were emitted with checkpoints (the factory then also takes `P` and `DE` from env). */
export function emitModule(module: Module, funcs: readonly FuncCode[], checkpoints = false): ModuleText {
  const text = new Text();
  prologue(text, module);
  if (checkpoints) text.add('const { P, DE } = env;');
  const adapters = new Set<number>();
  const indirect = new Set<string>();
  const support = new Set<string>();
  for (const f of funcs) f.support.forEach((h) => support.add(h));
  for (const line of i64Support(support)) text.add(line);
  for (const f of funcs) {
    for (const c of f.constants) text.add(`const ${c};`);
    f.adapters.forEach((a) => adapters.add(a));
    f.indirect.forEach((k) => indirect.add(k));
  }
  for (const a of [...adapters].sort((x, y) => x - y)) adapter(text, module, a);
  const regions = funcs.flatMap((f) => f.asm ?? []);
  if (regions.length > 0) {
    const asm = asmModuleText(regions);
    asm.lines.forEach((line, k) => text.add(line, asm.offsets[k]));
  }
  for (const t of new Set([...indirect].map((k) => Number(k.split('_')[1])))) text.add(`const S${t} = sigOf(TYPES[${t}]);`);
  for (const k of [...indirect].sort()) dispatcher(text, module, k);
  for (const f of funcs) {
    text.addFunction(f);
    text.add(`FN[${f.funcIndex}] = f${f.funcIndex};`);
  }
  const entries: string[] = [];
  for (const f of funcs) {
    canonicalEntry(text, module, f.funcIndex, checkpoints);
    entries.push(`C[${f.funcIndex}] = c${f.funcIndex};`);
  }
  text.add('const C = [];');
  for (const e of entries) text.add(e);
  text.add('return { FN, C };');
  return text;
}
