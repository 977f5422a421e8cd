/**
 * Test helpers for the runtime suites: Wasm text to binary (binaryen's
 * parser, all features on) and a throwaway spec-suite folder holding one
 * wast2json-shaped script, so runner behaviour is tested without the
 * real suite.
 */
import binaryen from 'binaryen';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Wasm text to binary. `features`: binaryen's feature bits (default all;
 * WebAssembly 2.0's set when the module must decode as 2.0: with all of them
 * binaryen writes reference types in the typed-function-references encoding).
 */
export function wat(src: string, features: number = binaryen.Features.All): Uint8Array {
  const m = binaryen.parseText(src);
  m.setFeatures(features);
  const bytes = m.emitBinary();
  m.dispose();
  return bytes;
}

/** WebAssembly 2.0's features, for `wat`. */
export const WASM2_FEATURES: number = binaryen.Features.MutableGlobals | binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemory
  | binaryen.Features.SignExt | binaryen.Features.ReferenceTypes | binaryen.Features.Multivalue;

/** `(module (func (result i32)))`: decodes, but fails validation with "type mismatch". */
export const INVALID_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: no locals, just `end`
]);

/** A module given as text (encoded here) or as raw bytes. */
export type ModuleSource = string | Uint8Array;

/**
 * Writes `<tmp>/<name>/<name>.json` with `commands`; every command with a
 * `module` field gets it written as `<name>.<i>.wasm` and referenced by
 * `filename`. Returns the suite folder.
 */
export function makeSuite(name: string, commands: readonly Record<string, unknown>[]): string {
  const root = mkdtempSync(join(tmpdir(), 'wasmflip-spectest-'));
  const dir = join(root, name);
  mkdirSync(dir);
  const out = commands.map((c, i) => {
    const { module, ...rest } = c as { module?: ModuleSource };
    if (module === undefined) return { line: i + 1, ...rest };
    const filename = `${name}.${i}.wasm`;
    writeFileSync(join(dir, filename), typeof module === 'string' ? wat(module) : module);
    return { line: i + 1, filename, ...rest };
  });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ source_filename: `${name}.wast`, commands: out }));
  return root;
}
