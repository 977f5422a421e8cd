/**
 * The checkpoint pass (compiler/passes/checkpoints.ts): its frame maps equal
 * deopt's validator-built `buildFrameMaps` (trap sites on) row for row on the
 * bench kernels and on spec-suite modules, in every mode; every flag-checking
 * row of the mode appears in the emitted text (entries reading the function's
 * own word once the array is armed) with its exit case (stress mode's checks
 * asking `DE.s`), except the header checks of loops that call in every round
 * (`callsEveryRound`, outside stress mode); each function has one trap catch,
 * and with the option off the output is byte-identical to the default build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decode, validate, type Module } from '../../interpreter/index.js';
import { compile } from '../../compiler/index.js';
import { CheckpointRows, callsEveryRound } from '../../compiler/passes/checkpoints.js';
import { wat } from '../runtime/wat.js';
import { buildFrameMaps, type FrameMaps } from '../../deopt/index.js';
import { specDir } from '../helpers/spectest-files.js';

const kernelDir = join(import.meta.dirname, '..', '..', 'bench', 'kernels');
const kernels = readdirSync(kernelDir).filter((f) => f.endsWith('.wasm'));

function load(bytes: Uint8Array): Module {
  const m = decode(bytes);
  validate(m);
  return m;
}

/** Checkpoint lines in the emitted text, by their `DE.e(` / `DE.a(` / `DE.t(` calls. */
function calls(js: string, fn: 'e' | 'a' | 't'): number {
  return (js.match(new RegExp(`DE\\.${fn}\\(`, 'g')) ?? []).length;
}

/** Loop headers without a check outside stress mode: live loops (they have a row) that call in every round. */
function callingLoops(module: Module): number {
  let n = 0;
  module.funcs.forEach((func, k) => {
    const rows = new CheckpointRows(module, module.importedFuncCount + k, func);
    func.body.forEach((ins, i) => {
      if (ins.op === 'loop' && rows.sites.has(`l${i}`) && callsEveryRound(func.body, i)) n++;
    });
  });
  return n;
}

/** Whether function `fi` has a loop that keeps its header check outside stress mode. */
function checkedLoops(module: Module, fi: number): boolean {
  const body = module.funcs[fi - module.importedFuncCount]!.body;
  return body.some((ins, i) => ins.op === 'loop' && !callsEveryRound(body, i));
}

/** Rows of the given kinds. */
function rowsOf(maps: FrameMaps, kinds: readonly number[]): number {
  return maps.funcs.reduce((n, f) => n + f.rows.filter((r) => kinds.includes(r[0])).length, 0);
}

describe('checkpoint pass on the bench kernels', () => {
  for (const file of kernels) {
    test(`${file}: frame maps equal buildFrameMaps with trap sites and every row has its check`, () => {
      const module = load(new Uint8Array(readFileSync(join(kernelDir, file))));
      const c = compile(module, { sourceMap: false, checkpoints: true });
      const maps = c.frameMaps!;
      expect(maps).toEqual(buildFrameMaps(module, { trapSites: true }));
      expect(rowsOf(maps, [3])).toBeGreaterThan(0);
      const unchecked = callingLoops(module);
      expect(calls(c.js, 'e') + calls(c.js, 'a')).toBe(rowsOf(maps, [0, 1, 2]) - unchecked);
      expect(calls(c.js, 't')).toBe(module.funcs.length);
      // Entry checks read the function's own word (once the array is armed, in functions without
      // checked loops); loop headers and after-call checks the global one (through the local copy
      // `pf` of the flag array). A taken check leaves the body for its row's case in the exit
      // switch, which hands the frame over.
      for (const f of maps.funcs) {
        const armed = checkedLoops(module, f.func) ? '' : 'pf.armed !== 0 && ';
        expect(c.js).toContain(`if (${armed}pf[${1 + f.func}] !== 0) { ck = 0; break CK; }`);
        expect(c.js).toContain(`case 0: DE.e(${f.func}, 0, [null`);
      }
      expect(c.js.match(/if \(pf\[0\] !== 0\) \{ ck = \d+; break CK; \}/g)?.length).toBe(rowsOf(maps, [1, 2]) - unchecked);
      expect(c.js).not.toContain('DE.s(');
    });

    test(`${file}: checkpoints 'stress' has the same maps, each check asking DE.s before it leaves`, () => {
      const module = load(new Uint8Array(readFileSync(join(kernelDir, file))));
      const c = compile(module, { sourceMap: false, checkpoints: 'stress' });
      const maps = c.frameMaps!;
      expect(maps).toEqual(buildFrameMaps(module, { trapSites: true }));
      for (const f of maps.funcs) {
        const loops = module.funcs[f.func - module.importedFuncCount]!.body.some((ins) => ins.op === 'loop');
        expect(c.js).toContain(`if (${loops ? '' : 'pf.armed !== 0 && '}pf[${1 + f.func}] !== 0 && DE.s(${f.func}, 0)) { ck = 0; break CK; }`);
      }
      expect(c.js.match(/if \((?:pf\.armed !== 0 && )?pf\[\d+\] !== 0 && DE\.s\(\d+, (\d+)\)\) \{ ck = \1; break CK; \}/g)?.length).toBe(rowsOf(maps, [0, 1, 2]));
      expect(calls(c.js, 'e') + calls(c.js, 'a')).toBe(rowsOf(maps, [0, 1, 2]));
    });

    test(`${file}: checkpoints 'traps' has the same maps, after-call checks and trap catches only`, () => {
      const module = load(new Uint8Array(readFileSync(join(kernelDir, file))));
      const c = compile(module, { sourceMap: false, checkpoints: 'traps' });
      expect(c.frameMaps).toEqual(buildFrameMaps(module, { trapSites: true }));
      expect(calls(c.js, 'e')).toBe(0);
      expect(calls(c.js, 'a')).toBe(rowsOf(c.frameMaps!, [2]));
      expect(calls(c.js, 't')).toBe(module.funcs.length);
    });

    test(`${file}: with checkpoints off the output is byte-identical to the default`, () => {
      const module = load(new Uint8Array(readFileSync(join(kernelDir, file))));
      const plain = compile(module, { sourceMap: false });
      const off = compile(module, { sourceMap: false, checkpoints: false });
      expect(off.js).toBe(plain.js);
      expect(off.frameMaps).toBeUndefined();
      expect(plain.js).not.toMatch(/\bDE\b|\bpf\b|P\[0\]/);
    });
  }
});

describe('loop header checks', () => {
  /** The `loop` instructions of the module's first function, in order: whether each calls in every round. */
  function rule(src: string): boolean[] {
    const m = decode(wat(`(module (func $f (import "m" "f")) (func (param $x i32) ${src}))`));
    validate(m);
    const body = m.funcs[0]!.body;
    return body.flatMap((ins, i) => (ins.op === 'loop' ? [callsEveryRound(body, i)] : []));
  }

  test('a loop whose body calls before any branch back needs no header check', () => {
    expect(rule('(loop $l (call $f) (br_if $l (local.get $x)))')).toEqual([true]);
    // A block that ends before the call, and exits to outer labels, do not skip it.
    expect(rule('(block $out (loop $l (block $b (br_if $b (local.get $x))) (br_if $out (local.get $x)) (call $f) (br $l)))')).toEqual([true]);
  });

  test('a branch back before the call, a call inside a nested block or if, or no call keeps the check', () => {
    expect(rule('(loop $l (br_if $l (local.get $x)) (call $f))')).toEqual([false]);
    expect(rule('(loop $l (block $b (br_if $l (local.get $x))) (call $f) (br $l))')).toEqual([false]);
    expect(rule('(loop $l (if (local.get $x) (then (call $f))) (br $l))')).toEqual([false]);
    expect(rule('(loop $l (block $b (call $f)) (br $l))')).toEqual([false]);
    expect(rule('(loop $l (br_table $l $l (local.get $x)) (call $f))')).toEqual([false]);
    expect(rule('(loop $l (br_if $l (local.get $x)))')).toEqual([false]);
    // The inner loop calls every round; the outer loop's round can end through the inner loop's exit only after it.
    expect(rule('(loop $o (loop $i (call $f) (br_if $i (local.get $x))) (br_if $o (local.get $x)))')).toEqual([false, true]);
  });

  test('compiled with checkpoints, a calling loop has no header check and still stops at its after-call check', () => {
    const m = decode(wat(`(module (func $f (import "m" "f"))
      (func (export "spin") (param $n i32) (loop $l (call $f) (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))`));
    validate(m);
    const all = compile(m, { sourceMap: false, checkpoints: true });
    expect(all.js).not.toMatch(/while \(true\) \{\n\s*if \(pf\[0\]/);
    expect(all.js).toMatch(/x\d+\(FI\[0\]\);\n\s*if \(pf\[0\] !== 0\) \{ ck = \d+; break CK; \}/);
    // Stress mode keeps every checkpoint.
    expect(compile(m, { sourceMap: false, checkpoints: 'stress' }).js).toMatch(/while \(true\) \{\n\s*if \(pf\[0\] !== 0 && DE\.s/);
  });
});

const dir = specDir();
const SPEC_FILES = ['memory_trap', 'int_exprs', 'conversions', 'bulk', 'memory_fill', 'table_copy', 'fac', 'call', 'call_indirect', 'loop', 'block', 'br', 'br_table', 'if', 'func', 'return', 'stack', 'labels', 'switch', 'i64', 'left-to-right', 'unwind', 'local_tee', 'select'];

describe.skipIf(dir === null)('checkpoint pass on spec-suite modules', () => {
  for (const name of SPEC_FILES) {
    test(`${name}: every module's frame maps equal buildFrameMaps`, () => {
      const script = JSON.parse(readFileSync(join(dir!, name, `${name}.json`), 'utf8')) as { commands: { type: string; filename?: string; module_type?: string }[] };
      let checked = 0;
      for (const cmd of script.commands) {
        if (cmd.type !== 'module' || cmd.filename === undefined || cmd.module_type === 'text') continue;
        const module = load(new Uint8Array(readFileSync(join(dir!, name, cmd.filename))));
        const c = compile(module, { sourceMap: false, checkpoints: true });
        expect(c.frameMaps, `${cmd.filename}`).toEqual(buildFrameMaps(module, { trapSites: true }));
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
