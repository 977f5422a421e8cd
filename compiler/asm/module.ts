/**
 * The module text's asm.js part (emit-module.ts adds it when a function has
 * regions): one asm.js module holding every region, and `asmNow()`, which
 * links it to memory 0's current buffer once per memory generation:
 *
 *   let AM = null, AG = -1;
 *   function asmNow() { if (AG !== M0.generation) { AM = asmLink(asmModule, [4, 12]); AG = M0.generation; } return AM; }
 *   function asmModule(stdlib, foreign, heap) {
 *    "use asm";
 *    var F32 = new stdlib.Float32Array(heap); …       // views, Math, the foreign T / LD / ST
 *    var m4 = foreign.m4|0; var m12 = foreign.m12|0;  // memory length − (offset + size): memory.ts
 *    var oi0 = 0; var of0 = fround(0); …              // the regions' written locals
 *    function r0_0(l0, l9) { … }                      // the regions (regions.ts)
 *    function gf(k) { k = k|0; switch (k|0) { case 0: return +of0; … } return 0.0; }
 *    return { r0_0: r0_0, gf: gf };
 *   }
 *
 * `asmNow()` is null when the buffer cannot be an asm.js heap (link.ts):
 * the regions' JavaScript runs instead. Relinking after growth is what keeps
 * the views valid (memory grows by a new buffer); no region can grow memory
 * while it runs, since regions make no calls.
 */
import { asmLetter, asmZero, type AsmType } from './emitter.js';
import { outputName, type AsmRegion } from './regions.js';

const VIEWS = ['Int8Array I8', 'Uint8Array U8', 'Int16Array I16', 'Uint16Array U16', 'Int32Array I32', 'Float32Array F32', 'Float64Array F64'];
const MATH = ['fround', 'imul', 'clz32', 'sqrt', 'abs', 'ceil', 'floor'];
/** How a getter returns an output of each type (an f32 as a double: exports return int or double), and its default. */
const GETTER: Record<AsmType, { ret: (v: string) => string; none: string }> = {
  i32: { ret: (v) => `${v}|0`, none: '0' },
  f32: { ret: (v) => `+${v}`, none: '0.0' },
  f64: { ret: (v) => `+${v}`, none: '0.0' },
};

/** The getter that returns a region's k-th output of type t (`gi`, `gf`, `gd`; emit-function.ts reads outputs with it). */
export function outputGetter(t: AsmType): string {
  return `g${asmLetter(t)}`;
}

/** The asm.js module and its linker, as lines with their code offsets (-1: none). */
export function asmModuleText(regions: readonly AsmRegion[]): { lines: string[]; offsets: number[] } {
  const lines: string[] = [];
  const offsets: number[] = [];
  const add = (line: string, offset = -1): void => {
    lines.push(line);
    offsets.push(offset);
  };
  const limits = [...new Set(regions.flatMap((r) => r.limits))].sort((a, b) => a - b);
  const outputs: Record<AsmType, number> = { i32: 0, f32: 0, f64: 0 };
  for (const r of regions) for (const o of r.outputs) outputs[o.type] = Math.max(outputs[o.type], o.index + 1);
  add('let AM = null, AG = -1;');
  add(`function asmNow() { if (AG !== M0.generation) { AM = asmLink(asmModule, [${limits.join(', ')}]); AG = M0.generation; } return AM; }`);
  add('function asmModule(stdlib, foreign, heap) {');
  add(' "use asm";');
  for (const v of VIEWS) {
    const [type, name] = v.split(' ');
    add(` var ${name} = new stdlib.${type}(heap);`);
  }
  for (const m of MATH) add(` var ${m} = stdlib.Math.${m};`);
  add(' var Inf = stdlib.Infinity;');
  for (const f of ['T', 'LD', 'ST']) add(` var ${f} = foreign.${f};`);
  add(' var msz = foreign.msz|0;');
  for (const k of limits) add(` var m${k} = foreign.m${k}|0;`);
  for (const t of ['i32', 'f32', 'f64'] as const) for (let k = 0; k < outputs[t]; k++) add(` var ${outputName(t, k)} = ${asmZero(t)};`);
  for (const r of regions) {
    const code = r.code.split('\n');
    code.forEach((line, k) => add(line, r.offsets[k]));
  }
  const exports = regions.map((r) => `${r.name}: ${r.name}`);
  for (const t of ['i32', 'f32', 'f64'] as const) {
    if (outputs[t] === 0) continue;
    const g = GETTER[t], name = outputGetter(t);
    const cases = Array.from({ length: outputs[t] }, (_, k) => `case ${k}: return ${g.ret(outputName(t, k))};`);
    add(` function ${name}(k) { k = k|0; switch (k|0) { ${cases.join(' ')} } return ${g.none}; }`);
    exports.push(`${name}: ${name}`);
  }
  add(` return { ${exports.join(', ')} };`);
  add('}');
  return { lines, offsets };
}
