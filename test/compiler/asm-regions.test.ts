/**
 * asm.js regions (compiler/asm): f32 loops run as asm.js in native mode.
 * Checked against V8's own WebAssembly on the same inputs: results and every
 * byte of memory, at aligned and misaligned addresses; traps raised inside a
 * region carry the interpreter's message and offset; the JavaScript behind a
 * region runs when memory's size cannot be an asm.js heap; growth relinks;
 * and V8 never warns that the asm.js is invalid or failed to link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { isAsmHeapSize } from '../../compiler/asm/index.js';
import { instantiateSync } from '../../runtime/index.js';
import { wat } from '../runtime/wat.js';

// The project's lib settings (ES2023, no DOM) do not declare WebAssembly; this is the part used.
interface HostWasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  RuntimeError: new () => Error;
}
const host = (globalThis as unknown as { WebAssembly: HostWasm }).WebAssembly;

const addr = (shift: number, offset = ''): string => `${offset} (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const ${shift})))`;

/** An f32/f64/i32 loop touching most of what regions translate; `$n` iterations over data at `$base`. */
const KERNEL = `
(module
  (memory (export "mem") PAGES)
  (func (export "kernel") (param $base i32) (param $n i32) (result f32)
    (local $i i32) (local $acc f32) (local $x f32) (local $d f64) (local $k i32) (local $h i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $x (f32.mul (f32.load ${addr(2)}) (f32.load ${addr(2, 'offset=256')})))
        (local.set $x (f32.sub (local.get $x) (f32.const 0.5)))
        (local.set $x (f32.add (local.get $x) (f32.sqrt (f32.abs (local.get $x)))))
        (local.set $x (f32.div (local.get $x) (f32.add (f32.const 1.25) (f32.abs (local.get $x)))))
        (local.set $x (select (f32.neg (local.get $x)) (f32.ceil (local.get $x)) (f32.lt (local.get $x) (f32.const 0))))
        (local.set $x (f32.add (local.get $x) (f32.floor (f32.mul (local.get $x) (f32.const 3.5)))))
        (local.set $d (f64.add (f64.promote_f32 (local.get $x)) (f64.convert_i32_s (local.get $i))))
        (local.set $d (f64.mul (local.get $d) (f64.sqrt (f64.convert_i32_u (i32.add (local.get $i) (i32.const 1))))))
        (local.set $d (f64.add (local.get $d) (f64.floor (f64.neg (f64.div (local.get $d) (f64.const 7.25))))))
        (local.set $x (f32.add (local.get $x) (f32.demote_f64 (f64.ceil (local.get $d)))))
        (local.set $x (f32.add (local.get $x) (f32.convert_i32_s (i32.div_s (i32.trunc_f32_s (local.get $x)) (i32.const -3)))))
        (local.set $k (i32.rem_u (i32.trunc_f64_u (f64.abs (local.get $d))) (i32.const 7)))
        (local.set $h (i32.xor (i32.rotl (local.get $h) (i32.const 5)) (i32.add (local.get $k) (i32.trunc_f32_u (f32.abs (local.get $x))))))
        (local.set $h (i32.add (local.get $h) (i32.rotr (i32.clz (local.get $h)) (local.get $k))))
        (local.set $h (i32.sub (local.get $h) (i32.extend8_s (i32.shr_u (local.get $h) (i32.const 3)))))
        (local.set $h (i32.add (local.get $h) (i32.extend16_s (i32.rem_s (local.get $h) (i32.const 1000)))))
        (local.set $h (i32.add (local.get $h) (i32.div_u (local.get $h) (i32.const 13))))
        (local.set $h (i32.add (local.get $h) (i32.add (i32.lt_u (local.get $h) (local.get $k)) (i32.ge_s (local.get $h) (i32.const 0)))))
        (local.set $h (i32.add (local.get $h) (i32.add (i32.eqz (local.get $k)) (f64.gt (local.get $d) (f64.const 10)))))
        (block $b2 (block $b1 (block $b0
          (br_table $b0 $b1 $b2 $b1 (local.get $k)))
          (local.set $x (f32.mul (local.get $x) (f32.const 0.75))) (br $b2))
          (local.set $x (f32.add (local.get $x) (f32.const 1.0))))
        (local.set $x (if (result f32) (i32.and (local.get $i) (i32.const 1))
          (then (f32.mul (local.get $x) (f32.const -1))) (else (local.get $x))))
        (f32.store ${addr(2, 'offset=512')} (local.get $x))
        (i32.store8 offset=1024 (i32.add (local.get $base) (local.get $i)) (i32.trunc_f32_s (f32.floor (local.get $x))))
        (i32.store16 ${addr(1, 'offset=1200')} (local.get $h))
        (i32.store ${addr(2, 'offset=1400')} (local.get $h))
        (f64.store ${addr(3, 'offset=2048')} (local.get $d))
        (local.set $acc (f32.add (local.get $acc) (local.get $x)))
        (local.set $acc (f32.add (local.get $acc) (f32.convert_i32_u (i32.load8_u offset=1024 (i32.add (local.get $base) (local.get $i))))))
        (local.set $acc (f32.add (local.get $acc) (f32.convert_i32_s (i32.load8_s offset=1024 (i32.add (local.get $base) (local.get $i))))))
        (local.set $acc (f32.add (local.get $acc) (f32.convert_i32_s (i32.load16_s ${addr(1, 'offset=1200')}))))
        (local.set $acc (f32.add (local.get $acc) (f32.convert_i32_u (i32.load16_u ${addr(1, 'offset=1200')}))))
        (local.set $acc (f32.add (local.get $acc) (f32.convert_i32_s (i32.load ${addr(2, 'offset=1400')}))))
        (local.set $acc (f32.add (local.get $acc) (f32.demote_f64 (f64.load ${addr(3, 'offset=2048')}))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (f32.add (local.get $acc) (f32.convert_i32_s (local.get $h))))
  (func (export "divide") (param $n i32) (param $by i32) (result f32)
    (local $i i32) (local $acc f32)
    (loop $next
      (local.set $acc (f32.add (local.get $acc) (f32.convert_i32_s (i32.div_s (local.get $n) (local.get $by)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_s (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "convert") (param $x f32) (result i32)
    (local $i i32) (local $s i32)
    (loop $next
      (local.set $s (i32.add (local.get $s) (i32.trunc_f32_s (f32.mul (local.get $x) (f32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_s (local.get $i) (i32.const 3))))
    (local.get $s))
  (func (export "stop") (param $n i32) (result f32)
    (local $x f32)
    (loop $next
      (local.set $x (f32.add (local.get $x) (f32.const 1)))
      (if (f32.ge (local.get $x) (f32.convert_i32_s (local.get $n))) (then unreachable))
      (br $next))
    (local.get $x))
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n))))`;

const kernel = (pages: number): Uint8Array => wat(KERNEL.replace('PAGES', String(pages)));

type Exports = Record<string, unknown> & { mem: { buffer: ArrayBuffer } };
type Call = (...args: number[]) => number;

/**
 * Deterministic input for the first 4 KiB: bytes from 0x3c-0x3f and
 * 0xbc-0xbf, so that a float read at any alignment is finite, of either
 * sign, between 2^-7 and 2 in size (no NaN reaches a conversion).
 */
function fill(buffer: ArrayBuffer): void {
  const b = new Uint8Array(buffer, 0, 4096);
  let s = 12345;
  for (let i = 0; i < b.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = 0x3c + ((s >>> 16) & 3) + ((s >>> 20) & 1) * 0x80;
  }
}

function native(bytes: Uint8Array): Exports {
  const ex = instantiateSync(bytes, {}, { mode: 'native' }).instance.exports as Exports;
  fill(ex.mem.buffer);
  return ex;
}

function v8(bytes: Uint8Array): Exports {
  const ex = new host.Instance(new host.Module(bytes), {}).exports as Exports;
  fill(ex.mem.buffer);
  return ex;
}

const same = (a: ArrayBuffer, b: ArrayBuffer): boolean => Buffer.from(a).equals(Buffer.from(b));

/** The error `f` throws. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a trap');
}

const warnings: string[] = [];
const onWarning = (w: Error): void => {
  warnings.push(w.message);
};
beforeAll(() => {
  process.on('warning', onWarning);
});
afterAll(async () => {
  await new Promise((r) => setImmediate(r)); // V8's messages arrive as warnings on a later tick
  process.off('warning', onWarning);
  expect(warnings.filter((w) => w.includes('asm.js'))).toEqual([]);
});

describe('asm.js regions', () => {
  it('compiles an f32 loop to an asm.js module, and only in native code', () => {
    const m = decode(kernel(1));
    validate(m);
    const js = compile(m, { sourceMap: false }).js;
    expect(js).toContain('"use asm"');
    for (const f of [0, 1, 2, 3]) expect(js).toContain(`function r${f}_0(`);
    expect(js).not.toContain('function r4_0('); // grow: no loop, no f32
    expect(compile(m, { sourceMap: false, checkpoints: true }).js).not.toContain('"use asm"');
  });

  it('computes what V8 computes, every result and byte of memory, at aligned and misaligned bases', () => {
    const ours = native(kernel(1)), theirs = v8(kernel(1));
    for (const [base, n] of [[0, 64], [1, 40], [2, 33], [6, 17], [0, 0]] as const) {
      expect((ours['kernel'] as Call)(base, n)).toBe((theirs['kernel'] as Call)(base, n));
      expect(same(ours.mem.buffer, theirs.mem.buffer)).toBe(true);
    }
  });

  it('runs the JavaScript instead when memory cannot be an asm.js heap, with the same results', () => {
    expect(isAsmHeapSize(3 * 65536)).toBe(false);
    expect(isAsmHeapSize(2 * 65536)).toBe(true);
    const ours = native(kernel(3)), theirs = v8(kernel(3));
    expect((ours['kernel'] as Call)(3, 50)).toBe((theirs['kernel'] as Call)(3, 50));
    expect(same(ours.mem.buffer, theirs.mem.buffer)).toBe(true);
  });

  it('follows memory growth: relinks to the new buffer, or falls back when its size cannot be a heap', () => {
    const ours = native(kernel(1)), theirs = v8(kernel(1));
    const k = (ex: Exports, base: number): number => (ex['kernel'] as Call)(base, 20);
    expect(k(ours, 0)).toBe(k(theirs, 0));
    for (const pages of [1, 1]) { // 2 pages (a heap), then 3 (not one)
      expect((ours['grow'] as Call)(pages)).toBe((theirs['grow'] as Call)(pages));
      // Inputs past the old end: reading them traps unless the region uses the new buffer.
      const top = ours.mem.buffer.byteLength - 4096;
      new Uint8Array(ours.mem.buffer).copyWithin(top, 0, 4096);
      new Uint8Array(theirs.mem.buffer).copyWithin(top, 0, 4096);
      expect(k(ours, top)).toBe(k(theirs, top));
      expect(same(ours.mem.buffer, theirs.mem.buffer)).toBe(true);
    }
  });

  it('traps out of bounds inside a region with the interpreter\'s message and offset, having written what V8 wrote', () => {
    const ours = native(kernel(1)), theirs = v8(kernel(1));
    const debug = instantiateSync(kernel(1), {}, { mode: 'debug' }).instance.exports as Exports;
    fill(debug.mem.buffer);
    const base = 65536 - 2052; // the f64 store at offset 2048 leaves memory in the first iteration, after four stores
    const e = thrown(() => (ours['kernel'] as Call)(base, 4));
    expect(e.message).toBe(thrown(() => (debug['kernel'] as Call)(base, 4)).message);
    expect(e.message).toMatch(/^out of bounds memory access \(in func 0, at offset 0x[0-9a-f]+\)/);
    expect(() => (theirs['kernel'] as Call)(base, 4)).toThrow(host.RuntimeError);
    expect(same(ours.mem.buffer, theirs.mem.buffer)).toBe(true);
  });

  it('raises division, conversion and unreachable traps as the interpreter does', () => {
    const ours = native(kernel(1));
    const debug = instantiateSync(kernel(1), {}, { mode: 'debug' }).instance.exports as Exports;
    const both = (name: string, ...args: number[]): void => {
      const e = thrown(() => (ours[name] as Call)(...args));
      expect(e.message).toBe(thrown(() => (debug[name] as Call)(...args)).message);
    };
    expect((ours['divide'] as Call)(10, 3)).toBe(30);
    both('divide', 10, 0);
    both('divide', -2147483648, -1);
    expect((ours['convert'] as Call)(1.75)).toBe(9);
    both('convert', 2e9);
    both('convert', NaN);
    both('convert', -1.5e9);
    both('stop', 5);
  });
});
