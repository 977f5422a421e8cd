/**
 * Locates the project's source folders at run time.
 * Invariant: paths are found by walking up to wasmflip's package.json, so the
 * same code works from `bench/*.ts` (vitest) and from `dist/bench/*.js` (npm run bench),
 * and the data files (.wasm, .json, results) are always those of the source tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === 'wasmflip') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`wasmflip's package.json not found above ${start}`);
    dir = parent;
  }
}

/** The checkout's root folder (holds package.json). */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
/** The kernels' sources, .wasm files and kernels.json. */
export const kernelsDir = join(projectRoot, 'bench', 'kernels');
/** Where `npm run bench` writes latest.json and latest.md. */
export const resultsDir = join(projectRoot, 'bench', 'results');
/** The large generated module for compile-speed measurements. */
export const largeDir = join(projectRoot, 'bench', 'large');
/** Small modules of code shapes the compiler lowers specially (patterns.ts). */
export const patternsDir = join(projectRoot, 'bench', 'patterns');
