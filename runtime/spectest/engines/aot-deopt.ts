/**
 * The AOT compiler with forced deopts as a spec-runner engine (`aot-deopt`):
 * every module is compiled with deopt checkpoints (compiler/passes/
 * checkpoints.ts) and instantiated with `deoptEvery: N`, so every Nth
 * checkpoint reached unwinds the compiled frames into the interpreter, which
 * finishes the call (runtime/api/deopt-entry.ts). Results must equal `aot`'s.
 * N is 1 unless `WASMFLIP_DEOPT_EVERY` (or `createAotDeoptEngine(n)`) says.
 *
 * Invariant: values cross exactly as in the `aot` engine (f32 / f64 as bit
 * patterns; arguments in a generic array so no signalling NaN is silenced).
 */
import type { ImportResolver, Value } from '../../../interpreter/index.js';
import { callFunc } from '../../../compiler/index.js';
import { WasmflipModule } from '../../api/module.js';
import { instantiateModule } from '../../api/instance.js';
import { registerEngine, type BitsValue, type EngineInstance, type SpecEngine } from '../engine.js';
import { InstanceExports } from '../instance-exports.js';
import { createAotEngine, toBits, toCanonical } from './aot.js';

class DeoptInstance extends InstanceExports {
  invoke(name: string, args: readonly BitsValue[]): BitsValue[] {
    const f = this.func(name, args);
    const { params, results } = f.type;
    const canonical: Value[] = [null];
    canonical.pop();
    args.forEach((a, i) => canonical.push(toCanonical(params[i]!, a)));
    const r = callFunc(f, canonical);
    if (results.length === 0) return [];
    if (results.length === 1) return [toBits(results[0]!, r)];
    return (r as unknown[]).map((v, i) => toBits(results[i]!, v));
  }
}

/** N from the environment (a positive integer), else 1. */
function everyFromEnv(): number {
  const n = Number(process.env['WASMFLIP_DEOPT_EVERY'] ?? '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export function createAotDeoptEngine(every = everyFromEnv()): SpecEngine {
  const aot = createAotEngine();
  return {
    name: 'aot-deopt',
    description: `the AOT compiler with a forced deopt at every ${every === 1 ? '' : `${every}th `}checkpoint`,
    simd: false,
    compile: (bytes) => aot.compile(bytes),
    instantiate(compiled: unknown, imports: ImportResolver): EngineInstance {
      const m = compiled as WasmflipModule;
      const native = m.isCompiled;
      return new DeoptInstance(instantiateModule(m, imports, { mode: native ? 'native' : 'debug', ...(native ? { deoptEvery: every } : {}) }).state);
    },
    classify: (error) => aot.classify(error),
  };
}

registerEngine({ name: 'aot-deopt', description: 'the AOT compiler with forced deopts (every Nth checkpoint, N = $WASMFLIP_DEOPT_EVERY or 1)', create: () => createAotDeoptEngine() });
