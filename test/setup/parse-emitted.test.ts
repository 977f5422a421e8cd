/**
 * The setup file's check is in force: module text compiled in a suite, by
 * either entry and whether imported from compiler/ or reached through the
 * public API, has been parsed by acorn by the time the caller sees it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { compile, compileParallel } from '../../compiler/index.js';
import { closePool } from '../../compiler/parallel.js';
import { compile as compileApi } from '../../runtime/api/module.js';
import { wasParsed } from './parse-emitted.js';

const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'bench', 'kernels', 'vm.wasm')));
const module = decode(bytes);
validate(module);

afterAll(async () => {
  await closePool();
});

describe('acorn parses every emitted module text', () => {
  it('compile (inline), with and without checkpoints', () => {
    expect(wasParsed(compile(module, { sourceMap: false }).js)).toBe(true);
    expect(wasParsed(compile(module, { sourceMap: false, checkpoints: true }).js)).toBe(true);
  });

  it('compileParallel, on this thread and on a worker', async () => {
    expect(wasParsed((await compileParallel(bytes, module, { sourceMap: false }, 0)).js)).toBe(true);
    expect(wasParsed((await compileParallel(bytes, module, { sourceMap: false, parallelThreshold: 0 }, 1)).js)).toBe(true);
  });

  it('the API compile', async () => {
    const m = await compileApi(bytes, { sourceMap: false, checkpoints: 'traps' });
    expect(wasParsed(m.compiled.js)).toBe(true);
  });
});
