/**
 * The spec runner's own behaviour on small hand-made scripts: value
 * matching (NaN classes, -0, i64, multi-value, externref identity), failure
 * kinds and message prefixes, registration, modules that fail to load, text
 * modules skipped, and the known-failures list.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { KnownFailures, createInterpEngine, parseKnownFailures, runSpecFile, runSpecSuite, type FileResult } from '../../runtime/spectest/index.js';
import { INVALID_MODULE, makeSuite } from './wat.js';

const MOD = `(module
  (func (export "nan32") (result f32) (f32.const nan))
  (func (export "nanpay32") (result f32) (f32.const nan:0x200001))
  (func (export "nanarith32") (result f32) (f32.const -nan:0x600001))
  (func (export "negzero") (result f64) (f64.const -0))
  (func (export "id64") (param i64) (result i64) (local.get 0))
  (func (export "pair") (result i32 f64) (i32.const -1) (f64.const 1.5))
  (func (export "ref") (param externref) (result externref) (local.get 0))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (global (export "g") i32 (i32.const 7))
)`;

const val = (type: string, value: string) => ({ type, value });
const invoke = (field: string, args: object[] = []) => ({ type: 'invoke', field, args });

function run(commands: Record<string, unknown>[], known: KnownFailures = new KnownFailures([], 'interp')): FileResult {
  const root = makeSuite('demo', commands);
  return runSpecFile(join(root, 'demo'), 'demo', createInterpEngine(), known);
}

const statuses = (r: FileResult) => ({ passed: r.passed, failed: r.failed, skipped: r.skipped });

describe('spec runner', () => {
  it('matches NaN classes, -0, i64 bit strings, multi-value and externref identity', () => {
    const r = run([
      { type: 'module', module: MOD },
      { type: 'assert_return', action: invoke('nan32'), expected: [val('f32', 'nan:canonical')] },
      { type: 'assert_return', action: invoke('nan32'), expected: [val('f32', 'nan:arithmetic')] },
      { type: 'assert_return', action: invoke('nanarith32'), expected: [val('f32', 'nan:arithmetic')] },
      { type: 'assert_return', action: invoke('nanpay32'), expected: [val('f32', String(0x7fa00001))] },
      { type: 'assert_return', action: invoke('negzero'), expected: [val('f64', '9223372036854775808')] },
      { type: 'assert_return', action: invoke('id64', [val('i64', '18446744073709551615')]), expected: [val('i64', '18446744073709551615')] },
      { type: 'assert_return', action: invoke('pair'), expected: [val('i32', '4294967295'), val('f64', '4609434218613702656')] },
      { type: 'assert_return', action: invoke('ref', [val('externref', '3')]), expected: [val('externref', '3')] },
      { type: 'assert_return', action: { type: 'get', field: 'g' }, expected: [val('i32', '7')] },
    ]);
    expect(r.failures).toEqual([]);
    expect(statuses(r)).toEqual({ passed: 10, failed: 0, skipped: 0 });
  });

  it('fails a wrong value, a non-canonical NaN, a different externref and a wrong result count', () => {
    const r = run([
      { type: 'module', module: MOD },
      { type: 'assert_return', action: invoke('nanarith32'), expected: [val('f32', 'nan:canonical')] },
      { type: 'assert_return', action: invoke('negzero'), expected: [val('f64', '0')] },
      { type: 'assert_return', action: invoke('ref', [val('externref', '3')]), expected: [val('externref', '4')] },
      { type: 'assert_return', action: invoke('pair'), expected: [val('i32', '4294967295')] },
    ]);
    expect(statuses(r)).toEqual({ passed: 1, failed: 4, skipped: 0 });
    expect(r.failures.map((f) => f.line)).toEqual([2, 3, 4, 5]);
    expect(r.failures[1]!.reason).toContain('expected f64:0, got f64:9223372036854775808');
  });

  it('requires the right failure kind and a message starting with the expected text', () => {
    const r = run([
      { type: 'module', module: MOD },
      { type: 'assert_trap', action: invoke('div', [val('i32', '1'), val('i32', '0')]), text: 'integer divide by zero', expected: [{ type: 'i32' }] },
      { type: 'assert_trap', action: invoke('div', [val('i32', '1'), val('i32', '0')]), text: 'integer overflow', expected: [{ type: 'i32' }] },
      { type: 'assert_trap', action: invoke('div', [val('i32', '4'), val('i32', '2')]), text: 'integer divide by zero', expected: [{ type: 'i32' }] },
      { type: 'assert_malformed', module: new Uint8Array([0, 0x61, 0x73]), module_type: 'binary', text: 'unexpected end' },
      { type: 'assert_invalid', module: new Uint8Array([0, 0x61, 0x73]), module_type: 'binary', text: 'unexpected end' },
      { type: 'assert_invalid', module: INVALID_MODULE, module_type: 'binary', text: 'type mismatch' },
      { type: 'assert_unlinkable', module: '(module (import "nowhere" "f" (func)))', module_type: 'binary', text: 'unknown import' },
      { type: 'assert_uninstantiable', module: '(module (func $s unreachable) (start $s))', module_type: 'binary', text: 'unreachable' },
    ]);
    expect(r.failures.map((f) => f.line)).toEqual([3, 4, 6]);
    expect(r.failures[0]!.reason).toMatch(/expected trap "integer overflow", got message "integer divide by zero/);
    expect(r.failures[1]!.reason).toMatch(/expected trap .*got results \(i32:2\)/);
    expect(r.failures[2]!.reason).toMatch(/expected invalid .*got malformed/);
  });

  it('imports from spectest and registered modules, and fails what depends on a module that did not load', () => {
    const r = run([
      { type: 'module', module: '(module (global (export "g") i32 (i32.const 42)))', name: '$A' },
      { type: 'register', as: 'A', name: '$A' },
      { type: 'module', module: '(module (import "A" "g" (global i32)) (import "spectest" "global_i32" (global i32)) (func (export "sum") (result i32) (i32.add (global.get 0) (global.get 1))))' },
      { type: 'assert_return', action: invoke('sum'), expected: [val('i32', '708')] },
      { type: 'module', module: '(module (import "spectest" "nope" (func)))' },
      { type: 'assert_return', action: invoke('sum'), expected: [val('i32', '708')] },
      { type: 'assert_return', action: { ...invoke('sum'), module: '$A' }, expected: [val('i32', '708')] },
      { type: 'assert_malformed', module: '(module)', module_type: 'text', text: 'unexpected token' },
    ]);
    expect(statuses(r)).toEqual({ passed: 4, failed: 3, skipped: 1 });
    expect(r.failures.map((f) => f.line)).toEqual([5, 6, 7]);
    expect(r.failures[1]!.reason).toContain('module from line 5 failed to load');
  });

  it('counts a known failure as skipped and reports a known failure that passes', () => {
    const known = new KnownFailures(parseKnownFailures(JSON.stringify({ failures: [
      { file: 'demo', line: 2, reason: 'a test of the list' },
      { file: 'demo', line: 3, reason: 'passes, so it is stale' },
      { file: 'demo', line: 2, reason: 'only for another engine', engines: ['aot'] },
    ] }), 'test'), 'interp');
    const r = run([
      { type: 'module', module: MOD },
      { type: 'assert_return', action: invoke('negzero'), expected: [val('f64', '0')] },
      { type: 'assert_return', action: invoke('negzero'), expected: [val('f64', '9223372036854775808')] },
    ], known);
    expect(statuses(r)).toEqual({ passed: 2, failed: 0, skipped: 1 });
    expect(r.known).toBe(1);
    expect(r.knownFailures[0]!.excuse).toBe('a test of the list');
    expect(r.unexpectedPasses.map((k) => k.line)).toEqual([3]);
  });

  it('rejects a known-failures entry without a reason', () => {
    expect(() => parseKnownFailures('[{"file":"x","line":1,"reason":" "}]', 'list.json')).toThrow(/entry 0 needs/);
  });

  it('runs a folder of scripts, selecting with --only patterns', () => {
    const root = makeSuite('demo', [{ type: 'module', module: MOD }]);
    expect(runSpecSuite({ dir: root, engine: 'interp', knownFailures: [] }).files.map((f) => f.name)).toEqual(['demo']);
    expect(runSpecSuite({ dir: root, engine: 'interp', only: ['de*'], knownFailures: [] }).passed).toBe(1);
    expect(runSpecSuite({ dir: root, engine: 'interp', only: ['other'], knownFailures: [] }).files).toEqual([]);
    expect(() => runSpecSuite({ dir: root, engine: 'nope' })).toThrow(/unknown engine/);
  });
});
