/**
 * binaryen's wasm2js at -O2: the peer for wasmflip's AOT compiler.
 * Runs the real `wasm2js -O2` tool shipped in the `binaryen` npm package (the
 * library's emitAsmjs() skips the tool's JS-level optimizer, so its output is
 * not what users of wasm2js get), then evaluates the emitted ES module text.
 * Invariant: the module text runs with exactly the imports it declares
 * (`env.setTempRet0` for i64 results) and nothing else of ours.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../paths.js';
import type { Engine, KernelSignature, LoadedKernel } from './engine.js';

const execFileAsync = promisify(execFile);
const wasm2jsTool = join(projectRoot, 'node_modules', 'binaryen', 'bin', 'wasm2js');

/** Runs `wasm2js -O2` on the bytes; returns the JS text and the tool's wall time. */
export async function runWasm2js(bytes: Uint8Array): Promise<{ js: string; ms: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmflip-wasm2js-'));
  try {
    const input = join(dir, 'in.wasm');
    const output = join(dir, 'out.mjs');
    await writeFile(input, bytes);
    const start = performance.now();
    try {
      await execFileAsync(process.execPath, [wasm2jsTool, '-O2', input, '-o', output], { maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`wasm2js -O2 failed${stderr ? `: ${stderr.split('\n')[0]}` : ''}`);
    }
    const ms = performance.now() - start;
    return { js: await readFile(output, 'utf8'), ms };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The same translation in-process through binaryen.js (readBinary, optimize
 * level 2, emitAsmjs). Its output lacks the tool's final JS optimizer pass, so
 * the bench measures the tool; this route is for fast correctness checks.
 */
export async function emitWasm2jsInProcess(bytes: Uint8Array): Promise<string> {
  const { default: binaryen } = await import('binaryen');
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(0);
  const module = binaryen.readBinary(bytes);
  try {
    return module.emitAsmjs();
  } finally {
    module.dispose();
  }
}

let startupMs: number | undefined;

/** The tool's fixed cost (process start, binaryen load) measured on an empty module. */
export async function wasm2jsStartupMs(): Promise<number> {
  if (startupMs === undefined) {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await runWasm2js(empty)).ms);
    startupMs = times.sort((a, b) => a - b)[1]!;
  }
  return startupMs;
}

const importLine = /^import \* as ([A-Za-z_$][\w$]*) from '([^']*)';$/gm;
const exportLine = /^export var [A-Za-z_$][\w$]* = retasmFunc\.[A-Za-z_$][\w$]*;$/gm;

/**
 * Evaluates wasm2js's ES module text as a function of its imports and returns
 * the export object. `new Function` instead of import(): no temp files and no
 * module cache growing per kernel; V8 optimizes the code the same way.
 */
export function evaluateWasm2js(js: string, imports: Record<string, object>): Record<string, unknown> {
  const names: string[] = [];
  const values: object[] = [];
  for (const [, local, module] of js.matchAll(importLine)) {
    const value = imports[module!];
    if (value === undefined) throw new Error(`wasm2js output imports module "${module}", which is not provided`);
    names.push(local!);
    values.push(value);
  }
  const body = js.replace(importLine, '').replace(exportLine, '') + '\nreturn retasmFunc;';
  const factory = new Function(...names, body) as (...args: object[]) => Record<string, unknown>;
  return factory(...values);
}

/** Makes wasm2js output callable as `run(n)`, rebuilding an i64 result from its two halves. */
export function instantiateWasm2js(js: string, signature: KernelSignature): (n: number) => number | bigint {
  // wasm2js returns an i64 result as its low half and passes the high half to env.setTempRet0.
  let high = 0;
  const env = { setTempRet0: (value: number) => { high = value; } };
  const exports = evaluateWasm2js(js, { env });
  const fn = exports[signature.export];
  if (typeof fn !== 'function') throw new Error(`wasm2js output has no function export "${signature.export}"`);
  const call = fn as (n: number) => number;
  if (signature.result !== 'i64') return (n: number): number => call(n);
  return (n: number): bigint => {
    high = 0;
    const low = call(n);
    return BigInt.asIntN(64, (BigInt(high | 0) << 32n) | BigInt(low >>> 0));
  };
}

export const wasm2jsEngine: Engine = {
  name: 'wasm2js',
  description: "binaryen's wasm2js -O2 output run as JavaScript (the peer)",
  async load(bytes: Uint8Array, signature: KernelSignature): Promise<LoadedKernel> {
    // Compile time excludes the tool's start-up, measured once on an empty module.
    const startup = await wasm2jsStartupMs();
    const { js, ms } = await runWasm2js(bytes);
    return {
      run: instantiateWasm2js(js, signature),
      compile: { ms: Math.max(0, ms - startup), detail: { toolWallMs: ms, toolStartupMs: startup, jsBytes: js.length } },
    };
  },
};
