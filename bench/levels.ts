/**
 * The debug levels and presets as the runtime names them, and the seed's
 * estimate of what each level costs: the figures the report compares its
 * measurements with, line by line.
 * Invariant: this is the only place the seed's numbers are written down; a
 * level the seed gives no figure for says so (`undefined`), it is never
 * filled in.
 */

import { LEVELS, PRESETS, type Level, type Preset } from '../runtime/api/levels.js';

export { LEVELS, PRESETS, type Level, type Preset };

/** A closed range; a point estimate has low === high. */
export interface Range {
  low: number;
  high: number;
}

export interface SeedEstimate {
  level: Level;
  /** Run-time overhead vs native, percent. */
  runtimePercent?: Range;
  /** Memory added by this level over the previous one, KB (static: over native). */
  memoryStepKB?: number;
}

/** The seed's estimates, verbatim: runtime static 0%, inspection 5–10%, control 15–25%; memory 8 KB / +16 KB / +32 KB. */
export const SEED_ESTIMATES: readonly SeedEstimate[] = [
  { level: 'static', runtimePercent: { low: 0, high: 0 }, memoryStepKB: 8 },
  { level: 'inspection', runtimePercent: { low: 5, high: 10 }, memoryStepKB: 16 },
  { level: 'control', runtimePercent: { low: 15, high: 25 }, memoryStepKB: 32 },
  { level: 'eval' },
  { level: 'modify' },
];

/**
 * How far outside an estimate a measurement may land and still count as
 * "within": the machine is shared and single ratios move by several percent,
 * so a point estimate of 0% cannot be met exactly. Runtime: ± percentage
 * points; memory: ± fraction of the estimate.
 */
export const TOLERANCE = { runtimePoints: 3, memoryFraction: 0.25 } as const;

/**
 * The seed's memory figure for a level as a total over native: the levels
 * are cumulative (each includes the one before), so inspection is 8 + 16 KB.
 * Undefined when the seed gives no figure for the level or one below it.
 */
export function cumulativeMemoryKB(level: Level): number | undefined {
  let total = 0;
  for (const e of SEED_ESTIMATES) {
    if (e.memoryStepKB === undefined) return undefined;
    total += e.memoryStepKB;
    if (e.level === level) return total;
  }
  return undefined;
}

export type Verdict = 'within' | 'above' | 'below' | 'no estimate' | 'not measured';

/** Compares a measurement with a range widened by `slack` on both sides. */
export function verdict(measured: number | undefined, estimate: Range | undefined, slack: number): Verdict {
  if (estimate === undefined) return 'no estimate';
  if (measured === undefined || !Number.isFinite(measured)) return 'not measured';
  if (measured > estimate.high + slack) return 'above';
  if (measured < estimate.low - slack) return 'below';
  return 'within';
}

/** Runtime verdict: measured overhead in percent vs the seed's range ± TOLERANCE.runtimePoints. */
export function runtimeVerdict(level: Level, measuredPercent: number | undefined): Verdict {
  const estimate = SEED_ESTIMATES.find((e) => e.level === level)?.runtimePercent;
  return verdict(measuredPercent, estimate, TOLERANCE.runtimePoints);
}

/** Memory verdict: measured KB over native vs the seed's cumulative figure ± TOLERANCE.memoryFraction. */
export function memoryVerdict(level: Level, measuredKB: number | undefined): Verdict {
  const kb = cumulativeMemoryKB(level);
  if (kb === undefined) return 'no estimate';
  return verdict(measuredKB, { low: kb, high: kb }, kb * TOLERANCE.memoryFraction);
}
