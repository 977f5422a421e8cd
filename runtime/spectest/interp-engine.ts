/**
 * The reference interpreter as a spec-runner engine (`interp`).
 *
 * Invariant: values cross through `invokeBits`, whose form is the runner's
 * bit-exact one (f32 as its u32 pattern, f64 as its u64 pattern); globals,
 * held as canonical numbers, are converted to bits here.
 */
import {
  DecodeError, Exhaustion, LinkError, Trap, ValidationError,
  decode, instantiate, invokeBits, validate,
  type ImportResolver, type Module,
} from '../../interpreter/index.js';
import { registerEngine, type BitsValue, type ClassifiedError, type EngineInstance, type SpecEngine } from './engine.js';
import { InstanceExports } from './instance-exports.js';

/** The prefix of the interpreter's trap for SIMD code it cannot execute yet. */
export const SIMD_UNSUPPORTED = 'SIMD instructions are not supported';

class InterpInstance extends InstanceExports {
  invoke(name: string, args: readonly BitsValue[]): BitsValue[] {
    return invokeBits(this.func(name, args), args as never[]);
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
