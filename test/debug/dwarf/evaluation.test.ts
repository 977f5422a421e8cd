/**
 * The resumable location-expression evaluator: it asks for Wasm locals,
 * globals, operand-stack slots, memory and the frame base, and resumes with
 * the caller's answer (DW_OP_WASM_location kinds 0–3 as clang encodes them).
 */

import { describe, expect, it } from 'vitest';
import { DwarfError, Evaluation, evaluateLocation, formatExpression } from '../../../debug/dwarf/index.js';

const run = (bytes: number[]) => new Evaluation(Uint8Array.from(bytes));

describe('Evaluation', () => {
  it('asks for a Wasm local (kind 0) and yields its value with DW_OP_stack_value', () => {
    const ev = run([0xed, 0x00, 0x02, 0x9f]);
    expect(ev.evaluate()).toEqual({ kind: 'needs-wasm-local', index: 2 });
    expect(ev.resume(7)).toEqual({ kind: 'complete', pieces: [{ location: { kind: 'value', value: 7n } }] });
  });

  it('asks for a global by ULEB index (kind 1) and by fixed u32 index (kind 3)', () => {
    expect(run([0xed, 0x01, 0x85, 0x01, 0x9f]).evaluate()).toEqual({ kind: 'needs-wasm-global', index: 133 });
    expect(run([0xed, 0x03, 0x04, 0x01, 0x00, 0x00, 0x9f]).evaluate()).toEqual({ kind: 'needs-wasm-global', index: 260 });
  });

  it('asks for an operand-stack slot (kind 2) and applies arithmetic before DW_OP_stack_value', () => {
    const ev = run([0xed, 0x02, 0x01, 0x32, 0x1c, 0x9f]); // stack[1], lit2, minus
    expect(ev.evaluate()).toEqual({ kind: 'needs-wasm-stack', index: 1 });
    expect(ev.resume(10)).toEqual({ kind: 'complete', pieces: [{ location: { kind: 'value', value: 8n } }] });
  });

  it('computes DW_OP_fbreg from the frame base the caller supplies', () => {
    const ev = run([0x91, 0x78]); // fbreg -8
    expect(ev.evaluate()).toEqual({ kind: 'needs-frame-base' });
    expect(ev.resume(1000)).toEqual({ kind: 'complete', pieces: [{ location: { kind: 'memory', address: 992n } }] });
  });

  it('asks for memory on DW_OP_deref and continues with the loaded value', () => {
    const ev = run([0x03, 0x00, 0x04, 0x00, 0x00, 0x06, 0x23, 0x04]); // addr 0x400, deref, plus_uconst 4
    expect(ev.evaluate()).toEqual({ kind: 'needs-memory', address: 0x400n, size: 4 });
    expect(ev.resume(0x2000)).toEqual({ kind: 'complete', pieces: [{ location: { kind: 'memory', address: 0x2004n } }] });
  });

  it('splits a value into pieces with DW_OP_piece, a lone WASM_location naming the slot', () => {
    const r = run([0xed, 0x00, 0x00, 0x93, 0x04, 0xed, 0x00, 0x01, 0x93, 0x04]).evaluate();
    expect(r).toEqual({ kind: 'complete', pieces: [
      { sizeInBits: 32, location: { kind: 'wasm', location: { kind: 'local', index: 0 } } },
      { sizeInBits: 32, location: { kind: 'wasm', location: { kind: 'local', index: 1 } } },
    ] });
  });

  it('evaluates constants, signed comparisons and branches', () => {
    // consts -1, lit0, lt, bra +1, lit5 (skipped), lit7, stack_value
    expect(run([0x11, 0x7f, 0x30, 0x2d, 0x28, 0x01, 0x00, 0x35, 0x37, 0x9f]).evaluate())
      .toEqual({ kind: 'complete', pieces: [{ location: { kind: 'value', value: 7n } }] });
  });

  it.each([
    ['an endless DW_OP_skip loop', [0x2f, 0xfd, 0xff]],
    ['an unknown opcode', [0xff]],
    ['popping an empty stack', [0x22]],
    ['a truncated operand', [0x0c, 0x01]],
    ['a machine register', [0x70, 0x00]],
  ])('raises DwarfError on %s', (_what, bytes) => {
    expect(() => run(bytes).evaluate()).toThrow(DwarfError);
  });

  it('prints expressions as llvm-dwarfdump does', () => {
    expect(formatExpression(Uint8Array.from([0xed, 0x03, 0, 0, 0, 0, 0x9f]))).toBe('DW_OP_WASM_location 0x3 0x0, DW_OP_stack_value');
    expect(formatExpression(Uint8Array.from([0x91, 0x08, 0x11, 0x00, 0x32]))).toBe('DW_OP_fbreg +8, DW_OP_consts +0, DW_OP_lit2');
  });
});

describe('DW_OP_entry_value', () => {
  // DW_OP_entry_value(DW_OP_WASM_location 0x0 0x1), DW_OP_lit1, DW_OP_plus, DW_OP_stack_value: clang's "parameter + 1 at entry".
  const expr = Uint8Array.from([0xa3, 0x03, 0xed, 0x00, 0x01, 0x31, 0x22, 0x9f]);

  it('asks the caller for the entry value when asked to, and continues with it', () => {
    const ev = new Evaluation(expr, { entryValues: 'ask' });
    const r = ev.evaluate();
    expect(r.kind === 'needs-entry-value' && formatExpression(r.expr)).toBe('DW_OP_WASM_location 0x0 0x1');
    expect(ev.resume(41)).toEqual({ kind: 'complete', pieces: [{ location: { kind: 'value', value: 42n } }] });
  });

  it('reports the piece as optimized out (empty) when the caller cannot tell, or by default', () => {
    const ev = new Evaluation(expr, { entryValues: 'ask' });
    ev.evaluate();
    const optimizedOut = { kind: 'complete', pieces: [{ location: { kind: 'empty' } }] };
    expect(ev.unavailable()).toEqual(optimizedOut);
    expect(new Evaluation(expr).evaluate()).toEqual(optimizedOut);
    expect(() => new Evaluation(expr).unavailable()).toThrow(DwarfError);
  });

  it('answers through evaluateLocation: a value from entryValue(), else optimized out; other pieces keep theirs', () => {
    expect(evaluateLocation(expr, { entryValue: () => 9 })).toEqual([{ location: { kind: 'value', value: 10n } }]);
    expect(evaluateLocation(expr, { entryValue: () => undefined })).toEqual([{ location: { kind: 'empty' } }]);
    // piece 1: the entry value (unknown), piece 2: local 0 itself
    const twoPieces = Uint8Array.from([...expr, 0x93, 0x04, 0xed, 0x00, 0x00, 0x93, 0x04]);
    expect(evaluateLocation(twoPieces, {})).toEqual([
      { sizeInBits: 32, location: { kind: 'empty' } },
      { sizeInBits: 32, location: { kind: 'wasm', location: { kind: 'local', index: 0 } } },
    ]);
  });
});
