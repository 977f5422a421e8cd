/**
 * Frame-map size on the bench kernels (and, with WASMFLIP_DEOPT_LARGE=1, the
 * large module of bench/large): JSON bytes per checkpoint and per KB of
 * code, with and without trap-site checkpoints. Prints the figures and
 * checks the format stays compact.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { buildFrameMaps, frameMapSize, type FrameMapSize } from '../../deopt/index.js';

const root = join(import.meta.dirname, '..', '..');
const kernelFiles = (JSON.parse(readFileSync(join(root, 'bench', 'kernels', 'kernels.json'), 'utf8')) as { kernels: { name: string; file: string }[] }).kernels;

function measure(file: string, trapSites: boolean): FrameMapSize {
  const module = decode(new Uint8Array(readFileSync(file)));
  validate(module);
  return frameMapSize(buildFrameMaps(module, { trapSites }), module);
}

const show = (s: FrameMapSize): string =>
  `${s.checkpoints} checkpoints (${s.byKind.entry} entry, ${s.byKind.loop} loop, ${s.byKind['after-call']} after-call, ${s.byKind['trap-site']} trap-site), ` +
  `${s.jsonBytes} B: ${s.bytesPerCheckpoint.toFixed(1)} B/checkpoint, ${s.bytesPerCodeKB.toFixed(0)} B per KB of code (${s.codeBytes} B)`;

test('frame maps of the bench kernels stay small per checkpoint', () => {
  let json = 0, checkpoints = 0, code = 0;
  for (const k of kernelFiles) {
    const s = measure(join(root, 'bench', 'kernels', k.file), false);
    const t = measure(join(root, 'bench', 'kernels', k.file), true);
    console.log(`${k.name}: ${show(s)}\n  with trap sites: ${show(t)}`);
    json += s.jsonBytes; checkpoints += s.checkpoints; code += s.codeBytes;
    expect(s.bytesPerCheckpoint).toBeLessThan(80);
    expect(t.bytesPerCheckpoint).toBeLessThan(s.bytesPerCheckpoint + 40);
  }
  console.log(`all kernels: ${(json / checkpoints).toFixed(1)} B/checkpoint, ${(json / (code / 1024)).toFixed(0)} B per KB of code`);
});

const large = join(root, 'bench', 'large', 'large.wasm');
test.skipIf(process.env['WASMFLIP_DEOPT_LARGE'] !== '1' || !existsSync(large))('frame maps of the large module (WASMFLIP_DEOPT_LARGE=1)', () => {
  const t0 = performance.now();
  const s = measure(large, false);
  const t1 = performance.now();
  const t = measure(large, true);
  console.log(`large: ${show(s)} [${(t1 - t0).toFixed(0)} ms]\n  with trap sites: ${show(t)} [${(performance.now() - t1).toFixed(0)} ms]`);
  expect(s.checkpoints).toBeGreaterThan(0);
});
