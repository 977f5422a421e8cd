/**
 * Locates the converted spec suite (JSON + .wasm, see ../shared/spectest/INDEX.md)
 * and lists its commands, for tests that check decoding and validation against it.
 *
 * Invariant: `specDir()` is null when the folder is absent, so suites can skip
 * themselves with a visible message instead of failing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The spec suite folder: $WASMFLIP_SPECTEST, else ../shared/spectest next to the repo; null if absent. */
export function specDir(): string | null {
  const dir = resolve(repoRoot, process.env['WASMFLIP_SPECTEST'] ?? '../shared/spectest');
  return existsSync(dir) ? dir : null;
}

export interface SpecCommand {
  readonly type: string;
  readonly line: number;
  readonly filename?: string;
  readonly module_type?: string;
  readonly text?: string;
}

export interface SpecFile {
  readonly name: string;
  readonly dir: string;
  readonly commands: readonly SpecCommand[];
}

/** Every `<name>/<name>.json` of the suite, sorted by name. */
export function specFiles(dir: string): SpecFile[] {
  const out: SpecFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const json = join(dir, name, `${name}.json`);
    if (!existsSync(json)) continue;
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { commands: SpecCommand[] };
    out.push({ name, dir: join(dir, name), commands: parsed.commands });
  }
  return out;
}

export function readModuleFile(file: SpecFile, filename: string): Uint8Array {
  return new Uint8Array(readFileSync(join(file.dir, filename)));
}
