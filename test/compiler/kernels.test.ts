/**
 * Every bench kernel compiled to JavaScript returns what V8's own
 * WebAssembly returns (kernels.json's checksums at the quick size); acorn
 * parses each emitted module (test/setup/parse-emitted.ts, for every suite).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantiateSync } from '../../runtime/index.js';

const dir = join(import.meta.dirname, '..', '..', 'bench', 'kernels');
interface KernelRow { name: string; file: string; export: string; quickN: number; expectedQuick: string }
const kernels = (JSON.parse(readFileSync(join(dir, 'kernels.json'), 'utf8')) as { kernels: KernelRow[] }).kernels;

describe('bench kernels in native mode', () => {
  for (const k of kernels) {
    it(`${k.name} gives V8's checksum`, () => {
      const { instance } = instantiateSync(new Uint8Array(readFileSync(join(dir, k.file))), {}, { mode: 'native' });
      const run = instance.exports[k.export] as (n: number) => number | bigint;
      expect(String(run(k.quickN))).toBe(k.expectedQuick);
    });
  }
});
