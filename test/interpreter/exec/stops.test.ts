/**
 * The interpreter's state as plain data while stopped: breakpoints (set
 * before a call, or from an import while a fused loop runs), exact trap
 * stops in fused code, frame captures across recursion, writes that the
 * program sees, and resuming a captured stack to the same result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  captureFrames, clearBreakpoint, decode, hooks, hostFunc, instantiate, invokeExport, resume, setBreakpoint, setPauseFlag, validate, writeLocal,
  type CodeOffset, type FrameState, type Instance, type Module,
} from '../../../interpreter/index.js';
import { wat } from '../../runtime/wat.js';

function load(src: string, imports?: Parameters<typeof instantiate>[1]): { module: Module; inst: Instance } {
  const module = decode(wat(src));
  validate(module);
  return { module, inst: instantiate(module, imports) };
}

/** Offset of the `n`th instruction named `op` in function `f`. */
function offsetOf(module: Module, f: number, op: string, n = 0): CodeOffset {
  return module.funcs[f - module.importedFuncCount]!.body.filter((i) => i.op === op)[n]!.offset;
}

const FAC = `(module
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.le_s (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))`;

afterEach(() => {
  hooks.onStop = null;
  hooks.mayStop = null;
  hooks.stepping = false;
});

describe('breakpoints', () => {
  it('stop at the exact instruction with every recursion frame holding its own locals', () => {
    const { module, inst } = load(FAC);
    const at = setBreakpoint(module, 0, offsetOf(module, 0, 'i64.const', 1))!;
    const seen: FrameState[][] = [];
    hooks.onStop = (reason, live) => {
      expect(reason).toBe('breakpoint');
      seen.push(captureFrames(live));
    };
    expect(invokeExport(inst, 'fac', [4n])).toEqual([24n]);
    clearBreakpoint(module, 0, at);
    expect(seen).toHaveLength(1); // only the innermost call takes the then-branch
    const frames = seen[0]!;
    expect(frames.map((f) => f.locals[0])).toEqual([4n, 3n, 2n, 1n]);
    expect(frames.at(-1)!.pc).toBe(at);
    expect(frames.slice(0, -1).every((f) => f.pc === offsetOf(module, 0, 'call'))).toBe(true);
  });

  it('bind in a loop that is already running in fused code, set from an import it calls', () => {
    const { module, inst } = load(`(module
      (import "env" "tick" (func $tick (param i32)))
      (func (export "sum") (param i32) (result i32) (local i32)
        (loop $l
          (call $tick (local.get 0))
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 1)))`, {
      env: {
        tick: hostFunc({ params: ['i32'], results: [] }, (n) => {
          if (n === 5) setBreakpoint(module, 1, offsetOf(module, 1, 'i32.add'));
        }),
      },
    });
    const stops: number[] = [];
    hooks.onStop = (_r, live) => stops.push(captureFrames(live).at(-1)!.locals[0] as number);
    expect(invokeExport(inst, 'sum', [10])).toEqual([55]);
    expect(stops).toEqual([5, 4, 3, 2, 1]);
  });

  it('whose condition does not hold leave the function in fused code', () => {
    const { module, inst } = load(FAC);
    setBreakpoint(module, 0, offsetOf(module, 0, 'i64.mul'));
    let asked = 0;
    hooks.mayStop = () => (asked++, false);
    hooks.onStop = () => { throw new Error('no stop expected'); };
    expect(invokeExport(inst, 'fac', [5n])).toEqual([120n]);
    expect(asked).toBe(4);
  });
});

describe('after a stop', () => {
  it('a loop goes back to fused code at its next header', () => {
    const { module, inst } = load(`(module
      (func (export "sum") (param i32) (result i32) (local i32)
        (loop $l
          (local.set 1 (i32.add (local.get 1) (local.get 0)))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 1)))`);
    const first = setBreakpoint(module, 0, offsetOf(module, 0, 'i32.add'))!;
    let stops = 0, asked = 0;
    hooks.onStop = () => {
      if (stops++ > 0) return;
      clearBreakpoint(module, 0, first);
      // A breakpoint whose condition never holds: fused code asks about it; exact code stops there.
      setBreakpoint(module, 0, offsetOf(module, 0, 'i32.sub'));
    };
    hooks.mayStop = (_live, from, to) => {
      if (stops === 0 && from <= first && first <= to) return true;
      asked++;
      return false;
    };
    expect(invokeExport(inst, 'sum', [100])).toEqual([5050]);
    expect(stops).toBe(2); // i32.add, then i32.sub in the same pass: the first stop left this pass in exact code
    expect(asked).toBe(99); // passes 2..100 run fused again and only ask
  });
});

describe('traps', () => {
  it('stop at the faulting instruction of fused code, before the stack unwinds', () => {
    const { module, inst } = load(`(module
      (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "f") (param i32) (result i32) (call $div (i32.const 100) (local.get 0))))`);
    let stop: FrameState[] = [];
    hooks.onStop = (reason, live) => {
      expect(reason).toBe('trap');
      stop = captureFrames(live);
    };
    expect(() => invokeExport(inst, 'f', [0])).toThrow(/integer divide by zero \(in func 0, at offset 0x/);
    expect(stop.map((f) => f.funcIndex)).toEqual([1, 0]);
    expect(stop[1]!.pc).toBe(offsetOf(module, 0, 'i32.div_s'));
    expect(stop[1]!.stack).toEqual([100, 0]);
  });
});

describe('frame states', () => {
  it('written while stopped are what the program continues with', () => {
    const { module, inst } = load(FAC);
    const at = setBreakpoint(module, 0, offsetOf(module, 0, 'i64.le_s'))!;
    let once = false;
    hooks.onStop = (_r, live) => {
      if (once) return;
      once = true;
      const frames = captureFrames(live);
      expect(frames.map((f) => f.locals[0])).toEqual([5n]);
      writeLocal(live, 0, 0, 3n); // fac(5) becomes fac(3)
    };
    expect(invokeExport(inst, 'fac', [5n])).toEqual([6n]);
    clearBreakpoint(module, 0, at);
  });

  it('captured mid-recursion and resumed give the uninterrupted result', () => {
    const { module, inst } = load(FAC);
    const at = setBreakpoint(module, 0, offsetOf(module, 0, 'i64.const', 1))!;
    let captured: FrameState[] = [];
    const abandon = new Error('abandon');
    hooks.onStop = (_r, live) => {
      captured = captureFrames(live);
      throw abandon;
    };
    expect(() => invokeExport(inst, 'fac', [6n])).toThrow(abandon);
    hooks.onStop = null;
    clearBreakpoint(module, 0, at);
    expect(captured).toHaveLength(6);
    expect(resume(captured)).toEqual([720n]);
  });
});

describe('pause requests', () => {
  it('stop a running loop at its header with the frame inspectable, then let it finish', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    setPauseFlag(flag);
    try {
      const { inst } = load(`(module
        (import "env" "tick" (func $tick (param i32)))
        (func (export "count") (param i32) (result i32) (local i32)
          (loop $l
            (call $tick (local.get 1))
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
          (local.get 1)))`, {
        env: { tick: hostFunc({ params: ['i32'], results: [] }, (i) => { if (i === 1000) Atomics.store(flag, 0, 1); }) },
      });
      const paused: number[] = [];
      hooks.onStop = (reason, live) => {
        expect(reason).toBe('pause');
        paused.push(captureFrames(live).at(-1)!.locals[1] as number);
      };
      expect(invokeExport(inst, 'count', [5000])).toEqual([5000]);
      expect(paused).toEqual([1001]);
      expect(Atomics.load(flag, 0)).toBe(0);
    } finally {
      setPauseFlag(new Int32Array(1));
    }
  });
});
