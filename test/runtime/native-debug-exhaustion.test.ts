/**
 * Stack exhaustion in native-debug mode: a JavaScript stack overflow in
 * compiled code stops in the debugger with the frames that made it, paused
 * at their calls, without running anything again; with no debugger the
 * trap says where it happened. The innermost frames (the ones too close to
 * the overflow to hand themselves over) are lost; every other frame's state
 * is the one the compiled code had.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { instantiateSync } from '../../runtime/api/api.js';
import { InterpreterTarget } from '../../runtime/debug-target.js';
import { Exhaustion, setPauseFlag, type Value } from '../../interpreter/index.js';
import { wat } from './wat.js';

// $down(d) counts its calls in $calls (a side effect a re-run would repeat), then recurses forever.
const DEEP = wat(`(module
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func $down (export "down") (param $d i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.add (call $down (i32.add (local.get $d) (i32.const 1))) (i32.const 1))))`);

const DOWN = 0;

let target: InterpreterTarget | undefined;
afterEach(() => {
  target?.uninstall();
  target = undefined;
  setPauseFlag(new Int32Array(1));
});

interface TrapStop { message: string; frames: { funcIndex: number; pc: number; locals: Value[] }[] }

function load(mode: 'native-debug' | 'debug') {
  const { instance } = instantiateSync(DEEP, {}, { mode });
  const calls = (): number => (instance.exports['calls'] as { value: number }).value;
  return { instance, calls, down: instance.exports['down'] as (d: number) => number };
}

describe('stack exhaustion in native-debug mode', () => {
  test('stops with the frames that made the calls, each paused at its call, and runs nothing again', () => {
    const { instance, calls, down } = load('native-debug');
    target = new InterpreterTarget(instance.state, instance.nativeDebug);
    target.install();
    const stops: TrapStop[] = [];
    target.onStop = (reason, trap) => {
      expect(reason).toBe('trap');
      stops.push({
        message: String((trap as Error | undefined)?.message),
        frames: target!.frames().map((f) => ({ funcIndex: f.funcIndex, pc: f.pc, locals: f.localTypes.map((_, k) => f.local(k)) })),
      });
    };
    expect(() => down(0)).toThrow(Exhaustion);
    expect(stops.length).toBe(1);
    const [stop] = stops as [TrapStop];
    expect(stop.message).toMatch(/^call stack exhausted \(in func 0, at offset 0x[0-9a-f]+\)$/);
    const frames = stop.frames; // innermost first
    expect(frames.length).toBeGreaterThan(1000);
    const callOffset = instance.module.module.funcs[DOWN]!.body.find((i) => i.op === 'call')!.offset;
    for (const f of frames) {
      expect(f.funcIndex).toBe(DOWN);
      expect(f.pc).toBe(callOffset);
    }
    // Frame j from the innermost was called with d = innermost d - j, down to d = 0 at the bottom.
    const innermost = frames[0]!.locals[0] as number;
    expect(innermost).toBe(frames.length - 1);
    frames.forEach((f, j) => expect(f.locals).toEqual([innermost - j]));
    // Every frame kept ran its increment exactly once, and so did those lost above the innermost (the
    // handlers closest to the overflow have no stack left to hand their frames over: a few hundred of
    // thousands); nothing ran twice.
    expect(calls()).toBeGreaterThan(innermost + 1);
    expect(calls() - (innermost + 1)).toBeLessThan(1000);
    expect(instance.deopt!.deopts).toBe(1);
  });

  test('without a debugger the trap names the innermost kept call, and the instance runs on', () => {
    const { instance, down } = load('native-debug');
    let err: unknown;
    try {
      down(0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Exhaustion);
    const x = err as Exhaustion;
    expect(x.message).toMatch(/^call stack exhausted /);
    expect(x.funcIndex).toBe(DOWN);
    expect(x.offset).toBe(instance.module.module.funcs[DOWN]!.body.find((i) => i.op === 'call')!.offset);
    // The flag is back at rest: a second overflow is handled the same way.
    expect(instance.deopt!.flag[0]).toBe(0);
    expect(() => down(0)).toThrow(/call stack exhausted/);
  });

  test('debug mode stops at its own depth limit the same way (the interpreter never overflows JavaScript)', () => {
    const { instance, down } = load('debug');
    target = new InterpreterTarget(instance.state, instance.nativeDebug);
    target.install();
    let depth = 0;
    target.onStop = (reason) => {
      expect(reason).toBe('trap');
      depth = target!.frames().length;
    };
    expect(() => down(0)).toThrow(/call stack exhausted/);
    expect(depth).toBeGreaterThan(1000);
  });
});
