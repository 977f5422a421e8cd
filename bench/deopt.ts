/**
 * What a stop costs in native-debug mode (issue 6): the deopt latency — from
 * setting a breakpoint while a compiled loop runs to the debugger's stop at
 * it — from an import callback on the same thread and from another thread,
 * and the time to deoptimize a 100-frame-deep compiled stack and stop.
 * Each figure is the median and max over `repeats` fresh runs (wall time,
 * performance.now; across threads, timeOrigin + now).
 *
 * `runDeoptBench()` is what a runner calls; `node dist/bench/deopt.js
 * [--quick]` prints a table. Aim: 100 frames under 1 ms.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';
import { instantiateSync } from '../runtime/api/api.js';
import type { WasmflipInstance } from '../runtime/api/instance.js';
import { InterpreterTarget } from '../runtime/debug-target.js';
import { setPauseFlag } from '../interpreter/index.js';

export interface DeoptBenchRow {
  readonly what: string;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly repeats: number;
}

const SOURCE = `(module
  (import "env" "tick" (func $tick (param i32)))
  (func $target (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 1)))
  (func $loop (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (call $tick (local.get $i))
        (local.set $acc (i32.add (local.get $acc) (call $target (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func $deep (export "deep") (param $d i32) (result i32)
    (if (result i32) (i32.eqz (local.get $d))
      (then (call $tick (i32.const -1)) (call $target (i32.const 0)))
      (else (i32.add (call $deep (i32.sub (local.get $d) (i32.const 1))) (i32.const 1)))))
  (func $spin (export "spin") (result i32)
    (local $k i32)
    (loop $l (local.set $k (i32.add (local.get $k) (i32.const 1))) (br $l))
    (local.get $k)))`;

const TARGET = 1;

function wasm(): Uint8Array {
  const m = binaryen.parseText(SOURCE);
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

class Stopped extends Error {}

/** One run: an instance in native-debug with a target attached; `tick` may act; returns ms from the act to the stop. */
function once(bytes: Uint8Array, call: (inst: WasmflipInstance) => void, act: (inst: WasmflipInstance, t: InterpreterTarget, i: number) => boolean): number {
  let t0 = NaN, t1 = NaN;
  let instance!: WasmflipInstance;
  ({ instance } = instantiateSync(bytes, { env: { tick: (i: number) => { if (act(instance, target, i)) t0 = performance.now(); } } }, { mode: 'native-debug' }));
  const target = new InterpreterTarget(instance.state, instance.nativeDebug);
  target.install();
  target.onStop = () => { t1 = performance.now(); throw new Stopped(); };
  try {
    call(instance);
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
  } finally {
    target.uninstall();
  }
  if (!(t1 >= t0)) throw new Error('the breakpoint did not stop the program');
  return t1 - t0;
}

const targetEntry = (inst: WasmflipInstance): number => inst.module.module.funcs[TARGET - 1]!.body[0]!.offset;

function summary(what: string, ms: number[]): DeoptBenchRow {
  const s = [...ms].sort((a, b) => a - b);
  return { what, medianMs: s[Math.floor(s.length / 2)]!, maxMs: s[s.length - 1]!, repeats: s.length };
}

/** From a breakpoint set in an import callback to the stop at it (the compiled loop deopts at its call's return). */
function fromCallback(bytes: Uint8Array, repeats: number): DeoptBenchRow {
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    ms.push(once(bytes, (inst) => (inst.exports['loop'] as (n: number) => number)(1000),
      (inst, t, i) => i === 500 && t.setBreakpoint(TARGET, targetEntry(inst)) !== null));
  }
  return summary('breakpoint set from an import callback → stop', ms);
}

/** 100 compiled frames below the callback that sets the breakpoint: all deopt, then the stop. */
function deepStack(bytes: Uint8Array, repeats: number, depth: number): DeoptBenchRow {
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    ms.push(once(bytes, (inst) => (inst.exports['deep'] as (d: number) => number)(depth),
      (inst, t, i) => i === -1 && t.setBreakpoint(TARGET, targetEntry(inst)) !== null));
  }
  return summary(`deopt of a ${depth}-frame compiled stack → stop`, ms);
}

/** Another thread stores the request while a compiled loop spins; ms from the store to the stop. */
async function fromThread(bytes: Uint8Array, repeats: number): Promise<DeoptBenchRow> {
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const { instance } = instantiateSync(bytes, { env: { tick: () => {} } }, { mode: 'native-debug' });
    const target = new InterpreterTarget(instance.state, instance.nativeDebug);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const at = new Float64Array(new SharedArrayBuffer(8));
    setPauseFlag(pause);
    target.install();
    let t1 = NaN;
    target.onStop = (reason) => { if (reason === 'pause') { t1 = performance.timeOrigin + performance.now(); throw new Stopped(); } };
    const worker = new Worker(`
      const { workerData } = require('node:worker_threads');
      const [p, pause, at] = workerData;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      at[0] = performance.timeOrigin + performance.now();
      Atomics.store(pause, 0, 1);
      Atomics.store(p, 0, 3);
    `, { eval: true, workerData: [instance.nativeDebug!.flag, pause, at] });
    try {
      (instance.exports['spin'] as () => number)();
    } catch (e) {
      if (!(e instanceof Stopped)) throw e;
    } finally {
      target.uninstall();
      setPauseFlag(new Int32Array(1));
      await worker.terminate();
    }
    ms.push(t1 - at[0]!);
  }
  return summary('request from another thread → stop in a compiled loop', ms);
}

export async function runDeoptBench(quick = false): Promise<DeoptBenchRow[]> {
  const bytes = wasm();
  const repeats = quick ? 7 : 31;
  fromCallback(bytes, 3); // warm up the compiler and the interpreter's flat code
  return [fromCallback(bytes, repeats), deepStack(bytes, repeats, 100), await fromThread(bytes, quick ? 5 : 15)];
}

export function deoptTable(rows: readonly DeoptBenchRow[]): string {
  const lines = ['| native-debug stop | median | max | runs |', '|---|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.what} | ${r.medianMs.toFixed(3)} ms | ${r.maxMs.toFixed(3)} ms | ${r.repeats} |`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await runDeoptBench(process.argv.includes('--quick'));
  process.stdout.write(deoptTable(rows) + '\n');
}
