/**
 * WASI preview1 for `wasmflip run`: the host functions (preview1.ts) and the
 * glue that offers them as imports and binds them to the instance's memory.
 */
import { instantiate, type Instance, type Module } from '../../interpreter/index.js';
import type { EngineInstance } from '../spectest/index.js';
import { WasiError, WasiExit, WasiPreview1, type WasiMemory, type WasiOptions } from './preview1.js';

export { WasiError, WasiExit, WasiPreview1 };
export type { WasiMemory, WasiOptions };

export const WASI_MODULE = 'wasi_snapshot_preview1';

/** What `run` needs: an import resolver for the WASI names, and a way to bind the instance's memory. */
export interface WasiHost {
  resolve(module: string, name: string): unknown;
  bind(inst: Pick<EngineInstance, 'exportValue'>): void;
  /** Writes out any partial output line held back. */
  flush(): void;
}

export interface WasiHostOptions {
  readonly args: readonly string[];
  readonly env?: readonly string[];
  readonly io: { out(text: string): void; err(text: string): void };
  readonly stdin?: (max: number) => Uint8Array;
}

/** A WASI host writing through `io` (text, decoded as UTF-8 across writes). */
export function createWasiHost(opts: WasiHostOptions): WasiHost {
  const outDec = new TextDecoder(), errDec = new TextDecoder();
  const wasi = new WasiPreview1({
    args: opts.args,
    env: opts.env ?? [],
    stdout: (b) => opts.io.out(outDec.decode(b, { stream: true })),
    stderr: (b) => opts.io.err(errDec.decode(b, { stream: true })),
    ...(opts.stdin ? { stdin: opts.stdin } : {}),
  });
  return {
    resolve: (module, name) => (module === WASI_MODULE ? wasi.lookup(name) : undefined),
    bind(inst) {
      const ex = inst.exportValue('memory') as { kind?: string; value?: WasiMemory } | undefined;
      if (ex?.kind === 'memory' && ex.value !== undefined) {
        const mem = ex.value;
        wasi.bindMemory(() => mem);
      }
    },
    flush() {
      const o = outDec.decode(), e = errDec.decode();
      if (o) opts.io.out(o);
      if (e) opts.io.err(e);
    },
  };
}

/**
 * `host` with each WASI function wrapped to call `returned(name)` after it
 * returns normally (not when it throws: proc_exit never returns), from
 * inside the call, for a debugger's syscall catchpoints. Other imports pass
 * through untouched.
 */
export function observeReturns(host: WasiHost, returned: (name: string) => void): WasiHost {
  return {
    resolve(module, name) {
      const f = host.resolve(module, name);
      if (module !== WASI_MODULE || typeof f !== 'function') return f;
      const fn = f as (...a: unknown[]) => unknown;
      return (...a: unknown[]): unknown => {
        const r = fn(...a);
        returned(name);
        return r;
      };
    },
    bind: (inst) => host.bind(inst),
    flush: () => host.flush(),
  };
}

/**
 * Instantiates `module` in the interpreter with `wasi` answering its
 * `wasi_snapshot_preview1` imports, bound to the instance's exported memory.
 */
export function instantiateWithWasi(module: Module, wasi: WasiHost): Instance {
  const inst = instantiate(module, (m, n) => wasi.resolve(m, n));
  wasi.bind({ exportValue: (n: string) => inst.exports.get(n) });
  return inst;
}
