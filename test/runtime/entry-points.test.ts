/**
 * Each level loads only what it uses (issue 7): walking the built import
 * graph (dist/, as `npm run bench` measures it) from the package's entry
 * points, `wasmflip/static` reaches no interpreter execution code, no deopt
 * machinery and no debugger (session, console, expressions, remote), yet
 * compiles and runs a module natively and names a trap; the debugging
 * levels' entry reaches all of them. Needs `npm run build` (npm test builds
 * first); says so and skips otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkImports } from '../../bench/import-graph.js';
import { wat } from './wat.js';

const root = resolve(import.meta.dirname, '..', '..');
const exportsMap = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string> }).exports;
const built = existsSync(join(root, 'dist/runtime/static.js'));
if (!built) console.warn('[entry-points] dist/ is not built (npm run build): skipped');

/** Files (relative to the root) a package entry point loads. */
function loaded(entry: string): string[] {
  const graph = walkImports([join(root, exportsMap[entry]!)], root);
  return graph.files.map((f) => relative(root, resolve(root, typeof f === 'string' ? f : (f as { path: string }).path)));
}

const EXECUTION = /^dist\/interpreter\/exec\/(run|predecode|lowering|frames|invoke|debug-hooks|flat-cache|machine|start)\.js$/;
const DEOPT = /^dist\/(deopt\/|runtime\/api\/(deopt-entry|native-debug)\.js)/;
const DEBUGGER = /^dist\/debug\/(session\/session|console\/|expr\/|remote\/)/;

describe.skipIf(!built)('package entry points', () => {
  it('wasmflip/static loads no interpreter execution, deopt or debugger code', () => {
    const files = loaded('./static');
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => EXECUTION.test(f) || DEOPT.test(f) || DEBUGGER.test(f))).toEqual([]);
    expect(files).toContain('dist/debug/dwarf/dwarf.js'); // static's own feature: traps named by C line
    expect(exportsMap['./minimal']).toBe(exportsMap['./static']);
  });

  it('the debugging levels load the interpreter, deopt and the debugger', () => {
    for (const level of ['./inspection', './control', './eval', './modify', './development']) {
      const files = loaded(level);
      for (const re of [EXECUTION, DEOPT, DEBUGGER]) expect(files.some((f) => re.test(f)), `${level} ${re}`).toBe(true);
    }
  });

  it('wasmflip/static runs a module natively, names traps, and refuses native-debug with a clear error', async () => {
    const api = await import(join(root, 'dist/runtime/static.js')) as typeof import('../../runtime/static.js');
    const bytes = wat('(module (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))');
    const { instance } = await api.instantiate(bytes);
    expect(instance.level).toBe('static');
    expect(instance.mode).toBe('native');
    const div = instance.exports['div'] as (a: number, b: number) => number;
    expect(div(7, 2)).toBe(3);
    expect(() => div(1, 0)).toThrow(/integer divide by zero \(in func 0, at offset 0x[0-9a-f]+\)/);
    expect(() => { instance.mode = 'native-debug'; }).toThrow(/native-debug mode is not in this entry point/);
  });
});
