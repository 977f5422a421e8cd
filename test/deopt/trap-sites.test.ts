/**
 * Trap sites in code compiled with checkpoints (compiler/passes/checkpoints.ts,
 * runtime/api/deopt-entry.ts `DE.t`): a trap two compiled calls deep hands
 * every frame over (the faulting one as it was before the instruction, its
 * callers paused at their calls), the interpreter re-executes the
 * instruction and traps there. The error message is the interpreter's own,
 * and the frames its debugger sees at that trap equal the ones it sees
 * running the same call in debug mode from the start. Also the entry words:
 * P[1 + fi] = 1 diverts calls entering function fi (and only those).
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  captureFrames, decode, hooks, instantiate, invoke, validate,
  type FrameState, type FuncInstance, type Instance, type Module, type Value,
} from '../../interpreter/index.js';
import { compile, loadCompiled } from '../../compiler/index.js';
import { DeoptEntry, armEntries } from '../../runtime/api/deopt-entry.js';
import { T, funcsModule, name, sleb, vec } from '../helpers/wasm-builder.js';

const f64 = (x: number): number[] => [...new Uint8Array(new Float64Array([x]).buffer)];
/** `if (local0 === mode) { …code; return }` */
const when = (mode: number, code: number[]): number[] => [0x20, 0, 0x41, ...sleb(mode), 0x46, 0x04, 0x40, ...code, 0x0f, 0x0b];

// f0 run(mode, x): (local i64) l2 = x; 100 + f1(mode, x)
// f1 (mode, x): (local f64) l2 = 1.5; 7 + f2(mode, x)
// f2 (mode, x): one trapping instruction per mode, with values below its operands
// f3 () -> i32: the type call_indirect asks for
const bytes = funcsModule([
  {
    type: [[T.i32, T.i32], [T.i32]], locals: [[1, T.i64]],
    body: [0x20, 1, 0xac, 0x21, 2, 0x41, ...sleb(100), 0x20, 0, 0x20, 1, 0x10, 1, 0x6a, 0x0b],
  },
  {
    type: [[T.i32, T.i32], [T.i32]], locals: [[1, T.f64]],
    body: [0x44, ...f64(1.5), 0x21, 2, 0x41, ...sleb(7), 0x20, 0, 0x20, 1, 0x10, 2, 0x6a, 0x0b],
  },
  {
    type: [[T.i32, T.i32], [T.i32]],
    body: [
      ...when(0, [0x41, ...sleb(11), 0x41, ...sleb(5), 0x20, 1, 0x6d, 0x6a]),                // i32.div_s
      ...when(1, [0x41, ...sleb(12), 0x20, 1, 0x28, 0x02, 0x04, 0x6a]),                       // i32.load offset=4
      ...when(2, [0x41, ...sleb(13), 0x20, 1, 0x29, 0x03, 0x00, 0xa7, 0x6a]),                 // i64.load
      ...when(3, [0x41, ...sleb(14), 0x00]),                                                   // unreachable
      ...when(4, [0x41, ...sleb(15), 0x20, 1, 0x11, 3, 0x00, 0x6a]),                          // call_indirect
      ...when(5, [0x41, ...sleb(16), 0x20, 1, 0xb7, 0x44, ...f64(1e10), 0xa2, 0xaa, 0x6a]),   // i32.trunc_f64_s
      ...when(6, [0x41, ...sleb(17), 0x20, 1, 0x41, 0, 0x41, ...sleb(10), 0xfc, 0x0b, 0x00]), // memory.fill
      // i64.load at an address held in its slot (a load's result plus x), not a pending expression
      ...when(7, [0x41, ...sleb(18), 0x41, 0, 0x28, 0x02, 0x00, 0x20, 1, 0x6a, 0x29, 0x03, 0x00, 0xa7, 0x6a]),
      // i32.load at the bits of an f32 (f32.abs of x's bits): the interpreter's stop is before the
      // reinterpret, which has no code, so its state holds the f32 where compiled code holds the i32
      ...when(8, [0x41, ...sleb(19), 0x20, 1, 0xbe, 0x8b, 0xbc, 0x28, 0x02, 0x00, 0x6a]),
      0x41, 0, 0x0b,
    ],
  },
  { type: [[], [T.i32]], body: [0x41, 1, 0x0b] },
], {
  table: vec([[T.funcref, 0x00, 0x01]]),
  memory: vec([[0x00, 0x01]]),
  export: vec([[...name('run'), 0x00, 0]]),
});

function load(): Module {
  const m = decode(bytes);
  validate(m);
  return m;
}

interface Seen { message: string; frames: Omit<FrameState, 'instance'>[] }

/** Runs `call` with the interpreter's trap stop recorded; returns the error message and the frames at the stop. */
function observe(call: () => unknown): Seen {
  let frames: FrameState[] = [];
  hooks.onStop = (reason, live) => {
    if (reason === 'trap') frames = captureFrames(live);
  };
  let message = '(no trap)';
  try {
    call();
  } catch (e) {
    message = (e as Error).message;
  } finally {
    hooks.onStop = null;
  }
  return { message, frames: frames.map(({ instance: _, ...f }) => f) };
}

function interpreted(module: Module, args: Value[]): Seen {
  const inst = instantiate(module, {});
  return observe(() => invoke(inst.funcs[0] as FuncInstance, args));
}

function compiled(module: Module, mode: true | 'traps', zeroDeadLocals = false): { inst: Instance; de: DeoptEntry; run: (...a: Value[]) => unknown } {
  const c = compile(module, { sourceMap: false, checkpoints: mode, zeroDeadLocals });
  const inst = instantiate(module, {});
  const de = new DeoptEntry(c.frameMaps!, inst, 0);
  const code = loadCompiled(c.js, inst, c.lineOffsets, undefined, { ...de.env() });
  return { inst, de, run: code.C[0]! };
}

afterEach(() => {
  hooks.onStop = null;
});

const CASES: [string, number, number][] = [
  ['i32.div_s by zero', 0, 0],
  ['i32.load out of bounds', 1, 70000],
  ['i64.load with only its low word in bounds', 2, 65532],
  ['i64.load from a computed address with only its low word in bounds', 7, 65532],
  ['unreachable', 3, 0],
  ['call_indirect of an uninitialized element', 4, 0],
  ['call_indirect of an undefined element', 4, 5],
  ['i32.trunc_f64_s overflow', 5, 3],
  ['memory.fill out of bounds', 6, 65530],
  ['i32.load out of bounds at a reinterpreted f32\'s bits', 8, 70000],
];

for (const mode of [true, 'traps'] as const) {
  describe(`trap sites with checkpoints: ${String(mode)}`, () => {
    for (const [what, m, x] of CASES) {
      test(`${what} two calls deep: the interpreter's message, and its frames at the trap`, () => {
        const module = load();
        const want = interpreted(module, [m, x]);
        expect(want.frames.length).toBe(3);
        const { de, run } = compiled(module, mode);
        const got = observe(() => run(m, x));
        expect(got.message).toBe(want.message);
        expect(got.frames).toEqual(want.frames);
        expect(de.deopts).toBe(1);
        expect(de.flag[0]).toBe(0);
      });
    }

    // With dead locals zeroed (compiler/passes/dead-locals.ts): the callers' locals written before
    // their call and never read after it (f0's i64, f1's f64) read 0, and so does f2's mode once its
    // branch is taken; everything else is the same.
    test.each(CASES)('%s two calls deep, dead locals zeroed: the same message and frames but the dead locals', (_, m, x) => {
      const module = load();
      const want = interpreted(module, [m, x]);
      want.frames[0]!.locals[2] = 0n;
      want.frames[1]!.locals[2] = 0;
      want.frames[2]!.locals[0] = 0;
      const { de, run } = compiled(module, mode, true);
      const got = observe(() => run(m, x));
      expect(got.message).toBe(want.message);
      expect(got.frames).toEqual(want.frames);
      expect(de.deopts).toBe(1);
    });

    test('a call that does not trap returns its result without deopting', () => {
      const { de, run } = compiled(load(), mode);
      expect(run(9, 1)).toBe(107);
      expect(run(0, 1)).toBe(100 + 7 + 11 + 5);
      expect(de.deopts).toBe(0);
    });
  });
}

describe('per-function entry words', () => {
  test('an entry word is not read until the flag array is armed', () => {
    const { de, run } = compiled(load(), true);
    expect(de.flag.armed).toBe(0);
    de.flag[1 + 2] = 1;
    expect(run(0, 4)).toBe(119);
    expect(de.deopts).toBe(0);
    armEntries(de.flag);
    expect(run(0, 4)).toBe(100 + 7 + 11 + 1);
    expect(de.deopts).toBe(1);
  });

  test('P[1 + fi] = 1 deopts a compiled call entering fi, with the same result; other words leave the call native', () => {
    const { de, run } = compiled(load(), true);
    armEntries(de.flag);
    de.flag[1 + 3] = 1; // f3 is never called on this path
    expect(run(9, 1)).toBe(107);
    expect(de.deopts).toBe(0);
    de.flag[1 + 2] = 1;
    expect(run(0, 4)).toBe(100 + 7 + 11 + 1);
    expect(de.deopts).toBe(1);
    expect(de.flag[0]).toBe(0);
    de.flag[1 + 2] = 0;
    expect(run(0, 4)).toBe(119);
    expect(de.deopts).toBe(1);
  });

  test('the flag array has one word per function after the global one, all clear (stress mode: all set)', () => {
    const module = load();
    expect([...compiled(module, true).de.flag]).toEqual([0, 0, 0, 0, 0]);
    const c = compile(module, { sourceMap: false, checkpoints: true });
    const stress = new DeoptEntry(c.frameMaps!, instantiate(module, {}), 3).flag;
    expect([...stress]).toEqual([1, 1, 1, 1, 1]);
    expect(stress.armed).toBe(1);
  });
});
