/**
 * asm.js regions: the loops of native code that compute in f32 run as asm.js.
 *
 * Why: V8 has no single-precision arithmetic for JavaScript. `Math.fround(a * b)`
 * compiles to a conversion to double, the multiply, and a conversion back,
 * for every operation; f32-heavy code (nbody) ran 4x slower than V8's
 * WebAssembly, like binaryen's wasm2js. V8 still validates asm.js and
 * compiles it through its WebAssembly pipeline, where `fround(a * b)` over
 * float-typed values is one single-precision instruction.
 *
 * So a loop nest of i32/f32/f64 code over locals and memory 0 (regions.ts)
 * becomes an asm.js function of the locals it uses (emitter.ts, ops.ts),
 * gathered into one asm.js module per compiled module (module.ts), linked
 * to memory 0's buffer (link.ts) and called in the block's place
 * (passes/emit-function.ts). The block's JavaScript stays behind it, for a
 * memory size asm.js cannot take as its heap.
 */
export { asmRegions, translate, type AsmLocal, type AsmOutput, type AsmRegion } from './regions.js';
export { asmModuleText, outputGetter } from './module.js';
export { asmLink, isAsmHeapSize } from './link.js';
export { NotAsm } from './emitter.js';
