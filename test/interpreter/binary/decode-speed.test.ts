/**
 * Decoding and validating a large module stays fast: a synthetic 5 MB module
 * of typical compiled code (locals, loads and stores, arithmetic, loops with
 * br_if, calls). The bound is generous so the test is not flaky on a busy
 * machine; the measured time is printed.
 */
import { describe, expect, it } from 'vitest';
import { decode, validate } from '../../../interpreter/index.js';
import { SEC, T, codeEntry, funcType, module, section, sleb, uleb, vec } from '../../helpers/wasm-builder.js';

/** One function body of (i32, i32) -> i32: a loop summing loads, with a call. */
function body(callee: number): number[] {
  const inner = [
    0x20, 0, 0x28, 2, 0, // local.get 0; i32.load
    0x20, 2, 0x6a, 0x21, 2, // local.get 2; i32.add; local.set 2
    0x20, 0, 0x41, 4, 0x6a, 0x22, 0, // p += 4 (local.tee 0)
    0x20, 1, 0x49, 0x0d, 0, // local.get 1; i32.lt_u; br_if 0
  ];
  const loop = [0x03, 0x40, ...inner, ...inner, ...inner, 0x0b];
  const tail = [
    0x20, 2, 0x41, ...sleb(-7), 0x6c, 0x21, 2, // local.get 2; i32.const -7; i32.mul; local.set 2
    0x20, 0, 0x20, 2, 0x36, 2, 8, // i32.store offset=8
    0x20, 2, 0x20, 1, 0x10, ...uleb(callee), // call
    0x0b,
  ];
  return [...loop, ...loop, ...tail];
}

function bigModule(targetBytes: number): Uint8Array {
  // Entries differ only in the callee; build a few and repeat them by copying.
  const protos = Array.from({ length: 100 }, (_, i) => Uint8Array.from(codeEntry([[1, T.i32], [2, T.i64]], body(i))));
  const size = protos[0]!.length; // callees < 128 encode in one byte, so all entries have one size
  const count = Math.ceil(targetBytes / size);
  const code = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) code.set(protos[i % protos.length]!, i * size);
  const head = module(
    section(SEC.type, vec([funcType([T.i32, T.i32], [T.i32])])),
    section(SEC.function, [...uleb(count), ...new Array<number>(count).fill(0)]),
    section(SEC.memory, vec([[0, 1]])),
  );
  const codeHeader = [SEC.code, ...uleb(uleb(count).length + code.length), ...uleb(count)];
  const bytes = new Uint8Array(head.length + codeHeader.length + code.length);
  bytes.set(head, 0);
  bytes.set(codeHeader, head.length);
  bytes.set(code, head.length + codeHeader.length);
  return bytes;
}

describe('decode + validate speed', () => {
  it('decodes and validates a 5 MB module without super-linear cost (time printed)', async () => {
    const bytes = bigModule(5 * 1024 * 1024);
    if (process.env['WRITE_BIG']) (await import('node:fs')).writeFileSync(process.env['WRITE_BIG'], bytes);
    const t0 = performance.now();
    const m = decode(bytes);
    const t1 = performance.now();
    validate(m);
    const t2 = performance.now();
    const instrs = m.funcs.reduce((n, f) => n + f.body.length, 0);
    console.log(
      `${(bytes.length / 1e6).toFixed(1)} MB, ${m.funcs.length} funcs, ${instrs} instructions: ` +
        `decode ${(t1 - t0).toFixed(0)} ms, validate ${(t2 - t1).toFixed(0)} ms`,
    );
    expect(m.funcs[0]!.heights).toBeDefined();
    // Only catches gross regressions (e.g. quadratic work); a loaded CI machine can be several times slower.
    expect(t2 - t0).toBeLessThan(5000);
  });
});
