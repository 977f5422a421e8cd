/**
 * Source maps for code loaded by `instantiate` (runtime/api/source-maps.ts):
 * under `node --enable-source-maps`, a trap in native mode shows each
 * compiled frame as its C function and line (DWARF), or as the module's
 * disassembly where DWARF has no line; without the flag no map is built.
 * Runs the built package in a child process (needs `npm run build`; says so
 * and skips otherwise).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist/runtime/index.js'));
if (!built) console.warn('[source-maps] dist/ is not built (npm run build): skipped');

const SCRIPT = `
import { readFileSync } from 'node:fs';
import { instantiate, createWasiHost } from ${JSON.stringify(join(root, 'dist/runtime/index.js'))};
const bytes = new Uint8Array(readFileSync(${JSON.stringify(join(root, 'test/fixtures/debugger/prog-O0.wasm'))}));
const wasi = createWasiHost({ args: ['prog', '0'], io: { out: () => {}, err: () => {} } });
const { instance } = await instantiate(bytes, (m, n) => wasi.resolve(m, n));
wasi.bind({ exportValue: (n) => instance.state.exports.get(n) });
try { instance.exports._start(); } catch (e) { console.log(e.stack); }
`;

function stackOf(flags: string[]): string {
  return execFileSync(process.execPath, [...flags, '--input-type=module', '-e', SCRIPT], { encoding: 'utf8' });
}

describe.skipIf(!built)('source maps of instantiated code', () => {
  it('under --enable-source-maps, a native trap shows C functions and lines, and the disassembly where DWARF has none', () => {
    const stack = stackOf(['--enable-source-maps']);
    expect(stack).toMatch(/^Trap: integer divide by zero \(in func 12 \$divide, at offset 0x37f\) \[\.\/prog\.c:46:12\]/);
    expect(stack).toMatch(/\n\s+at divide \(wasmflip:\/\/\/prog\.c:46:12\)\n\s+at main \(wasmflip:\/\/\/prog\.c:63:\d+\)\n/);
    expect(stack).toMatch(/\n\s+at __main_void \(wasm:\/\/module\.wat:\d+:1\)\n/);
  }, 30_000);

  it('without the flag, frames stay the generated functions (no map is built)', () => {
    const stack = stackOf([]);
    expect(stack).toMatch(/\n\s+at f12 \(eval at /);
    expect(stack).not.toMatch(/wasmflip:\/\/\//);
  }, 30_000);
});
