/**
 * The feature levels and presets (DESIGN.md "Feature levels") as data: what
 * each lets a debugger do, and the mode and trap policy it starts an
 * instance in. One table, read by the API (instance.ts), the CLI (--level /
 * --preset) and the debugger's gate (debug/session), so a level means the
 * same everywhere.
 *
 * Invariant: levels are ordered; each includes everything below it.
 */
import { LEVELS, levelAtLeast, type Level } from '../../debug/session/level.js';

export { LEVELS, levelAtLeast, type Level };

export const PRESETS = ['minimal', 'production', 'development', 'embedded'] as const;
export type Preset = (typeof PRESETS)[number];

export type Mode = 'native' | 'native-debug' | 'debug';
export const MODES: readonly Mode[] = ['native', 'native-debug', 'debug'];

/** What happens when a trap leaves compiled code in native mode. */
export type OnTrap = 'throw' | 'flip';

export interface LevelInfo {
  readonly level: Level;
  /** What it adds over the level below (the README's and the bench report's words). */
  readonly adds: string;
  /** The mode an instance at this level starts in. */
  readonly mode: Mode;
}

export const LEVEL_INFO: Readonly<Record<Level, LevelInfo>> = {
  static: { level: 'static', adds: 'source lines, functions, parameters and inlined frames of traps (DWARF, source map); no run-time cost', mode: 'native' },
  inspection: { level: 'inspection', adds: 'a trap stops before the faulting instruction with every frame\'s variables and memory', mode: 'native-debug' },
  control: { level: 'control', adds: 'breakpoints, stepping, pause', mode: 'native-debug' },
  eval: { level: 'eval', adds: 'expressions (print, conditions, logpoints, watchpoints)', mode: 'native-debug' },
  modify: { level: 'modify', adds: 'writing variables, globals and memory', mode: 'native-debug' },
};

export interface PresetInfo {
  readonly preset: Preset;
  readonly level: Level;
  readonly mode: Mode;
  readonly onTrap: OnTrap;
  readonly why: string;
}

export const PRESET_INFO: Readonly<Record<Preset, PresetInfo>> = {
  minimal: { preset: 'minimal', level: 'static', mode: 'native', onTrap: 'throw', why: 'smallest and fastest: traps name their C line, nothing else' },
  production: {
    preset: 'production', level: 'control', mode: 'native', onTrap: 'flip',
    why: 'native speed until the first trap, then native-debug: the next failure stops (or is recorded) with its full state',
  },
  development: { preset: 'development', level: 'modify', mode: 'native-debug', onTrap: 'throw', why: 'everything a debugger offers, at compiled speed between stops' },
  embedded: { preset: 'embedded', level: 'inspection', mode: 'native-debug', onTrap: 'throw', why: 'traps keep their state; no breakpoints, so no flag checks in loops' },
};

export function parseLevel(s: unknown): Level {
  if (typeof s === 'string' && (LEVELS as readonly string[]).includes(s)) return s as Level;
  throw new TypeError(`unknown level ${JSON.stringify(s)} (levels: ${LEVELS.join(', ')})`);
}

export function parsePreset(s: unknown): Preset {
  if (typeof s === 'string' && (PRESETS as readonly string[]).includes(s)) return s as Preset;
  throw new TypeError(`unknown preset ${JSON.stringify(s)} (presets: ${PRESETS.join(', ')})`);
}

export function parseMode(s: unknown): Mode {
  if (typeof s === 'string' && (MODES as readonly string[]).includes(s)) return s as Mode;
  throw new TypeError(`unknown mode ${JSON.stringify(s)} (modes: ${MODES.join(', ')})`);
}

/** The settings an instance starts with: explicit options win over the preset's, the preset's over the level's. */
export function resolveSettings(o: { level?: unknown; preset?: unknown; mode?: unknown; onTrap?: unknown }): { level: Level; mode: Mode; onTrap: OnTrap; preset: Preset | undefined } {
  const preset = o.preset === undefined ? undefined : PRESET_INFO[parsePreset(o.preset)];
  const level = o.level !== undefined ? parseLevel(o.level) : preset?.level ?? 'control';
  const mode = o.mode !== undefined ? parseMode(o.mode) : preset !== undefined && o.level === undefined ? preset.mode : o.level !== undefined ? LEVEL_INFO[level].mode : 'native';
  if (o.onTrap !== undefined && o.onTrap !== 'throw' && o.onTrap !== 'flip') throw new TypeError(`unknown onTrap ${JSON.stringify(o.onTrap)} (throw, flip)`);
  const onTrap = (o.onTrap as OnTrap | undefined) ?? preset?.onTrap ?? 'throw';
  return { level, mode, onTrap, preset: preset?.preset };
}
