/**
 * The large generated module (bench/large/): compile speed per engine, with a
 * checked run so a fast but wrong compile cannot count.
 * Invariant: compile time is divided by the Code section's size, the same
 * measure as for the kernels.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from './engines/index.js';
import { checksumOf, type ResultType } from './kernels.js';
import { largeDir } from './paths.js';
import { codeSectionSize } from './wasm-size.js';

interface LargeModule {
  file: string;
  export: string;
  result: ResultType;
  n: number;
  expected: string;
  functions: number;
}

/** One engine's result on the large module. */
export interface LargeResult {
  engine: string;
  status: 'ok' | 'failed';
  error?: string;
  compileMs?: number;
  compileMsPerKB?: number;
  runMs?: number;
  detail?: Record<string, number>;
}

export function loadLargeModule(): { info: LargeModule; bytes: Uint8Array } {
  const info = JSON.parse(readFileSync(join(largeDir, 'large.json'), 'utf8')) as LargeModule;
  return { info, bytes: new Uint8Array(readFileSync(join(largeDir, info.file))) };
}

export async function measureLarge(engines: Engine[], log: (line: string) => void): Promise<{ data: object; markdown: string }> {
  const { info, bytes } = loadLargeModule();
  const codeBytes = codeSectionSize(bytes);
  const codeKB = codeBytes / 1024;
  const results: LargeResult[] = [];
  for (const engine of engines) {
    log(`large module (${(codeKB / 1024).toFixed(2)} MB of code): compiling in ${engine.name}…`);
    let dispose: (() => void) | undefined;
    try {
      const loaded = await engine.load(bytes, info);
      dispose = loaded.dispose;
      const start = performance.now();
      const checksum = checksumOf(loaded.run(info.n), info.result);
      const runMs = performance.now() - start;
      const compileMs = loaded.compile?.ms;
      const result: LargeResult = checksum === info.expected
        ? { engine: engine.name, status: 'ok', runMs }
        : { engine: engine.name, status: 'failed', error: `checksum ${checksum}, expected ${info.expected}`, runMs };
      if (compileMs !== undefined) {
        result.compileMs = compileMs;
        result.compileMsPerKB = compileMs / codeKB;
      }
      if (loaded.compile?.detail) result.detail = loaded.compile.detail;
      results.push(result);
    } catch (error) {
      results.push({ engine: engine.name, status: 'failed', error: error instanceof Error ? error.message : String(error) });
    } finally {
      dispose?.();
    }
    const r = results[results.length - 1]!;
    log(`large module ${engine.name}: ${r.status === 'ok' ? `compile ${r.compileMs?.toFixed(0) ?? '?'} ms, first run ${r.runMs!.toFixed(0)} ms` : `FAILED: ${r.error}`}`);
  }
  const rows = results.map((r) => r.status === 'failed'
    ? `| ${r.engine} | FAILED: ${(r.error ?? '').replace(/\|/g, '\\|')} | | |`
    : `| ${r.engine} | ${r.compileMs?.toFixed(0) ?? 'n/a'} | ${r.compileMsPerKB?.toFixed(2) ?? 'n/a'} | ${r.runMs!.toFixed(0)} |`);
  const markdown = [
    `${info.functions} generated functions, ${(codeKB / 1024).toFixed(2)} MB of code; run(${info.n}) checked against V8.`,
    'V8 compiles lazily, so its figure is only the eager part; its first run includes the rest.',
    'Engines are measured one after another in one process. A module text this large gets one factory',
    'per text, shared by its instances (compiler/link/load.ts): native-debug@static, whose text is',
    "native's, starts with the functions native's run already compiled; so do eval and modify, whose text is control's.",
    '',
    '| engine | compile ms | ms/KB of code | first run(n) ms |',
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
  return { data: { functions: info.functions, codeBytes, results }, markdown };
}
