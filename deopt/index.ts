/**
 * deopt/: frame maps + captured JS values → interpreter frames (DESIGN.md
 * "Invariants that make deopt possible", issue 6). The only public surface
 * of the folder. The protocol and the checkpoint pass it expects of the
 * compiler are in deopt/DESIGN.md.
 */
export {
  FRAME_MAP_VERSION, CHECKPOINT_KINDS, DeoptError,
  checkpointOf, checkpointIdsOf, convOf, funcMapOf, widthOf,
} from './frame-map.js';
export type {
  Checkpoint, CheckpointKind, CheckpointRow, Conv, FrameMaps, FuncFrameMap, SlotRef, WasmLocation,
} from './frame-map.js';
export { buildFrameMaps, buildFuncMap, checkpointIndex, mayTrap } from './build-maps.js';
export type { BuildOptions, CheckpointIndex } from './build-maps.js';
export { decodeFrame, encodeFrame, i64FromHalves, cachedCheckpoint } from './capture.js';
export type { Capture } from './capture.js';
export { deoptFrames, deoptAndResume } from './rebuild.js';
export { frameMapSize } from './measure.js';
export type { FrameMapSize } from './measure.js';
