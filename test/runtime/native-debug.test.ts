/**
 * native-debug mode (runtime/api/native-debug.ts): compiled code that flips
 * into the interpreter when the debugger needs a stop. Breakpoints set
 * before the run, from an import callback while the compiled loop runs, and
 * from another thread stop at the exact instruction with the frames debug
 * mode shows; functions no breakpoint concerns run compiled again; mode
 * switches and `onTrap: 'flip'` take effect for running frames and later calls.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, test } from 'vitest';
import { instantiateSync } from '../../runtime/api/api.js';
import type { WasmflipInstance } from '../../runtime/api/instance.js';
import { InterpreterTarget } from '../../runtime/debug-target.js';
import { setPauseFlag, type Value } from '../../interpreter/index.js';
import { TICK_LOOP } from './tick-loop.js';
import { wat } from './wat.js';

const LOOP = wat(`(module
  (import "env" "tick" (func $tick (param i32)))
  (func $inner (export "inner") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))
  ${TICK_LOOP}
  (func $spin (export "spin") (result i32)
    (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l))
    (local.get $k))
  (func $fault (export "fault") (param $a i32) (result i32)
    (i32.div_s (i32.const 100) (local.get $a))))`);

const INNER = 1;

interface Stop { reason: string; frames: { funcIndex: number; pc: number; locals: Value[] }[] }

let target: InterpreterTarget | undefined;
afterEach(() => {
  target?.uninstall();
  target = undefined;
  setPauseFlag(new Int32Array(1));
});

/** An instance whose `tick(i)` calls `onTick(i, instance)`, with a target attached that records stops. */
function setup(mode: 'native-debug' | 'debug', onTick: (i: number, inst: WasmflipInstance, t: InterpreterTarget) => void = () => {}, deoptEvery = 0) {
  let instance!: WasmflipInstance;
  const stops: Stop[] = [];
  ({ instance } = instantiateSync(LOOP, { env: { tick: (i: number) => onTick(i, instance, target!) } }, { mode, deoptEvery }));
  target = new InterpreterTarget(instance.state, instance.nativeDebug);
  target.install();
  target.onStop = (reason) => {
    stops.push({ reason, frames: target!.frames().map((f) => ({ funcIndex: f.funcIndex, pc: f.pc, locals: f.localTypes.map((_, k) => f.local(k)) })).reverse() });
  };
  const innerEntry = instance.module.module.funcs[INNER - 1]!.body[0]!.offset;
  return { instance, stops, innerEntry, loop: instance.exports['loop'] as (n: number) => number };
}

describe('native-debug mode', () => {
  test('runs compiled code with checkpoints and gives the results native mode gives', () => {
    const { instance, loop } = setup('native-debug');
    expect(instance.mode).toBe('native-debug');
    expect(loop(10)).toBe(55);
    expect(instance.deopt?.deopts).toBe(0);
    expect(instance.state.funcs[INNER]!.kind === 'wasm' && instance.state.funcs[INNER].compiled).toBeTypeOf('function');
  });

  test('a breakpoint set before the run stops in a function compiled callers call directly', () => {
    const { instance, stops, innerEntry, loop } = setup('native-debug');
    target!.setBreakpoint(INNER, innerEntry);
    let hits = 0;
    target!.onStop = () => { hits++; if (hits === 1) target!.clearBreakpoint(INNER, innerEntry); stops.push({ reason: 'bp', frames: [] }); };
    expect(loop(10)).toBe(55);
    expect(hits).toBe(1);
    expect(instance.deopt!.deopts).toBeGreaterThanOrEqual(1);
  });

  test('under deoptEvery, a breakpoint in a function compiled callers call directly still stops at every call', () => {
    const { stops, innerEntry, loop } = setup('native-debug', () => {}, 1_000_000);
    target!.setBreakpoint(INNER, innerEntry);
    expect(loop(5)).toBe(15);
    expect(stops.map((s) => s.frames.at(-1)!.locals)).toEqual([[0], [1], [2], [3], [4]]);
  });

  test('a breakpoint set from an import callback while the compiled loop runs stops there with debug mode\'s frames', () => {
    const run = (mode: 'native-debug' | 'debug') => {
      const s = setup(mode, (i, inst, t) => {
        if (i === 5) t.setBreakpoint(INNER, inst.module.module.funcs[INNER - 1]!.body[0]!.offset);
      });
      expect(s.loop(8)).toBe(36);
      return s;
    };
    const nd = run('native-debug');
    const dbg = run('debug');
    expect(nd.stops.length).toBe(3); // inner(5), inner(6), inner(7)
    expect(nd.stops).toEqual(dbg.stops);
    expect(nd.stops[0]!.frames.map((f) => f.funcIndex)).toEqual([2, INNER]);
    expect(nd.stops[0]!.frames[1]!.locals).toEqual([5]);
    expect(nd.stops[0]!.frames[0]!.locals).toEqual([8, 5, 15]);
    expect(nd.instance.deopt!.deopts).toBe(1);
  });

  test('once no breakpoint concerns a function, new calls run compiled again', () => {
    const { instance, innerEntry, loop } = setup('native-debug');
    target!.onStop = () => {};
    target!.setBreakpoint(INNER, innerEntry);
    const f = instance.state.funcs[INNER]!;
    expect(f.kind === 'wasm' && f.compiled).toBeUndefined();
    expect(loop(4)).toBe(10);
    target!.clearBreakpoint(INNER, innerEntry);
    expect(f.kind === 'wasm' && f.compiled).toBeTypeOf('function');
    const before = instance.deopt!.deopts;
    expect(loop(4)).toBe(10);
    expect(instance.deopt!.deopts).toBe(before);
    expect(instance.nativeDebug!.flag[0]).toBe(0);
  });

  test('switching to debug mode from an import callback moves the running compiled frames to the interpreter', () => {
    const { instance, loop } = setup('native-debug', (i, inst) => { if (i === 2) inst.mode = 'debug'; });
    expect(loop(6)).toBe(21);
    expect(instance.mode).toBe('debug');
    expect(instance.deopt!.deopts).toBe(1);
    expect(instance.nativeDebug!.flag[0]).toBe(0);
  });

  test('a request made while nothing runs deopts nothing later', () => {
    const { instance, loop } = setup('native-debug');
    instance.nativeDebug!.requestDeopt();
    expect(loop(5)).toBe(15);
    expect(instance.deopt!.deopts).toBe(0);
  });

  test('a chain entered while a request is pending leaves at its first check and is finished in the interpreter', () => {
    let nested: number | undefined;
    const { instance, loop } = setup('native-debug', (i, inst) => {
      if (i !== 2 || nested !== undefined) return;
      inst.nativeDebug!.requestDeopt(); // the outer chain (below this host frame) must deopt when tick returns
      nested = -1;
      nested = (inst.exports['loop'] as (n: number) => number)(4); // a new chain while the request is pending
    });
    expect(loop(6)).toBe(21);
    expect(nested).toBe(10);
    expect(instance.deopt!.deopts).toBe(2); // the nested chain, then the outer one
    expect(instance.nativeDebug!.flag[0]).toBe(0);
    expect(loop(6)).toBe(21); // settled: runs compiled throughout
    expect(instance.deopt!.deopts).toBe(2);
  });

  test('another thread interrupts a compiled infinite loop through the shared flag', async () => {
    const { instance } = setup('native-debug');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    setPauseFlag(pause);
    class Stopped extends Error {}
    target!.onStop = (reason) => { if (reason === 'pause') throw new Stopped('paused'); };
    const worker = new Worker(`
      const { workerData } = require('node:worker_threads');
      const [p, pause] = workerData;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      Atomics.store(pause, 0, 1);
      Atomics.store(p, 0, 3);
    `, { eval: true, workerData: [instance.nativeDebug!.flag, pause] });
    try {
      expect(() => (instance.exports['spin'] as () => number)()).toThrow(Stopped);
      expect(instance.deopt!.deopts).toBe(1);
    } finally {
      await worker.terminate();
    }
  }, 20_000);

  test("onTrap 'flip' switches a native instance to native-debug after a trap", () => {
    const { instance } = instantiateSync(LOOP, { env: { tick: () => {} } }, { onTrap: 'flip' });
    const fault = instance.exports['fault'] as (a: number) => number;
    expect(instance.mode).toBe('native');
    expect(fault(4)).toBe(25);
    expect(() => fault(0)).toThrow(/integer divide by zero/);
    expect(instance.mode).toBe('native-debug');
    expect(instance.traps.map((t) => t.mode)).toEqual(['native']);
    expect(fault(5)).toBe(20);
  });

  test('levels and presets choose the starting mode; unknown names are refused', () => {
    const mk = (o: object) => instantiateSync(LOOP, { env: { tick: () => {} } }, o).instance;
    expect(mk({ level: 'static' }).mode).toBe('native');
    expect(mk({ level: 'control' }).mode).toBe('native-debug');
    expect(mk({ preset: 'production' })).toMatchObject({ mode: 'native', level: 'control', onTrap: 'flip' });
    expect(mk({ preset: 'development' })).toMatchObject({ mode: 'native-debug', level: 'modify' });
    expect(mk({ level: 'eval', mode: 'debug' }).mode).toBe('debug');
    expect(() => mk({ level: 'everything' })).toThrow(/unknown level "everything"/);
    expect(() => mk({ preset: 'fast' })).toThrow(/unknown preset "fast"/);
  });
});
