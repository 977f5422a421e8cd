/**
 * Pass 1, check-features: rejects what compiled JavaScript cannot run before
 * any code is generated, so the error names the first offending place
 * instead of failing halfway through emission.
 *
 * Why first: SIMD (v128) has no JavaScript representation in this compiler;
 * a module using it runs in debug mode (the interpreter) instead.
 */
import type { Module } from '../../interpreter/core.js';
import { UnsupportedError } from '../emit/handlers.js';

export function checkFeatures(module: Module): void {
  module.types.forEach((t, i) => {
    if ([...t.params, ...t.results].includes('v128')) {
      throw new UnsupportedError(`v128 values are not supported by the AOT compiler (in type ${i}); run this module in debug mode`);
    }
  });
  module.globalTypes.forEach((g, i) => {
    if (g.type === 'v128') throw new UnsupportedError(`v128 values are not supported by the AOT compiler (in global ${i}); run this module in debug mode`);
  });
  module.funcs.forEach((f, k) => {
    if (f.locals.includes('v128')) {
      throw new UnsupportedError(
        `v128 values are not supported by the AOT compiler (in func ${module.importedFuncCount + k}, at offset 0x${f.localsOffset.toString(16)}); run this module in debug mode`,
      );
    }
  });
}
