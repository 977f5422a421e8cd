/**
 * The frame-map format and the decoder on a hand-built module: which
 * checkpoints exist, where each value sits in a capture, i64 halves, callers
 * paused at a call, result delivery through a rebuilt caller, and errors.
 */
import { describe, expect, test } from 'vitest';
import { decode, instantiate, validate, type Instance, type Module } from '../../interpreter/index.js';
import {
  buildFrameMaps, checkpointIdsOf, checkpointOf, deoptAndResume, deoptFrames, encodeFrame, frameMapSize,
  i64FromHalves, type FrameMaps,
} from '../../deopt/index.js';
import { funcsModule, sleb, T } from '../helpers/wasm-builder.js';

// f0 (param i64 f32) (result i64 i32) (local f64):
//   i32.const 5  loop  local.get 0  i32.const 7  call 1  drop drop  end  drop
//   local.get 0  i32.const 9  call 1  end
// f1 (param i64 i32) (result i64 i32): local.get 0  local.get 1  end
// f2: end
const bytes = funcsModule([
  {
    type: [[T.i64, T.f32], [T.i64, T.i32]],
    locals: [[1, T.f64]],
    body: [0x41, ...sleb(5), 0x03, 0x40, 0x20, 0, 0x41, ...sleb(7), 0x10, 1, 0x1a, 0x1a, 0x0b, 0x1a,
      0x20, 0, 0x41, ...sleb(9), 0x10, 1, 0x0b],
  },
  { type: [[T.i64, T.i32], [T.i64, T.i32]], body: [0x20, 0, 0x20, 1, 0x0b] },
  { type: [[], []], body: [0x0b] },
]);

function setup(): { module: Module; instance: Instance; maps: FrameMaps } {
  const module = decode(bytes);
  validate(module);
  return { module, instance: instantiate(module, {}), maps: buildFrameMaps(module) };
}

describe('frame maps built from validation data', () => {
  test('function entry, loop header and after-call checkpoints carry the live stack types', () => {
    const { maps } = setup();
    const f0 = checkpointIdsOf(maps, 0).map((id) => checkpointOf(maps, id));
    expect(f0.map((c) => c.kind)).toEqual(['entry', 'loop', 'after-call', 'after-call']);
    expect(f0.map((c) => c.stack.map((s) => s.conv).join(''))).toEqual(['', 'i', 'iji', 'ji']);
    expect(f0.map((c) => c.results)).toEqual([0, 0, 2, 2]);
    expect(maps.funcs[0]!.locals).toBe('jfd');
    expect(checkpointIdsOf(maps, 1).map((id) => checkpointOf(maps, id).kind)).toEqual(['entry']);
  });

  test('capture positions follow the layout order: locals, then stack bottom first, an i64 taking two', () => {
    const { maps } = setup();
    const cp = checkpointOf(maps, checkpointIdsOf(maps, 0)[2]!);
    expect(cp.locals.map((s) => s.at)).toEqual([0, 2, 3]);
    expect(cp.stack.map((s) => [s.location.kind, s.location.index, s.at])).toEqual([['stack', 0, 4], ['stack', 1, 5], ['stack', 2, 7]]);
    expect(cp.width).toBe(8);
    expect(cp.pausedWidth).toBe(5);
    expect(cp.call).toBeLessThan(cp.resume);
  });

  test('maps survive JSON unchanged and are measured per checkpoint and per KB', () => {
    const { module, maps } = setup();
    expect(JSON.parse(JSON.stringify(maps))).toEqual(maps);
    const size = frameMapSize(maps, module);
    expect(size.checkpoints).toBe(6);
    expect(size.bytesPerCheckpoint).toBeCloseTo(JSON.stringify(maps).length / 6);
    expect(size.codeBytes).toBe(module.funcs.reduce((n, f) => n + f.endOffset - f.entryOffset, 0));
  });

  test('trap sites are opt-in', () => {
    const divs = funcsModule([{ type: [[T.i32], [T.i32]], body: [0x20, 0, 0x41, ...sleb(3), 0x6d, 0x0b] }]);
    const module = decode(divs);
    validate(module);
    expect(buildFrameMaps(module).count).toBe(1);
    const withTraps = buildFrameMaps(module, { trapSites: true });
    const kinds = checkpointIdsOf(withTraps, 0).map((id) => checkpointOf(withTraps, id));
    expect(kinds.map((c) => [c.kind, c.stack.length])).toEqual([['entry', 0], ['trap-site', 2]]);
  });
});

describe('deoptFrames', () => {
  test('i64 halves, f32 NaN and -0 decode to the canonical values they encode', () => {
    const { instance, maps } = setup();
    const cp = checkpointOf(maps, checkpointIdsOf(maps, 0)[1]!);
    for (const x of [0n, -1n, (1n << 63n) - 1n, -(1n << 63n), 0x1234_5678_9abc_def0n]) {
      const frame = { instance, funcIndex: 0, pc: cp.resume, locals: [x, NaN, -0], stack: [-7] };
      const capture = encodeFrame(cp, frame, false);
      expect(capture.values.slice(0, 2).every((v) => Number.isInteger(v) && (v as number) === ((v as number) | 0))).toBe(true);
      expect(deoptFrames(maps, [capture], instance)).toEqual([frame]);
    }
    expect(i64FromHalves(-1, 0x7fffffff)).toBe((1n << 63n) - 1n);
  });

  test('a caller paused at a call stands at the call with the stack below its arguments', () => {
    const { instance, maps } = setup();
    const [, , call1] = checkpointIdsOf(maps, 0).map((id) => checkpointOf(maps, id));
    const entry1 = checkpointOf(maps, checkpointIdsOf(maps, 1)[0]!);
    const inner = encodeFrame(entry1, { instance, funcIndex: 1, pc: entry1.resume, locals: [3n, 7], stack: [] }, false);
    const outer = { id: call1!.id, values: [3, 0, 1.5, 0, 5] };
    const frames = deoptFrames(maps, [inner, outer], instance);
    expect(frames.map((f) => [f.funcIndex, f.pc, f.stack])).toEqual([[0, call1!.call, [5]], [1, entry1.resume, []]]);
    expect(frames[0]!.locals).toEqual([3n, 1.5, 0]);
  });

  test('the innermost frame runs first and returns its results into the rebuilt caller', () => {
    const { instance, maps } = setup();
    const ids0 = checkpointIdsOf(maps, 0);
    const call2 = checkpointOf(maps, ids0[3]!);
    const entry1 = checkpointOf(maps, checkpointIdsOf(maps, 1)[0]!);
    const x = -(1n << 40n) - 3n;
    const inner = encodeFrame(entry1, { instance, funcIndex: 1, pc: entry1.resume, locals: [x, 42], stack: [] }, false);
    const outer = encodeFrame(call2, { instance, funcIndex: 0, pc: call2.call!, locals: [x, 0, 0], stack: [] }, true);
    expect(deoptAndResume(maps, [inner, outer], instance)).toEqual([x, 42]);
  });

  test('bad captures are refused with what and where', () => {
    const { instance, maps } = setup();
    const ids0 = checkpointIdsOf(maps, 0);
    expect(() => deoptFrames(maps, [], instance)).toThrow('no captured frames');
    expect(() => deoptFrames(maps, [{ id: 99, values: [] }], instance)).toThrow('unknown checkpoint id 99');
    expect(() => deoptFrames(maps, [{ id: ids0[1]!, values: [1] }], instance)).toThrow(/expects 5 values, the capture has 1 \(at offset 0x[0-9a-f]+\)/);
    // A loop header cannot hold a caller: only after-call checkpoints can.
    const entry1 = checkpointIdsOf(maps, 1)[0]!;
    expect(() => deoptFrames(maps, [{ id: entry1, values: [0, 0, 0] }, { id: ids0[1]!, values: [0, 0, 0, 0, 0] }], instance)).toThrow('cannot hold a caller paused at a call');
    // The call in f0 expects two results; f2 returns none, so it cannot be that call's callee.
    const entry2 = checkpointIdsOf(maps, 2)[0]!;
    expect(() => deoptFrames(maps, [{ id: entry2, values: [] }, { id: ids0[2]!, values: [0, 0, 0, 0, 5] }], instance))
      .toThrow(/function 2 returns 0 values into a call of 2 results in function 0 \(at offset 0x[0-9a-f]+\)/);
  });
});
