/**
 * wasmflip's reference interpreter (debug mode's engine), through the public
 * surface of interpreter/index.ts: decode, validate, instantiate, invokeExport;
 * alone (`debug`) or with a debug session attached and idle (`debug+debugger`,
 * attached the way bench/debugger.ts does it).
 * Invariant: decoding, validation and instantiation happen in `load`;
 * `run` only invokes, so the measured time is execution time. The attached
 * session owns the interpreter's global hooks until `dispose`.
 */
import { decode, hooks, instantiate, invokeExport, validate, type Instance } from '../../interpreter/index.js';
import { DebugSession, dwarfFromModule } from '../../debug/index.js';
import { InterpreterTarget } from '../../runtime/debug-target.js';
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

function runner(instance: Instance, signature: KernelSignature): (n: number) => number | bigint {
  return (n: number): number | bigint => {
    const results = invokeExport(instance, signature.export, [n]);
    const [result] = results;
    if (results.length !== 1 || (typeof result !== 'number' && typeof result !== 'bigint')) {
      throw new Error(`${signature.export} returned ${results.length} result(s), expected one ${signature.result}`);
    }
    return result;
  };
}

export const interpEngine: Engine = {
  name: 'debug',
  description: "wasmflip debug mode: the reference interpreter",
  entries: [['./interpreter']],
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    const start = performance.now();
    const module = decode(bytes);
    validate(module);
    const instance = instantiate(module, {});
    const ms = performance.now() - start;
    return { run: runner(instance, signature), compile: { ms, detail: { jsBytes: 0 } }, info: { mode: 'debug' } };
  },
};

export const attachedEngine: Engine = {
  name: 'debug+debugger',
  description: 'the interpreter with a debug session attached, no breakpoints',
  entries: [['./interpreter'], ['./debug']],
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    const start = performance.now();
    const module = decode(bytes);
    validate(module);
    const instance = instantiate(module, {});
    const target = new InterpreterTarget(instance);
    const session = new DebugSession(module, dwarfFromModule(module).dwarf, { stopped: () => {}, output: () => {} });
    target.install();
    session.attach(target);
    const ms = performance.now() - start;
    return {
      run: runner(instance, signature),
      compile: { ms, detail: { jsBytes: 0 } },
      info: { mode: 'debug', debugger: 'attached' },
      dispose: () => {
        session.detach();
        target.uninstall();
        hooks.onStop = null;
      },
    };
  },
};
