/**
 * "Loaded code": the bytes of JavaScript a configuration loads, found by
 * walking the ES import graph (static imports, re-exports, and `import()` of a
 * string literal) from a package entry point in dist/. The entry points are
 * read from package.json "exports", so a new entry (e.g. `wasmflip/static`)
 * appears in the report without touching the bench.
 * Invariant: each file counts once per graph; a specifier that does not
 * resolve is listed as missing, never skipped silently; Node built-ins and
 * other packages are listed by name, not counted.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'acorn';

export interface ImportGraph {
  /** Files reached, relative to `root`, sorted. */
  files: string[];
  /** Their total size in bytes. */
  bytes: number;
  /** Other packages imported (bare specifiers), sorted. */
  packages: string[];
  /** Relative specifiers that did not resolve to a file, as `from → specifier`. */
  missing: string[];
}

interface AstNode {
  type: string;
  [key: string]: unknown;
}

/** The string-literal specifiers a module's source imports or re-exports. */
export function importSpecifiers(source: string, file = '<source>'): string[] {
  let ast: AstNode;
  try {
    ast = parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as AstNode;
  } catch (error) {
    throw new Error(`cannot parse ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) { for (const n of node) visit(n); return; }
    const n = node as AstNode;
    const withSource = n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ImportExpression';
    const src = withSource ? (n.source as AstNode | null | undefined) : undefined;
    if (src && src.type === 'Literal' && typeof src.value === 'string') out.push(src.value);
    for (const key of Object.keys(n)) if (key !== 'source') visit(n[key]);
  };
  visit(ast);
  return out;
}

const builtins = new Set(builtinModules);
const isBuiltin = (s: string): boolean => s.startsWith('node:') || builtins.has(s) || builtins.has(s.split('/')[0]!);
const packageName = (s: string): string => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);

/** Walks the import graph from `entries` (absolute paths); sizes are relative to `root`. */
export function walkImports(entries: readonly string[], root: string): ImportGraph {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const missing: string[] = [];
  let bytes = 0;
  const queue = entries.map((e) => resolve(e));
  for (const e of queue) if (!existsSync(e)) missing.push(`entry → ${relative(root, e)}`);
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    bytes += statSync(file).size;
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'), relative(root, file))) {
      if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target) && statSync(target).isFile()) queue.push(target);
        else missing.push(`${relative(root, file)} → ${spec}`);
      } else if (!isBuiltin(spec)) {
        packages.add(packageName(spec));
      }
    }
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), bytes, packages: [...packages].sort(), missing };
}

/** package.json "exports" as subpath → file (the `import`, else `default`, else `node` condition). */
export function packageEntries(root: string): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: unknown; main?: string };
  const out = new Map<string, string>();
  const pick = (target: unknown): string | undefined => {
    if (typeof target === 'string') return target;
    if (target !== null && typeof target === 'object') {
      const t = target as Record<string, unknown>;
      return pick(t['import'] ?? t['default'] ?? t['node']);
    }
    return undefined;
  };
  const exp = pkg.exports;
  if (typeof exp === 'string') out.set('.', exp);
  else if (exp !== null && typeof exp === 'object') {
    const keys = Object.keys(exp);
    if (keys.every((k) => k.startsWith('.'))) {
      for (const k of keys) {
        const file = pick((exp as Record<string, unknown>)[k]);
        if (file !== undefined && !k.includes('*')) out.set(k, file);
      }
    } else {
      const file = pick(exp);
      if (file !== undefined) out.set('.', file);
    }
  } else if (pkg.main !== undefined) out.set('.', pkg.main);
  return out;
}

/** One package entry point's graph. */
export interface EntryCode extends ImportGraph {
  entry: string;
  file: string;
}

/** Every package entry point's import graph. */
export function entryGraphs(root: string): EntryCode[] {
  return [...packageEntries(root)].map(([entry, file]) => ({ entry, file, ...walkImports([join(root, file)], root) }));
}

/** What a configuration loads: per alternative list, the first exported entry; the union of their graphs. */
export function configurationCode(alternatives: readonly (readonly string[])[], root: string): { entries: string[]; graph: ImportGraph } {
  const exported = packageEntries(root);
  const entries: string[] = [];
  for (const options of alternatives) {
    const chosen = options.find((o) => exported.has(o));
    if (chosen !== undefined) entries.push(chosen);
  }
  const graph = walkImports(entries.map((e) => join(root, exported.get(e)!)), root);
  const unexported = alternatives.filter((options) => !options.some((o) => exported.has(o))).map((o) => o.join(' | '));
  for (const u of unexported) graph.missing.push(`package.json exports none of ${u}`);
  return { entries, graph };
}
