/**
 * The feature levels (DESIGN.md "Feature levels"), ordered: each includes
 * everything below it. The one list both the runtime (instances, CLI
 * options) and the debugger's gate read; this file imports nothing, so the
 * `static` entry point can name levels without loading the debugger.
 */
export const LEVELS = ['static', 'inspection', 'control', 'eval', 'modify'] as const;
export type Level = (typeof LEVELS)[number];

/** `a` includes everything `b` offers. */
export function levelAtLeast(a: Level, b: Level): boolean {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b);
}

/** What a session refuses at a level too low for it: "stepping needs level control (this session runs at inspection)". */
export class LevelError extends Error {
  override readonly name = 'LevelError';
  constructor(what: string, needs: Level, has: Level) {
    super(`${what} needs level ${needs} (this session runs at level ${has})`);
  }
}

/** Throws LevelError unless `has` offers `needs`. */
export function requireLevel(has: Level, needs: Level, what: string): void {
  if (!levelAtLeast(has, needs)) throw new LevelError(what, needs, has);
}

/** A variable, member or element path (`p->next.x`, `arr[2]`, `$local0`): what `inspection` may print without `eval`. */
export function isPlainPath(expr: string): boolean {
  return /^\s*\*?\s*[A-Za-z_$][\w$]*(\s*(\.|->)\s*[A-Za-z_$][\w$]*|\s*\[\s*\d+\s*\])*\s*$/.test(expr);
}
