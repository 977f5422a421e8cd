/**
 * Builds a module's frame maps from the validator's data alone (the
 * operand-stack heights of `func.heights` and the operand types of
 * `operandTypesAt`), without compiling: the reference the compiler's
 * checkpoint pass must agree with (its maps should equal these, row for
 * row), and what the round-trip tests and the size measurements use.
 *
 * Which instructions get a checkpoint (deopt/DESIGN.md):
 *   entry       before the body's first instruction (empty stack)
 *   loop        before the first instruction of each `loop`'s body, i.e. at
 *               the top of the emitted `while (true) {`, reached on entry and
 *               on every back edge (`continue`)
 *   after-call  before the instruction following each `call` /
 *               `call_indirect` (the results on top of the stack); the same
 *               row describes the frame paused at the call (results not yet
 *               produced) when a callee unwound through it
 *   trap-site   (optional) before each instruction that may trap, so that a
 *               trap in native-debug stops before the faulting instruction
 *
 * Invariant: a row exists only where the code is reachable with known
 * operand types (checkpoints in dead code would never run).
 */
import type { Func, Instr, Module } from '../interpreter/index.js';
import { mayTrap } from '../compiler/index.js';
import { operandTypesByIndex, stopOffsetOf, stopStateIndex, type ValType } from '../interpreter/index.js';
import { convOf, DeoptError, FRAME_MAP_VERSION, type CheckpointKind, type CheckpointRow, type FrameMaps, type FuncFrameMap } from './frame-map.js';

export interface BuildOptions {
  /** Add trap-site checkpoints (default false: the cheap, flag-checking kinds only). */
  readonly trapSites?: boolean;
  /** Only these defined functions (function index space); default all. For sampling very large modules. */
  readonly only?: (funcIndex: number) => boolean;
}

/** Instructions that may trap (spec 4.4): the trap-site checkpoints (the compiler's definition, one for both). */
export { mayTrap };

interface Site {
  readonly kind: CheckpointKind;
  /** Index of the instruction the frame resumes at. */
  readonly at: number;
  /** After-call: index of the call. */
  readonly call?: number;
}

/** The checkpoint sites of one body, in offset order. */
function sitesOf(body: readonly Instr[], trapSites: boolean): Site[] {
  const sites: Site[] = [{ kind: 'entry', at: 0 }];
  for (let i = 0; i < body.length - 1; i++) {
    const op = body[i]!.op;
    // A trap site right after a loop header or a call shares that checkpoint.
    const prev = i > 0 ? body[i - 1]!.op : 'nop';
    if (trapSites && i > 0 && mayTrap(op) && prev !== 'loop' && prev !== 'call' && prev !== 'call_indirect') sites.push({ kind: 'trap-site', at: i });
    if (op === 'loop') sites.push({ kind: 'loop', at: i + 1 });
    else if (op === 'call' || op === 'call_indirect') sites.push({ kind: 'after-call', at: i + 1, call: i });
  }
  return sites;
}

function resultCount(module: Module, ins: Instr): number {
  const typeIndex = ins.op === 'call' ? module.funcTypes[ins.index!] : ins.index;
  const type = typeIndex === undefined ? undefined : module.types[typeIndex];
  if (type === undefined) throw new DeoptError(`frame maps: ${ins.op} with an unknown type`, ins.offset);
  return type.results.length;
}

/** One function's record; `firstId` is the id of its first row. */
export function buildFuncMap(module: Module, funcIndex: number, firstId: number, options: BuildOptions = {}): FuncFrameMap {
  const func: Func | undefined = module.funcs[funcIndex - module.importedFuncCount];
  if (func === undefined) throw new DeoptError(`frame maps: function ${funcIndex} is not defined in the module`);
  if (func.heights === undefined) throw new DeoptError(`frame maps: function ${funcIndex} is not validated`, func.entryOffset);
  const type = module.types[module.funcTypes[funcIndex]!]!;
  const locals = [...type.params, ...func.locals].map(convOf).join('');
  const base = func.entryOffset;
  const rows: CheckpointRow[] = [];
  // Where the interpreter names each site's state: a loop body's first instruction shares its group with the
  // `loop` (and any `block`, `nop` or `drop` before it), and the state is read there.
  const sites = sitesOf(func.body, options.trapSites ?? false).map((site) => {
    const named = stopOffsetOf(module, funcIndex, func.body[site.at]!.offset);
    return { site, named, at: site.kind === 'after-call' ? site.at : stopStateIndex(module, funcIndex, named) };
  });
  // Every site's operand types from one run of the validator.
  const typesAt = operandTypesByIndex(module, funcIndex, sites.map((x) => x.at));
  for (const { site, named, at } of sites) {
    const types = typesAt.get(at);
    // Dead code (types the validator could not know) never reaches a checkpoint.
    if (types === undefined || types.length !== func.heights[at] || types.includes('unknown')) continue;
    const stack = (types as ValType[]).map(convOf).join('');
    const resume = named - base;
    if (site.kind === 'after-call') {
      const call = func.body[site.call!]!;
      rows.push([2, resume, stack, resultCount(module, call), call.offset - base]);
    } else {
      rows.push([site.kind === 'entry' ? 0 : site.kind === 'loop' ? 1 : 3, resume, stack]);
    }
  }
  return { func: funcIndex, base, firstId, locals, rows };
}

/** Frame maps for every defined function of a validated module (or those `options.only` keeps). */
export function buildFrameMaps(module: Module, options: BuildOptions = {}): FrameMaps {
  const funcs: FuncFrameMap[] = [];
  let next = 0;
  for (let k = 0; k < module.funcs.length; k++) {
    const funcIndex = module.importedFuncCount + k;
    if (options.only !== undefined && !options.only(funcIndex)) continue;
    const f = buildFuncMap(module, funcIndex, next, options);
    funcs.push(f);
    next += f.rows.length;
  }
  return { version: FRAME_MAP_VERSION, count: next, funcs };
}

/**
 * Checkpoint ids by place: `at(funcIndex, offset)` is the checkpoint that
 * resumes at `offset` (a flag-checking kind wins over a trap site there, as
 * it is the one compiled code reaches without trapping); `afterCall(funcIndex,
 * callOffset)` is the after-call checkpoint of the call at `callOffset`.
 */
export interface CheckpointIndex {
  at(funcIndex: number, offset: number): number | undefined;
  afterCall(funcIndex: number, callOffset: number): number | undefined;
}

export function checkpointIndex(maps: FrameMaps): CheckpointIndex {
  const byPlace = new Map<number, Map<number, number>>();
  const byCall = new Map<number, Map<number, number>>();
  for (const f of maps.funcs) {
    const places = new Map<number, number>(), calls = new Map<number, number>();
    f.rows.forEach((row, k) => {
      const off = f.base + row[1];
      if (!places.has(off) || row[0] !== 3) places.set(off, f.firstId + k);
      if (row[0] === 2) calls.set(f.base + row[4], f.firstId + k);
    });
    byPlace.set(f.func, places);
    byCall.set(f.func, calls);
  }
  return {
    at: (funcIndex, offset) => byPlace.get(funcIndex)?.get(offset),
    afterCall: (funcIndex, callOffset) => byCall.get(funcIndex)?.get(callOffset),
  };
}
