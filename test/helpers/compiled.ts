/**
 * One function compiled to JavaScript (native code, no instance around it)
 * for tests of the emitter's arithmetic: the body of a module with a single
 * function of the given parameters and an i64 result, callable with BigInts.
 */
import { decode, validate, instantiate } from '../../interpreter/index.js';
import { compile, loadCompiled } from '../../compiler/index.js';
import { T, funcsModule } from './wasm-builder.js';

export function compiledI64(body: number[], params: number[]): (...args: bigint[]) => bigint {
  const m = decode(funcsModule([{ type: [params, [T.i64]], body }]));
  validate(m);
  const code = loadCompiled(compile(m).js, instantiate(m, {}, { runStart: false }));
  return (...args) => code.C[0]!(...(args as never[])) as bigint;
}
