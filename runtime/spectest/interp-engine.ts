/**
 * The reference interpreter as a spec-runner engine (`interp`).
 *
 * Invariant: values cross through `invokeBits`, whose form is the runner's
 * bit-exact one (f32 as its u32 pattern, f64 as its u64 pattern); globals,
 * held as canonical numbers, are converted to bits here.
 */
import {
  DecodeError, Exhaustion, LinkError, Trap, ValidationError,
  decode, f32ToBits, f64ToBits, instantiate, invokeBits, validate,
  type FuncType, type ImportResolver, type Instance, type Module,
} from '../../interpreter/index.js';
import { registerEngine, type BitsValue, type ClassifiedError, type EngineInstance, type SpecEngine } from './engine.js';

/** The prefix of the interpreter's trap for SIMD code it cannot execute yet. */
export const SIMD_UNSUPPORTED = 'SIMD instructions are not supported';

class InterpInstance implements EngineInstance {
  constructor(readonly instance: Instance) {}

  exportValue(name: string): unknown {
    return this.instance.exports.get(name);
  }

  invoke(name: string, args: readonly BitsValue[]): BitsValue[] {
    const ex = this.instance.exports.get(name);
    if (ex?.kind !== 'func') throw new Error(`no exported function ${JSON.stringify(name)}`);
    const { params } = ex.value.type;
    if (args.length !== params.length) throw new Error(`${JSON.stringify(name)} takes ${params.length} arguments, got ${args.length}`);
    return invokeBits(ex.value, args as never[]);
  }

  funcType(name: string): FuncType | undefined {
    const ex = this.instance.exports.get(name);
    return ex?.kind === 'func' ? ex.value.type : undefined;
  }

  exportList(): { readonly name: string; readonly kind: string }[] {
    return [...this.instance.exports].map(([name, ex]) => ({ name, kind: ex.kind }));
  }

  get(name: string): BitsValue {
    const ex = this.instance.exports.get(name);
    if (ex?.kind !== 'global') throw new Error(`no exported global ${JSON.stringify(name)}`);
    const { type } = ex.value.type;
    const v = ex.value.value;
    if (type === 'f32') return f32ToBits(v as number);
    return type === 'f64' ? f64ToBits(v as number) : v;
  }
}

export function createInterpEngine(): SpecEngine {
  return {
    name: 'interp',
    description: 'the reference interpreter',
    simd: false,
    compile(bytes: Uint8Array): Module {
      const module = decode(bytes);
      validate(module);
      return module;
    },
    instantiate(compiled: unknown, imports: ImportResolver): EngineInstance {
      return new InterpInstance(instantiate(compiled as Module, imports));
    },
    classify,
  };
}

/** Maps the interpreter's error classes to the spec's failure kinds. */
export function classify(e: unknown): ClassifiedError | undefined {
  const kindOf = (): ClassifiedError['kind'] | undefined => {
    if (e instanceof DecodeError) return 'malformed';
    if (e instanceof ValidationError) return 'invalid';
    if (e instanceof LinkError) return 'unlinkable';
    if (e instanceof Exhaustion) return 'exhaustion';
    if (e instanceof Trap) return e.text.startsWith(SIMD_UNSUPPORTED) ? 'unsupported' : 'trap';
    return undefined;
  };
  const kind = kindOf();
  if (kind === undefined) return undefined;
  const err = e as DecodeError;
  return { kind, text: err.text, message: err.message };
}

registerEngine({ name: 'interp', description: 'the reference interpreter', create: createInterpEngine });
