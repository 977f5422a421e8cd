/**
 * Parallel compilation on a piscina worker pool: pass 3 (emit-function) is
 * independent per function, so large modules split their functions into
 * ranges of roughly equal code size, one task per range; the other passes
 * run on the calling thread. Small modules compile inline: below the
 * threshold, starting workers and decoding the module again in each costs
 * more than it saves.
 *
 * Invariant: the result is identical to `compile` (same text, same map).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Module } from '../interpreter/index.js';
import { codeBytes, compile, finish } from './index.js';
import type { FuncCode } from './passes/emit-function.js';
import type { CompiledModule, CompileOptions } from './types.js';
import type { EmitTask } from './worker.js';

let pool: Piscina | undefined;

/** The worker script: next to this file when running compiled JS, else the built copy in dist/. */
function workerFile(): string {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL('../dist/compiler/worker.js', import.meta.url));
}

function getPool(threads: number): Piscina {
  if (pool === undefined) {
    pool = new Piscina({ filename: workerFile(), maxThreads: threads, minThreads: 0, idleTimeout: 2000 });
  }
  return pool;
}

/** Closes the pool (tests and CLI exit cleanly). */
export async function closePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

/** Splits defined functions into `n` ranges of about equal code size. */
function ranges(module: Module, n: number): [number, number][] {
  const total = codeBytes(module);
  const out: [number, number][] = [];
  let from = module.importedFuncCount, acc = 0;
  module.funcs.forEach((f, k) => {
    acc += f.endOffset - f.entryOffset;
    const i = module.importedFuncCount + k + 1;
    if (acc >= (total / n) * (out.length + 1) && out.length < n - 1) {
      out.push([from, i]);
      from = i;
    }
  });
  if (from < module.funcTypes.length) out.push([from, module.funcTypes.length]);
  return out;
}

/** Compiles `module` (decoded from `bytes` and validated), on workers when it is large. */
export async function compileParallel(bytes: Uint8Array, module: Module, options: CompileOptions = {}, threads?: number): Promise<CompiledModule> {
  const threshold = options.parallelThreshold ?? 1 << 20;
  const n = Math.max(1, Math.min(threads ?? availableParallelism() - 1, 8));
  if (codeBytes(module) < threshold || n < 2) return compile(module, options);
  return finish(module, options, async (passMs) => {
    const start = performance.now();
    const p = getPool(n);
    const parts = await Promise.all(
      ranges(module, n * 2).map(([from, to]) => p.run({ bytes, from, to } satisfies EmitTask) as Promise<FuncCode[]>),
    );
    passMs['emit-function'] = performance.now() - start;
    return { funcs: parts.flat(), workers: n };
  });
}
