/**
 * The AOT compiler as a spec-runner engine (`aot`): every module is compiled
 * to JavaScript and instantiated in native mode, so each assertion runs the
 * compiled code (and the interpreter only for what the module imports from
 * instances in other tiers).
 *
 * Invariant: values cross bit-exactly as the runner wants (f32 as its u32
 * pattern, f64 as its u64 pattern); inside, compiled code uses canonical JS
 * numbers, so an f32 signalling NaN is quieted on the way (a JavaScript
 * number cannot carry one), which known-failures lists with that reason.
 */
import {
  bitsToF32, bitsToF64, f32ToBits, f64ToBits,
  type ImportResolver, type Value,
} from '../../../interpreter/index.js';
import { callFunc, compile, UnsupportedError } from '../../../compiler/index.js';
import { WasmflipModule, decodeModule } from '../../api/module.js';
import { instantiateModule, type InstantiateOptions } from '../../api/instance.js';
import { registerEngine, type BitsValue, type ClassifiedError, type EngineInstance, type SpecEngine } from '../engine.js';
import { classify as classifyInterp } from '../interp-engine.js';
import { InstanceExports } from '../instance-exports.js';

/** A bit-exact spec value (f32/f64 as bits) in canonical form. */
export function toCanonical(t: string, v: BitsValue): Value {
  if (t === 'f32') return bitsToF32(v as number);
  if (t === 'f64') return bitsToF64(v as bigint);
  return v as Value;
}

/** A canonical result back in the spec runner's bit-exact form. */
export function toBits(t: string, v: unknown): BitsValue {
  if (t === 'f32') return f32ToBits(v as number);
  if (t === 'f64') return f64ToBits(v as number);
  return v;
}

/**
 * A copy of `values` in an array V8 keeps as generic (tagged) elements: an
 * array of only doubles is stored unboxed, and storing silences a
 * signalling NaN, which would change an f64 argument's bits before the call.
 */
function generic(values: readonly BitsValue[], f: (v: BitsValue, i: number) => Value): Value[] {
  const out: Value[] = [null];
  out.pop();
  values.forEach((v, i) => out.push(f(v, i)));
  return out;
}

class AotInstance extends InstanceExports {
  invoke(name: string, args: readonly BitsValue[]): BitsValue[] {
    const f = this.func(name, args);
    const { params, results } = f.type;
    const r = callFunc(f, generic(args, (a, i) => toCanonical(params[i]!, a)));
    if (results.length === 0) return [];
    if (results.length === 1) return [toBits(results[0]!, r)];
    return (r as unknown[]).map((v, i) => toBits(results[i]!, v));
  }
}

/** `options`: what instances get (mode, level, preset, onTrap); default native mode. */
export function createAotEngine(options: InstantiateOptions = {}): SpecEngine {
  return {
    name: 'aot',
    description: options.mode === undefined && options.level === undefined && options.preset === undefined
      ? 'the AOT compiler (native mode)' : `the AOT compiler (${JSON.stringify(options)})`,
    simd: false,
    compile(bytes: Uint8Array): WasmflipModule {
      const module = decodeModule(bytes);
      try {
        return new WasmflipModule(bytes, module, compile(module, { sourceMap: false }));
      } catch (e) {
        // SIMD: the module runs in the interpreter, whose SIMD instructions report "unsupported" (skipped).
        if (e instanceof UnsupportedError) return new WasmflipModule(bytes, module);
        throw e;
      }
    },
    instantiate(compiled: unknown, imports: ImportResolver): EngineInstance {
      const m = compiled as WasmflipModule;
      return new AotInstance(instantiateModule(m, imports, m.isCompiled ? options : { ...options, mode: 'debug' }).state);
    },
    classify(error: unknown): ClassifiedError | undefined {
      if (error instanceof UnsupportedError) return { kind: 'unsupported', text: error.message, message: error.message };
      return classifyInterp(error);
    },
  };
}

registerEngine({ name: 'aot', description: 'the AOT compiler (native mode)', create: () => createAotEngine() });
