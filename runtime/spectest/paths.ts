/**
 * Where things are, found from this module's own location (never the
 * current directory): the project root (the folder whose package.json is
 * wasmflip's), the default spec-suite folder and the known-failures list.
 * Works both from the sources (runtime/spectest/) and from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding wasmflip's package.json. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isWasmflip(pkg)) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find wasmflip\'s package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

function isWasmflip(pkg: string): boolean {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'wasmflip';
  } catch {
    return false;
  }
}

/** The spec suite folder: $WASMFLIP_SPECTEST (relative to `cwd`), else ../shared/spectest beside the project. */
export function defaultSpecDir(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string {
  const fromEnv = env['WASMFLIP_SPECTEST'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  return resolve(projectRoot(), '..', 'shared', 'spectest');
}

/** The checked-in known-failures list (kept beside the runner's sources). */
export function knownFailuresPath(): string {
  return join(projectRoot(), 'runtime', 'spectest', 'known-failures.json');
}
