/**
 * Every bench kernel compiled to JavaScript returns what V8's own
 * WebAssembly returns (kernels.json's checksums at the quick size), and
 * acorn parses every emitted module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { instantiateSync } from '../../runtime/index.js';

const dir = join(import.meta.dirname, '..', '..', 'bench', 'kernels');
interface KernelRow { name: string; file: string; export: string; quickN: number; expectedQuick: string }
const kernels = (JSON.parse(readFileSync(join(dir, 'kernels.json'), 'utf8')) as { kernels: KernelRow[] }).kernels;

describe('bench kernels in native mode', () => {
  for (const k of kernels) {
    it(`${k.name} gives V8's checksum`, () => {
      const { module, instance } = instantiateSync(new Uint8Array(readFileSync(join(dir, k.file))), {}, { mode: 'native' });
      parse(`(function (env) {\n${module.compiled.js}\n})`, { ecmaVersion: 2022 });
      const run = instance.exports[k.export] as (n: number) => number | bigint;
      expect(String(run(k.quickN))).toBe(k.expectedQuick);
    });
  }
});
