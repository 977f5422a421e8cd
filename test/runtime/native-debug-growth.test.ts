/**
 * native-debug mode across growth of memory 0 (runtime/api/native-debug.ts
 * `grown`): the checkpointed code is loaded afresh after the 1st, 2nd and
 * 4th growth (as native mode's is, so V8 holds the new DataView as a
 * constant again), and the fresh code keeps everything the debugger set up:
 * functions a breakpoint concerns stay interpreted, frames that started in
 * the old code still deopt on a request, and results match debug mode's.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { instantiateSync } from '../../runtime/api/api.js';
import type { WasmflipInstance } from '../../runtime/api/instance.js';
import { InterpreterTarget } from '../../runtime/debug-target.js';
import { TICK_LOOP } from './tick-loop.js';
import { wat } from './wat.js';

const GROWING = wat(`(module
  (import "env" "tick" (func $tick (param i32)))
  (memory (export "mem") 1 8)
  (func $inner (export "inner") (param $x i32) (result i32)
    (i32.add (i32.load (i32.shl (local.get $x) (i32.const 2))) (i32.const 1)))
  ${TICK_LOOP}
  (func (export "grow") (param $d i32) (result i32) (memory.grow (local.get $d)))
  (func (export "load") (param $a i32) (result i32) (i32.load (local.get $a))))`);

const INNER = 1;
const PAGE = 65536;

interface Run {
  instance: WasmflipInstance;
  target: InterpreterTarget;
  /** Locals of the innermost frame at each stop. */
  stops: unknown[][];
  call: (name: string, ...args: number[]) => number;
  /** The entry calls of function `fi` run now (undefined: interpreted). */
  entry: (fi: number) => unknown;
}

let current: InterpreterTarget | undefined;
afterEach(() => {
  current?.uninstall();
  current = undefined;
});

/** An instance of GROWING whose `tick(i)` calls `onTick`, with a target attached that records stops. */
function setup(mode: 'native-debug' | 'debug', onTick: (i: number, r: Run) => void = () => {}): Run {
  const stops: unknown[][] = [];
  let run!: Run;
  const { instance } = instantiateSync(GROWING, { env: { tick: (i: number) => onTick(i, run) } }, { mode, level: 'control' });
  const target = new InterpreterTarget(instance.state, instance.nativeDebug);
  target.install();
  current = target;
  target.onStop = () => { const f = target.frames()[0]!; stops.push(f.localTypes.map((_, k) => f.local(k))); };
  const call = (name: string, ...args: number[]): number => (instance.exports[name] as (...a: number[]) => number)(...args);
  const entry = (fi: number): unknown => (instance.state.funcs[fi] as { compiled?: unknown }).compiled;
  run = { instance, target, stops, call, entry };
  return run;
}

function words(r: Run): Uint32Array {
  return new Uint32Array((r.instance.exports['mem'] as { buffer: ArrayBuffer }).buffer);
}

const innerEntry = (r: Run): number => r.instance.module.module.funcs[INNER - 1]!.body[0]!.offset;

describe('native-debug across memory growth', () => {
  test('the checkpointed code is loaded afresh after the 1st, 2nd and 4th growth, and reads the new pages', () => {
    const r = setup('native-debug');
    words(r).fill(1);
    for (let i = 0; i < 200; i++) expect(r.call('loop', 64)).toBe(128);
    const entries = [r.entry(2)];
    for (let g = 1; g <= 4; g++) {
      expect(r.call('grow', 1)).toBe(g);
      words(r)[(g * PAGE) / 4] = 40 + g;
      entries.push(r.entry(2));
      expect(r.call('load', g * PAGE)).toBe(40 + g);
      expect(r.call('loop', 64)).toBe(128);
    }
    expect(entries.map((e, i) => i === 0 || e !== entries[i - 1])).toEqual([true, true, true, false, true]);
    expect(new Set(entries).size).toBe(4);
    expect(r.instance.deopt!.deopts).toBe(0);
  });

  test('a function a breakpoint concerns stays interpreted in the fresh code, and stops as before', () => {
    const r = setup('native-debug');
    words(r).fill(1);
    r.target.setBreakpoint(INNER, innerEntry(r));
    expect(r.call('grow', 1)).toBe(1);
    expect(r.entry(INNER)).toBeUndefined();
    expect(r.entry(2)).toBeTypeOf('function');
    expect(r.call('loop', 3)).toBe(6);
    expect(r.stops).toEqual([[0], [1], [2]]);
    r.target.clearBreakpoint(INNER, innerEntry(r));
    expect(r.entry(INNER)).toBeTypeOf('function');
  });

  test('a frame that started in the old code still deopts on a breakpoint set after the growth, as debug mode stops', () => {
    const onTick = (i: number, r: Run): void => {
      if (i === 2) r.call('grow', 1); // the running loop's frame is in the code loaded before this growth
      if (i === 5) r.target.setBreakpoint(INNER, innerEntry(r));
    };
    const run = (mode: 'native-debug' | 'debug'): Run => {
      const r = setup(mode, onTick);
      words(r).fill(2);
      expect(r.call('loop', 8)).toBe(24);
      r.target.uninstall(); // one target installed at a time
      return r;
    };
    const nd = run('native-debug'), dbg = run('debug');
    expect(nd.stops).toEqual([[5], [6], [7]]);
    expect(nd.stops).toEqual(dbg.stops);
    expect(nd.instance.deopt!.deopts).toBe(1);
  });

  test('code that grew stale while the instance ran native is loaded afresh when it runs native-debug again', () => {
    const r = setup('native-debug');
    const before = r.entry(2);
    r.instance.mode = 'native';
    expect(r.call('grow', 1)).toBe(1);
    expect(r.entry(2)).not.toBe(before);
    r.instance.mode = 'native-debug';
    const fresh = r.entry(2);
    expect(fresh).not.toBe(before);
    r.instance.mode = 'native';
    r.instance.mode = 'native-debug';
    expect(r.entry(2)).toBe(fresh); // no growth since: the same code
    words(r)[PAGE / 4] = 7;
    expect(r.call('load', PAGE)).toBe(7);
  });
});
