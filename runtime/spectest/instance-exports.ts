/**
 * What every engine's instance shares in the runner's eyes: both tiers keep
 * one interpreter-shaped instance state (runtime/api), so reading exports,
 * their types and globals is the same code; only calling differs (the
 * interpreter's invokeBits, or compiled code through callFunc).
 *
 * Invariant: a global is read bit-exactly (f32/f64 as their bit patterns),
 * whatever JS number the state holds.
 */
import { f32ToBits, f64ToBits, type FuncInstance, type FuncType, type Instance } from '../../interpreter/index.js';
import type { BitsValue, EngineInstance } from './engine.js';

export abstract class InstanceExports implements EngineInstance {
  constructor(readonly state: Instance) {}

  abstract invoke(name: string, args: readonly BitsValue[]): BitsValue[];

  /** The exported function `name`, checked against the number of arguments given. */
  protected func(name: string, args: readonly BitsValue[]): FuncInstance {
    const ex = this.state.exports.get(name);
    if (ex?.kind !== 'func') throw new Error(`no exported function ${JSON.stringify(name)}`);
    const { params } = ex.value.type;
    if (args.length !== params.length) throw new Error(`${JSON.stringify(name)} takes ${params.length} arguments, got ${args.length}`);
    return ex.value;
  }

  exportValue(name: string): unknown {
    return this.state.exports.get(name);
  }

  funcType(name: string): FuncType | undefined {
    const ex = this.state.exports.get(name);
    return ex?.kind === 'func' ? ex.value.type : undefined;
  }

  exportList(): { readonly name: string; readonly kind: string }[] {
    return [...this.state.exports].map(([name, ex]) => ({ name, kind: ex.kind }));
  }

  get(name: string): BitsValue {
    const ex = this.state.exports.get(name);
    if (ex?.kind !== 'global') throw new Error(`no exported global ${JSON.stringify(name)}`);
    const { type } = ex.value.type;
    const v = ex.value.value;
    if (type === 'f32') return f32ToBits(v as number);
    return type === 'f64' ? f64ToBits(v as number) : v;
  }
}
