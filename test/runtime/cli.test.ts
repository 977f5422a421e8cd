/**
 * The `wasmflip` CLI in-process (runCli with a captured CliIO): how results
 * print (i64, -0, inf, NaN bit patterns), how arguments parse, and that
 * every error class ends in one stderr line with the right exit code and no
 * stack trace; plus `spectest --json`'s exact shape.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../runtime/cli/main.js';
import type { CliIO } from '../../runtime/cli/command.js';
import { INVALID_MODULE, makeSuite, wat } from './wat.js';

const root = resolve(import.meta.dirname, '..', '..');

interface Transcript { code: number; out: string; err: string }

/** Runs the CLI with files served from `files` (then the real file system). */
async function cli(argv: string[], files: Record<string, Uint8Array> = {}, env: Record<string, string> = {}): Promise<Transcript> {
  let out = '', err = '';
  const io: CliIO = {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    readFile: (p) => files[p] ?? new Uint8Array(readFileSync(resolve(root, p))),
    env,
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const VALUES = wat(`(module
  (func (export "i64") (param i64) (result i64) (local.get 0))
  (func (export "i32") (param i32) (result i32) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0))
  (func (export "many") (result i32 i64 f32 f64) (i32.const -7) (i64.const -9223372036854775808) (f32.const 0.1) (f64.const -0))
  (func (export "nans") (result f32 f64) (f32.const nan) (f64.const -nan))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $loop (export "loop") (result i32) (call $loop))
)`);

const run = (fn: string, ...args: string[]) => cli(['run', 'v.wasm', '--invoke', fn, ...args], { 'v.wasm': VALUES });

/** One line on stderr, no JavaScript stack frame. */
function oneLine(t: Transcript): string {
  expect(t.err.endsWith('\n')).toBe(true);
  expect(t.err.trimEnd().split('\n')).toHaveLength(1);
  expect(t.err).not.toMatch(/\n\s+at /);
  return t.err.trimEnd();
}

describe('wasmflip run: results', () => {
  it('runs the bundled examples (the README\'s is fib 30; 20 keeps the test fast)', async () => {
    expect(await cli(['run', 'examples/fib.wasm', '--invoke', 'fib', '20'])).toEqual({ code: 0, out: '6765\n', err: '' });
    expect((await cli(['run', 'examples/fib.wasm', '--invoke', 'fib64', '90'])).out).toBe('2880067194370816120\n');
    expect((await cli(['run', 'examples/checksum.wasm', '--invoke', 'fill', '1000', '7'])).out).toBe('1000\n');
    expect((await cli(['run', 'examples/checksum.wasm', '--invoke', 'mean', '0'])).out).toBe('nan:0x7ff8000000000000\n');
  });

  it('prints each result on its own line, signed, with -0 and the shortest float that reads back', async () => {
    expect((await run('many')).out).toBe('-7\n-9223372036854775808\n0.1\n-0\n');
  });

  it('prints NaNs with their bit pattern and sign', async () => {
    expect((await run('nans')).out).toBe('nan:0x7fc00000\n-nan:0x7ff8000000000000\n');
    // A signalling f32 NaN keeps its bits in the interpreter; compiled code holds f32 in JS numbers, which quiet it.
    expect((await run('f32', 'nan:0x200001', '--mode', 'debug')).out).toBe('nan:0x7fa00001\n');
    expect((await run('f32', 'nan:0x200001', '--mode', 'native')).out).toBe('nan:0x7fe00001\n');
    expect((await run('f64', '-nan:0x4')).out).toBe('-nan:0x7ff0000000000004\n');
  });

  it('parses integers in decimal, negative, hex and the unsigned range; i64 exactly', async () => {
    expect((await run('i32', '0xffffffff')).out).toBe('-1\n');
    expect((await run('i32', '-2147483648')).out).toBe('-2147483648\n');
    expect((await run('i64', '18446744073709551615')).out).toBe('-1\n');
    expect((await run('i64', '9007199254740993')).out).toBe('9007199254740993\n');
  });

  it('parses floats: decimals, -0, inf', async () => {
    expect((await run('f64', '-0')).out).toBe('-0\n');
    expect((await run('f32', '-inf')).out).toBe('-inf\n');
    expect((await run('f32', '3.4028234663852886e38')).out).toBe('3.4028235e+38\n');
    expect((await run('f64', '1e-300')).out).toBe('1e-300\n');
  });
});

describe('wasmflip run: errors are one line and an exit code', () => {
  it('a malformed module: 1, with the offset', async () => {
    const t = await cli(['run', 'bad.wasm', '--invoke', 'f'], { 'bad.wasm': new Uint8Array([1, 2, 3, 4]) });
    expect(t.code).toBe(1);
    expect(oneLine(t)).toMatch(/^wasmflip run: bad\.wasm: malformed module: magic header not detected \(at offset 0x0\)$/);
  });

  it('an invalid module: 1, with the function and offset', async () => {
    const t = await cli(['run', 'bad.wasm', '--invoke', 'f'], { 'bad.wasm': INVALID_MODULE });
    expect(t.code).toBe(1);
    expect(oneLine(t)).toMatch(/invalid module: type mismatch \(in func 0, at offset 0x[0-9a-f]+\)/);
  });

  it('a trap: 1, naming the trap and the export', async () => {
    const t = await run('div', '1', '0');
    expect(t.code).toBe(1);
    expect(oneLine(t)).toMatch(/^wasmflip run: trap: integer divide by zero \(in func 6.*\) \(calling "div"\)$/);
  });

  it('call-stack exhaustion: a trap, not a crash', async () => {
    const t = await run('loop');
    expect(t.code).toBe(1);
    expect(oneLine(t)).toMatch(/trap: call stack exhausted/);
  });

  it('an unknown import: 1, a link error naming it', async () => {
    const t = await cli(['run', 'imp.wasm', '--invoke', 'f'], { 'imp.wasm': wat('(module (import "env" "g" (func)) (func (export "f")))') });
    expect(t.code).toBe(1);
    expect(oneLine(t)).toMatch(/link error: unknown import .*"env"\."g"/);
  });

  it('a missing export, a wrong argument count or format: 2', async () => {
    for (const [t, re] of [
      [await run('nope'), /no exported function "nope" \(exported functions: i64, i32, /],
      [await run('div', '1'), /"div" takes 2 arguments \(i32, i32\), got 1/],
      [await run('i32', '12x'), /"12x" is not a valid i32/],
      [await run('i32', '4294967296'), /out of range for i32/],
      [await run('f64', 'abc'), /not a valid f64/],
    ] as const) {
      expect(t.code).toBe(2);
      expect(oneLine(t)).toMatch(re);
    }
  });

  it('a missing file: 1; every mode, level and preset agrees; an unknown one: 2, saying so', async () => {
    const missing = await cli(['run', 'no/such.wasm', '--invoke', 'f']);
    expect(missing.code).toBe(1);
    expect(oneLine(missing)).toMatch(/cannot read no\/such\.wasm: ENOENT/);
    expect((await run('i32', '5', '--mode', 'native')).out).toBe('5\n');
    expect((await run('i32', '5', '--mode', 'debug')).out).toBe('5\n');
    expect((await run('i32', '5', '--mode', 'native-debug')).out).toBe('5\n');
    for (const level of ['static', 'inspection', 'control', 'eval', 'modify']) expect((await run('i32', '7', '--level', level)).out).toBe('7\n');
    for (const preset of ['minimal', 'production', 'development', 'embedded']) expect((await run('i32', '8', '--preset', preset)).out).toBe('8\n');
    const bad = await run('i32', '1', '--mode', 'turbo');
    expect(bad.code).toBe(2);
    expect(oneLine(bad)).toMatch(/unknown mode "turbo" \(modes: native, native-debug, debug\)/);
    const level = await run('i32', '1', '--level', 'max');
    expect(level.code).toBe(2);
    expect(oneLine(level)).toMatch(/unknown level "max"/);
  });
});

describe('wasmflip', () => {
  it('lists its commands with --help', async () => {
    const t = await cli(['--help']);
    expect(t.code).toBe(0);
    for (const c of ['run', 'spectest']) expect(t.out).toMatch(new RegExp(`^  ${c}\\s`, 'm'));
  });

  it('rejects an unknown command or option with exit code 2', async () => {
    const t = await cli(['frobnicate']);
    expect(t.code).toBe(2);
    expect(oneLine(t)).toMatch(/unknown command "frobnicate"/);
    const u = await cli(['run', 'x.wasm', '--frob']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^wasmflip run: unknown option --frob\nusage: wasmflip run/);
  });

  it('reports an internal error as one line and exit code 70', async () => {
    let err = '';
    const io: CliIO = { out: () => { throw new TypeError('stdout is gone'); }, err: (t) => { err += t; }, readFile: () => new Uint8Array(), env: {} };
    expect(await runCli(['--help'], io)).toBe(70);
    expect(err).toBe('wasmflip: internal error: TypeError: stdout is gone\n');
  });
});

describe('wasmflip spectest', () => {
  const suite = makeSuite('mini', [
    { type: 'module', module: '(module (func (export "one") (result i32) (i32.const 1)))' },
    { type: 'assert_return', action: { type: 'invoke', field: 'one', args: [] }, expected: [{ type: 'i32', value: '1' }] },
    { type: 'assert_return', action: { type: 'invoke', field: 'one', args: [] }, expected: [{ type: 'i32', value: '2' }] },
    { type: 'assert_malformed', module: '(module)', module_type: 'text', text: 'unexpected token' },
  ]);

  it('--json prints exactly one JSON object of the documented shape, and fails on a failure', async () => {
    const t = await cli(['spectest', suite, '--json']);
    expect(t.code).toBe(1);
    expect(JSON.parse(t.out)).toEqual({ passed: 2, failed: 1, skipped: 1, files: { mini: { passed: 2, failed: 1, skipped: 1 } } });
    expect(t.out.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints per-file and per-type counts, the failure with file:line, and the totals line last', async () => {
    const t = await cli(['spectest', '--verbose'], {}, { WASMFLIP_SPECTEST: suite });
    const lines = t.out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 1 failed, 1 skipped');
    expect(t.out).toMatch(/^mini\s+2 passed\s+1 failed\s+1 skipped/m);
    expect(t.out).toMatch(/^\s+assert_return\s+1 passed\s+1 failed\s+0 skipped/m);
    expect(t.out).toContain('mini:3 assert_return: result 0: expected i32:2, got i32:1');
  });

  it('exits 0 when nothing fails, 2 for a missing folder or an unknown engine', async () => {
    const ok = await cli(['spectest', suite, '--only', 'nothing*']);
    expect(ok.code).toBe(2);
    expect((await cli(['spectest', join(suite, 'absent')])).code).toBe(2);
    const eng = await cli(['spectest', suite, '--engine', 'warp']);
    expect(eng.code).toBe(2);
    expect(oneLine(eng)).toMatch(/unknown engine "warp" \(engines: interp/);
    const pass = makeSuite('fine', [{ type: 'module', module: '(module)' }]);
    expect((await cli(['spectest', pass, '--json'])).code).toBe(0);
  });
});
