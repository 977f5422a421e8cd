/**
 * The CLI against a hostile user, in-process (runCli with captured IO):
 * every command with no arguments, wrong arguments, missing, empty,
 * truncated or random files and a LEB that never ends; modules with hostile
 * export names, non-function exports, missing imports, traps, deep
 * recursion, and WASI calls with bad pointers or no memory. Each must end in
 * one clear stderr line saying what and where, a non-zero exit code, and
 * never a JavaScript stack trace; plus a real process that Ctrl-C stops.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import binaryen from 'binaryen';
import { runCli } from '../../runtime/cli/main.js';
import type { CliIO } from '../../runtime/cli/command.js';
import { wat } from './wat.js';

const root = resolve(import.meta.dirname, '..', '..');

interface Transcript { code: number; out: string; err: string }

/** Runs the CLI with files served from `files`, then the project's folder. */
async function cli(argv: string[], files: Record<string, Uint8Array> = {}): Promise<Transcript> {
  let out = '', err = '';
  const io: CliIO = {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    readFile: (p) => files[p] ?? new Uint8Array(readFileSync(resolve(root, p))),
    env: { WASMFLIP_SPECTEST: join(tmpdir(), 'wasmflip-no-such-suite') },
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** The one stderr line (usage text after it allowed), with no stack frame and no raw control character. */
function failureLine(t: Transcript, code: number): string {
  expect(t.code).toBe(code);
  expect(t.err).not.toMatch(/\n\s+at /);
  expect(t.err).not.toMatch(/internal error/);
  const first = t.err.split('\n')[0]!;
  expect(first).toMatch(/^wasmflip \w+: \S/);
  expect(first).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  return first;
}

const FIB = readFileSync(resolve(root, 'examples/fib.wasm'));
const BAD_FILES: Record<string, Uint8Array> = {
  'empty.wasm': new Uint8Array(0),
  'truncated.wasm': FIB.subarray(0, 20),
  'random.wasm': Uint8Array.from({ length: 256 }, (_, i) => (i * 167 + 13) & 0xff),
  // A type section whose size is an unending LEB128.
  'huge-leb.wasm': Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, ...Array(12).fill(0xff), 1]),
};
const BAD_REASON: Record<string, RegExp> = {
  'empty.wasm': /unexpected end \(at offset 0x0\)/,
  'truncated.wasm': /unexpected end.*\(at offset 0x14\)/,
  'random.wasm': /magic header not detected \(at offset 0x0\)/,
  'huge-leb.wasm': /integer (too large|representation too long) \(at offset 0x[0-9a-f]+\)/,
};

/** The arguments that make each file-taking command read FILE. */
const FILE_COMMANDS: Record<string, (file: string) => string[]> = {
  run: (f) => ['run', f, '--invoke', 'fib', '1'],
  debug: (f) => ['debug', f, '--batch', 'b.gdb'],
  dwarf: (f) => ['dwarf', 'lines', f],
  addr2line: (f) => ['addr2line', f, '0x10'],
  compile: (f) => ['compile', f, '-o', join(tmpdir(), 'wasmflip-robustness-never-written.mjs')],
};

describe('every command, given nothing or nonsense', () => {
  it('with no arguments prints what is missing and the usage, exit 2 (spectest: its folder is missing)', async () => {
    for (const c of ['run', 'compile', 'debug', 'dwarf', 'addr2line']) {
      const t = await cli([c]);
      expect(failureLine(t, 2)).toMatch(/missing|need/);
      expect(t.err).toContain(`usage: wasmflip ${c}`);
    }
    expect(failureLine(await cli(['spectest']), 2)).toMatch(/spec suite folder not found/);
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/\nusage: wasmflip COMMAND \[ARGS\.\.\.\]\n/);
  });

  it('with an unknown option or a missing option value says which, exit 2', async () => {
    expect(failureLine(await cli(['run', 'examples/fib.wasm', '--fast']), 2)).toMatch(/unknown option --fast/);
    expect(failureLine(await cli(['run', 'examples/fib.wasm', '--invoke']), 2)).toMatch(/--invoke needs a value/);
    expect(failureLine(await cli(['debug', 'examples/fib.wasm', '--batch']), 2)).toMatch(/--batch needs a value/);
    expect(failureLine(await cli(['spectest', '--engine']), 2)).toMatch(/--engine needs a value/);
    expect(failureLine(await cli(['dwarf', 'frob', 'examples/fib.wasm']), 2)).toMatch(/unknown sub-command frob/);
    expect(failureLine(await cli(['addr2line', 'examples/fib.wasm', 'twelve']), 2)).toMatch(/not an offset: twelve/);
    expect(failureLine(await cli(['run', 'examples/fib.wasm', 'stray', '--invoke', 'fib', '1']), 2)).toMatch(/unexpected argument "stray"/);
  });

  it('given a file that does not exist, names it and the reason, exit 1', async () => {
    for (const [c, argv] of Object.entries(FILE_COMMANDS)) {
      const line = failureLine(await cli(argv('no/such.wasm')), 1);
      expect(line, c).toMatch(/no\/such\.wasm/);
      expect(line, c).toMatch(/ENOENT/);
    }
    expect(failureLine(await cli(['debug', 'examples/fib.wasm', '--batch', 'no/such.gdb']), 1)).toMatch(/cannot read no\/such\.gdb: ENOENT/);
  });

  it('given an empty, truncated or random file or an endless LEB, says malformed and where, exit 1', async () => {
    const files = { ...BAD_FILES, 'b.gdb': new TextEncoder().encode('run\n') };
    for (const [name, reason] of Object.entries(BAD_REASON)) {
      for (const [c, argv] of Object.entries(FILE_COMMANDS)) {
        const line = failureLine(await cli(argv(name), files), 1);
        expect(line, `${c} ${name}`).toMatch(reason);
        // compile.ts is owned elsewhere and does not name the file yet; every other command does.
        if (c !== 'compile') expect(line, `${c} ${name}`).toContain(`${name}: malformed module: `);
      }
    }
  });

  it('spectest given a file instead of a folder says so, exit 2', async () => {
    expect(failureLine(await cli(['spectest', 'examples/fib.wasm']), 2)).toMatch(/examples\/fib\.wasm is not a folder/);
  });
});

describe('wasmflip run against hostile modules', () => {
  const HOSTILE_NAMES = ['a"b', 'line\nbreak', '</script><script>alert(1)</script>', 'ünï€ode😀', '`${process.exit(9)}`', 'esc\x1b[31mred', 'x, y', '__proto__', 'constructor', '\u2028x'];
  // binaryen's text parser takes names as \hh escapes, so every byte goes through untouched.
  const escaped = (s: string) => [...new TextEncoder().encode(s)].map((b) => '\\' + b.toString(16).padStart(2, '0')).join('');
  const hostile = wat(`(module
    (memory (export "mem") 1) (global (export "g") i32 (i32.const 5)) (table (export "tab") 1 funcref)
    ${HOSTILE_NAMES.map((n, i) => `(func (export "${escaped(n)}") (result i32) (i32.const ${i}))`).join('\n')}
  )`);
  const files = { 'h.wasm': hostile };

  it('lists hostile export names quoted on one line, with no raw newline or escape sequence', async () => {
    const line = failureLine(await cli(['run', 'h.wasm'], files), 2);
    expect(line).toContain('nothing to run: give --invoke NAME (exported functions: ');
    expect(line).toContain('(exported functions: "a\\"b", "line\\nbreak", "</script><script>alert(1)</script>", "ünï€ode😀", '
      + '"`${process.exit(9)}`", "esc\\u001b[31mred", "x, y", __proto__, constructor, "\\u2028x")');
  });

  it('calls an export with a hostile name exactly as given', async () => {
    for (const [i, n] of HOSTILE_NAMES.entries()) {
      for (const mode of ['native', 'debug']) expect(await cli(['run', 'h.wasm', '--invoke', n, '--mode', mode], files)).toEqual({ code: 0, out: `${i}\n`, err: '' });
    }
  });

  it('says an export that is a global, memory or table is not a function, exit 2', async () => {
    for (const [n, kind] of [['g', 'global'], ['mem', 'memory'], ['tab', 'table']]) {
      expect(failureLine(await cli(['run', 'h.wasm', '--invoke', n!], files), 2)).toMatch(new RegExp(`h\\.wasm exports "${n}" as a ${kind}, not a function`));
    }
    expect(failureLine(await cli(['run', 'h.wasm', '--invoke', 'absent'], files), 2)).toMatch(/has no exported function "absent"/);
  });

  const prog = wat(`(module
    (func $rec (export "rec") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
    (memory 1)
    (func (export "oob") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "two") (param i64 f64) (result f64) (f64.add (f64.convert_i64_s (local.get 0)) (local.get 1))))`);
  const pf = { 'p.wasm': prog };

  it('rejects a wrong argument count or type, saying what the export takes, exit 2', async () => {
    expect(failureLine(await cli(['run', 'p.wasm', '--invoke', 'two', '1'], pf), 2)).toMatch(/"two" takes 2 arguments \(i64, f64\), got 1/);
    expect(failureLine(await cli(['run', 'p.wasm', '--invoke', 'two', '1', '2', '3'], pf), 2)).toMatch(/"two" takes 2 arguments \(i64, f64\), got 3/);
    expect(failureLine(await cli(['run', 'p.wasm', '--invoke', 'two', '1.5', '2'], pf), 2)).toMatch(/"1\.5" is not a valid i64/);
    expect(failureLine(await cli(['run', 'p.wasm', '--invoke', 'two', '1', 'two'], pf), 2)).toMatch(/"two" is not a valid f64/);
    expect(failureLine(await cli(['run', 'p.wasm', '--invoke', 'rec', ''], pf), 2)).toMatch(/"" is not a valid i32/);
    // Negative numbers and -inf are arguments, not options.
    expect(await cli(['run', 'p.wasm', '--invoke', 'two', '-5', '-inf'], pf)).toEqual({ code: 0, out: '-inf\n', err: '' });
  });

  it('reports a trap with the export and the faulting offset, the same in both modes, exit 1', async () => {
    const lines = [];
    for (const mode of ['native', 'debug']) {
      const line = failureLine(await cli(['run', 'p.wasm', '--invoke', 'oob', '70000', '--mode', mode], pf), 1);
      expect(line).toMatch(/^wasmflip run: trap: out of bounds memory access \(in func 1, at offset 0x[0-9a-f]+\) \(calling "oob"\)$/);
      lines.push(line);
    }
    expect(lines[1]).toBe(lines[0]);
  });

  it('turns a deep recursion into a call-stack-exhausted trap in both modes, exit 1', async () => {
    for (const mode of ['native', 'debug']) {
      expect(failureLine(await cli(['run', 'p.wasm', '--invoke', 'rec', '1000000', '--mode', mode], pf), 1)).toMatch(/trap: call stack exhausted.*\(calling "rec"\)$/);
    }
  });

  it('names the first import it cannot provide, exit 1', async () => {
    const imp = wat(`(module (import "env" "f" (func (param i32))) (import "env" "mem" (memory 1)) (import "js" "g" (global i32)) (func (export "go")))`);
    for (const mode of ['native', 'debug']) {
      expect(failureLine(await cli(['run', 'i.wasm', '--invoke', 'go', '--mode', mode], { 'i.wasm': imp }), 1)).toMatch(/^wasmflip run: i\.wasm: link error: unknown import.*"env"\."f"/);
    }
  });

  it('keeps a trap message on one line when the name section gives the function a hostile name', async () => {
    const name = new TextEncoder().encode('evil\nname\x1b[2J\u2028');
    const sub = [0x01, name.length + 3, 0x01, 0x00, name.length, ...name]; // function names: [0 → name]
    const section = [0x00, sub.length + 5, 0x04, ...new TextEncoder().encode('name'), ...sub];
    const bytes = Uint8Array.from([...wat('(module (func (export "f") unreachable))'), ...section]);
    for (const mode of ['native', 'debug']) {
      const line = failureLine(await cli(['run', 'n.wasm', '--invoke', 'f', '--mode', mode], { 'n.wasm': bytes }), 1);
      expect(line).toMatch(/^wasmflip run: trap: unreachable \(in func 0 \$"evil\\nname/);
      expect(line).not.toMatch(/[\u2028\u2029]/);
    }
  });

  it('reports a trap in the start function as the module failing to start, exit 1', async () => {
    const st = wat('(module (func $s unreachable) (start $s) (func (export "f")))');
    expect(failureLine(await cli(['run', 's.wasm', '--invoke', 'f'], { 's.wasm': st }), 1)).toMatch(/^wasmflip run: s\.wasm: trap: unreachable/);
  });
});

describe('wasmflip run: WASI calls a hostile program makes', () => {
  const fdWrite = '(import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))';

  it('answers EFAULT to an iovec outside memory, and the program goes on', async () => {
    const m = wat(`(module ${fdWrite} (memory (export "memory") 1)
      (func (export "f") (result i32) (call $w (i32.const 1) (i32.const 65530) (i32.const 100) (i32.const 0))))`);
    expect(await cli(['run', 'w.wasm', '--invoke', 'f'], { 'w.wasm': m })).toEqual({ code: 0, out: '21\n', err: '' });
  });

  it('says which WASI call needed a memory the module does not export, exit 1', async () => {
    const m = wat(`(module ${fdWrite} (func (export "_start") (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0)))))`);
    for (const mode of ['native', 'debug']) {
      expect(failureLine(await cli(['run', 'w.wasm', '--mode', mode], { 'w.wasm': m }), 1)).toMatch(/the program calls WASI fd_write, but its module exports no memory named "memory" \(calling "_start"\)$/);
    }
  });

  it('answers ENOSYS to a WASI function it does not provide', async () => {
    const m = wat('(module (import "wasi_snapshot_preview1" "sock_accept" (func $a (param i32 i32 i32) (result i32))) (func (export "f") (result i32) (call $a (i32.const 0) (i32.const 0) (i32.const 0))))');
    expect(await cli(['run', 'w.wasm', '--invoke', 'f'], { 'w.wasm': m })).toEqual({ code: 0, out: '52\n', err: '' });
  });
});

describe('wasmflip debug against hostile modules', () => {
  const gdb = (text: string) => new TextEncoder().encode(text);

  it('goes on after a program that cannot start', async () => {
    const m = wat('(module (import "env" "f" (func)) (func (export "f")))');
    const t = await cli(['debug', 'd.wasm', '--batch', 'b.gdb'], { 'd.wasm': m, 'b.gdb': gdb('run\nprint 1+1\n') });
    expect(t.code).toBe(0);
    expect(t.out).toContain('cannot start the program: unknown import ("env"."f")\n(wasmflip) print 1+1\n');
  });

  it('lists hostile export names quoted when there is nothing to run', async () => {
    const m = wat('(module (func (export "line\\0abreak")) (func (export "plain")))');
    const t = await cli(['debug', 'd.wasm', '--batch', 'b.gdb'], { 'd.wasm': m, 'b.gdb': gdb('run\n') });
    expect(t.out).toContain('nothing to run: give --invoke NAME (exported functions: "line\\nbreak", plain)\n');
  });

  it('stops at a deep recursion trap instead of crashing (debug mode)', async () => {
    const m = wat('(module (func $r (export "r") (param i32) (result i32) (call $r (local.get 0))))');
    const t = await cli(['debug', 'd.wasm', '--mode', 'debug', '--invoke', 'r', '1', '--batch', 'b.gdb'], { 'd.wasm': m, 'b.gdb': gdb('run\nkill\n') });
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/Program received trap: call stack exhausted/);
    expect(t.err).toBe('');
  });

  // Compiled code runs out of the JavaScript stack itself: the frames that made the calls are
  // handed over paused at their calls, and the debugger stops there as --mode debug does.
  it('stops at a deep recursion trap in compiled code instead of crashing (native-debug)', async () => {
    const m = wat('(module (func $r (export "r") (param i32) (result i32) (call $r (local.get 0))))');
    const t = await cli(['debug', 'd.wasm', '--invoke', 'r', '1', '--batch', 'b.gdb'], { 'd.wasm': m, 'b.gdb': gdb('run\nbacktrace 2\nkill\n') });
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/Program received trap: call stack exhausted \(in func 0, at offset 0x5\)\./);
    expect(t.out).toContain('(wasmflip) backtrace 2\n#0  $func0 ()\n#1  0x00000005 in $func0 ()\n(More stack frames follow...)\n');
    expect(t.out).toContain('[program killed]');
    expect(t.err).toBe('');
  });
});

describe('a real wasmflip process', () => {
  const bin = resolve(root, 'dist/runtime/cli/main.js');
  const built = existsSync(bin);
  if (!built) console.warn('[cli-robustness] dist/ is not built (npm run build): the Ctrl-C test is skipped');
  it.skipIf(!built)('stops an infinite loop on SIGINT (Ctrl-C), in native and debug mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmflip-sigint-'));
    const m = binaryen.parseText('(module (func (export "spin") (loop $l (br $l))))');
    writeFileSync(join(dir, 'spin.wasm'), m.emitBinary());
    m.dispose();
    for (const mode of ['native', 'debug']) {
      const child = spawn(process.execPath, [resolve(root, 'bin/wasmflip.js'), 'run', join(dir, 'spin.wasm'), '--invoke', 'spin', '--mode', mode], { stdio: 'ignore' });
      const ended = new Promise<{ code: number | null; signal: string | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const { code, signal } = await ended;
      clearTimeout(killer);
      expect(signal === 'SIGINT' || code === 130, `${mode}: exit ${code} signal ${signal}`).toBe(true);
    }
  }, 15_000);
});
