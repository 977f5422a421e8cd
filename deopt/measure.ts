/**
 * Frame-map size: what native-debug's side tables cost, as JSON bytes per
 * checkpoint and per KB of Wasm code (issue 6 asks bench/ to report both).
 *
 * Invariant: code bytes are those of the functions the maps cover (the
 * Code-section entries from the body-size LEB to the end, the compiler's
 * `codeBytes` definition), so a map built for a sample of functions is
 * measured against that sample's code only.
 */
import type { Module } from '../interpreter/index.js';
import { CHECKPOINT_KINDS, type CheckpointKind, type FrameMaps } from './frame-map.js';

export interface FrameMapSize {
  readonly functions: number;
  readonly checkpoints: number;
  readonly byKind: Readonly<Record<CheckpointKind, number>>;
  /** `JSON.stringify(maps)` length (ASCII, so bytes). */
  readonly jsonBytes: number;
  readonly codeBytes: number;
  readonly bytesPerCheckpoint: number;
  readonly bytesPerCodeKB: number;
  readonly checkpointsPerCodeKB: number;
}

export function frameMapSize(maps: FrameMaps, module: Module): FrameMapSize {
  const byKind: Record<CheckpointKind, number> = { 'entry': 0, 'loop': 0, 'after-call': 0, 'trap-site': 0 };
  let codeBytes = 0;
  for (const f of maps.funcs) {
    for (const row of f.rows) byKind[CHECKPOINT_KINDS[row[0]]!]++;
    const func = module.funcs[f.func - module.importedFuncCount];
    if (func !== undefined) codeBytes += func.endOffset - func.entryOffset;
  }
  const jsonBytes = JSON.stringify(maps).length;
  const kb = codeBytes / 1024;
  return {
    functions: maps.funcs.length,
    checkpoints: maps.count,
    byKind,
    jsonBytes,
    codeBytes,
    bytesPerCheckpoint: maps.count > 0 ? jsonBytes / maps.count : 0,
    bytesPerCodeKB: kb > 0 ? jsonBytes / kb : 0,
    checkpointsPerCodeKB: kb > 0 ? maps.count / kb : 0,
  };
}
