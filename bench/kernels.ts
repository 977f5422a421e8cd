/**
 * The benchmark kernels as data: reads bench/kernels/kernels.json and the .wasm files.
 * Invariant: a checksum is a decimal string (i64 does not fit a JS number), and
 * `checksumOf` turns any engine's result into that same canonical form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelsDir } from './paths.js';

/** The Wasm type of a kernel's result. */
export type ResultType = 'i32' | 'i64';

/** One kernel as listed in kernels.json. */
export interface Kernel {
  name: string;
  /** The .wasm file, relative to bench/kernels/. */
  file: string;
  /** The exported function: (n: i32) -> result. */
  export: string;
  result: ResultType;
  /** Default argument, sized for roughly 20–100 ms in V8's WebAssembly. */
  n: number;
  /** Argument for `--quick` runs and tests (about 1 ms in V8). */
  quickN: number;
  /** Checksum of run(n) measured in V8's WebAssembly, as a signed decimal string. */
  expected: string;
  /** Checksum of run(quickN), same form. */
  expectedQuick: string;
}

/** The argument a run passes and the checksum it must give: quick runs' pair or the full one, never mixed. */
export function runSize(kernel: Kernel, quick: boolean): { n: number; expected: string } {
  return quick ? { n: kernel.quickN, expected: kernel.expectedQuick } : { n: kernel.n, expected: kernel.expected };
}

/** kernels.json's location. */
export const kernelsJsonPath = join(kernelsDir, 'kernels.json');

/** Reads kernels.json; throws with the file name if it is malformed. */
export function loadKernels(): Kernel[] {
  const data = JSON.parse(readFileSync(kernelsJsonPath, 'utf8')) as { kernels?: Kernel[] };
  if (!Array.isArray(data.kernels)) throw new Error(`${kernelsJsonPath}: missing "kernels" array`);
  return data.kernels;
}

/** The kernel's module bytes; `build`: another build's file suffix (`-O0g`: bench/kernels/build.sh with OPT="-O0 -g"). */
export function kernelBytes(kernel: Kernel, build = ''): Uint8Array {
  return new Uint8Array(readFileSync(join(kernelsDir, kernel.file.replace(/\.wasm$/, `${build}.wasm`))));
}

/** Canonical checksum text: signed decimal, i32 wrapped to 32 bits, i64 to 64 bits. */
export function checksumOf(value: number | bigint, type: ResultType): string {
  if (type === 'i64') {
    if (typeof value === 'number' && !Number.isInteger(value)) return `not an integer: ${value}`;
    return BigInt.asIntN(64, BigInt(value)).toString();
  }
  if (typeof value === 'bigint') return BigInt.asIntN(32, value).toString();
  // A non-integer can never be a correct i32; keep it visible instead of truncating it.
  if (!Number.isInteger(value)) return `not an integer: ${value}`;
  return String(value | 0);
}
