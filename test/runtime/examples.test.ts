/**
 * The bundled examples (examples/*.wasm) compute what their C sources say:
 * checked against JavaScript versions of the same algorithms, through the
 * interpreter engine. When clang is installed, examples/build.sh rebuilds
 * byte-identical modules (the committed .wasm files match their sources).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInterpEngine, type EngineInstance } from '../../runtime/spectest/index.js';

const examples = resolve(import.meta.dirname, '..', '..', 'examples');

function load(name: string): EngineInstance {
  const engine = createInterpEngine();
  return engine.instantiate(engine.compile(new Uint8Array(readFileSync(join(examples, name)))), () => undefined);
}

/** checksum.c's generator: n bytes of an LCG, high bits. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out[i] = (seed >>> 16) & 0xff;
  }
  return out;
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of data) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc | 0;
}

function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  for (const x of data) { a = (a + x) % 65521; b = (b + a) % 65521; }
  return ((b << 16) | a) | 0;
}

describe('examples', () => {
  it('fib.wasm: recursive fib and 64-bit iterative fib', () => {
    const fib = load('fib.wasm');
    const ref = (n: number): bigint => { let a = 0n, b = 1n; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a; };
    expect(fib.invoke('fib', [20])).toEqual([Number(ref(20))]);
    expect(fib.invoke('fib64', [90])).toEqual([BigInt.asIntN(64, ref(90))]);
  });

  it('checksum.wasm: crc32 and adler32 over memory it filled', () => {
    const m = load('checksum.wasm');
    const data = bytes(5000, 42);
    expect(m.invoke('fill', [5000, 42])).toEqual([5000]);
    expect(m.invoke('crc32', [5000])).toEqual([crc32(data)]);
    expect(m.invoke('adler32', [5000])).toEqual([adler32(data)]);
    expect(m.invoke('fill', [70000, 1])).toEqual([-1]);
  });

  const clang = spawnSync('clang', ['--version']).status === 0;
  if (!clang) console.warn('[examples] clang not found: the rebuild check is skipped (.ci/run installs it)');
  it.skipIf(!clang)('build.sh rebuilds the committed modules byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'wasmflip-examples-'));
    execFileSync(join(examples, 'build.sh'), { env: { ...process.env, OUT: out }, stdio: 'pipe' });
    for (const f of ['fib.wasm', 'checksum.wasm']) expect(readFileSync(join(out, f)).equals(readFileSync(join(examples, f))), f).toBe(true);
  });
});
