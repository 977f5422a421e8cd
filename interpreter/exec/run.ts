/**
 * The dispatch loop (spec 4.4 "Instructions", over the flat code of
 * predecode.ts). One `switch` on the op with literal case labels; each case
 * is a few lines, anything longer lives in numeric.ts or tables.ts.
 *
 * Registers: `code`/`pc` the current function's flat code, `fp2` twice the
 * frame pointer (an index into the Int32Array view), `inst` the instance
 * whose function runs, and the cached views of its memory. Calls between
 * Wasm functions never recurse in JavaScript: the caller is saved on the
 * machine's call stack, so the whole Wasm stack is plain data and any
 * activation can be captured or resumed (DESIGN.md invariant 3).
 *
 * Invariant: while a case runs, `pc` points at the start of its instruction,
 * so a trap reports that instruction's offset.
 */
import { Exhaustion, Trap } from '../errors.js';
import * as N from './numeric.js';
import { Op } from './ops.js';
import { MAX_DEPTH, machine } from './machine.js';
import type { FlatFunc } from './flat-func.js';
import type { FuncInstance, Instance, MemoryInstance } from './store.js';
import { flatOf, flatOfCallee } from './flat-cache.js';
import { callHost } from './host-call.js';
import * as T from './tables.js';
import { typeIdOf } from './typeid.js';
import type { Ref } from './values.js';
import { hooks, pause } from './debug-hooks.js';
import { toExact, toFused, type LiveFrame } from './frames.js';

export const OOB_MEMORY = 'out of bounds memory access';

/** The running frame's registers, published at a debugger stop (debug-hooks.ts). */
const live: LiveFrame = { ff: undefined as unknown as FlatFunc, inst: undefined as unknown as Instance, pc: 0, fp: 0 };
/** Traps already reported to the debugger, so outer activations do not stop again as it propagates. */
const trapsSeen = new WeakSet<Trap>();

/**
 * Runs the frame at the top of the machine (already set up at `fp` with its
 * locals and operand stack) from flat pc `startPc` until the call stack
 * returns below `entryDepth` (frames saved above it are callers being
 * resumed). Results are left in the first slots of the bottom frame.
 */
export function run(entry: FlatFunc, entryInst: Instance, fp: number, startPc = 0, entryDepth = machine.depth): void {
  const M = machine;
  let ff = entry;
  let inst = entryInst;
  let code = ff.code;
  let pc = startPc;
  let fp2 = fp * 2;
  let I32 = M.I32, F32 = M.F32, F64 = M.F64;
  let R = M.R;
  let mem: MemoryInstance | undefined = inst.mems[0];
  let dv = mem ? mem.dv : new DataView(new ArrayBuffer(0));
  let u8 = mem ? mem.u8 : new Uint8Array(0);
  let memLen = u8.length;
  let memGen = mem ? mem.generation : 0;
  let k = 0, a = 0, b = 0, c = 0;

  let stepping = hooks.stepping, stepMax = hooks.stepMaxDepth;
  // Taken backward branches (loop back-edges) look at the pause flag, and, in exact code, for a way back to fused code.
  let P = pause.flag, slow = false, t = 0;
  for (;;) try {
    for (;;) {
      let op = code[pc]!;
      if (op === Op.Break || slow || (stepping && M.depth <= stepMax)) {
        live.ff = ff; live.inst = inst; live.pc = pc; live.fp = fp2 >> 1;
        if (slow) {
          // At a loop header, after a back-edge.
          slow = false;
          if (P[0] !== 0 && hooks.onStop !== null) {
            // Another thread asked to pause: stop here, in exact code.
            if (ff.fused) {
              const x = toExact(ff, inst, pc, fp2 >> 1);
              ff = x.ff; code = ff.code; pc = x.pc; slow = true;
              continue;
            }
            Atomics.store(P, 0, 0);
            hooks.onStop('pause', live);
            stepping = hooks.stepping; stepMax = hooks.stepMaxDepth; P = pause.flag;
            I32 = M.I32; F32 = M.F32; F64 = M.F64; R = M.R;
            if (mem !== undefined) { dv = mem.dv; u8 = mem.u8; memLen = u8.length; memGen = mem.generation; }
            continue;
          }
          if (!ff.fused && !(stepping && M.depth <= stepMax) && flatOf(inst, ff.funcIndex).fused) {
            // Exact code only for as long as a stop needs it: back to fused code at this loop header.
            const x = toFused(ff, inst, pc, fp2 >> 1);
            if (x !== null) {
              ff = x.ff; code = ff.code; pc = x.pc;
              I32 = M.I32; F32 = M.F32; F64 = M.F64; R = M.R;
              continue;
            }
          }
        }
      }
      if (op === Op.Break || (stepping && M.depth <= stepMax)) {
        // A debugger stop (debug-hooks.ts): publish the registers, call the hook, re-read what it may change.
        live.ff = ff; live.inst = inst; live.pc = pc; live.fp = fp2 >> 1;
        const step = stepping && M.depth <= stepMax;
        if (ff.fused && hooks.onStop !== null && (step || hooks.mayStop === null || hooks.mayStop(live, groupFrom(ff, pc), ff.ends[pc]!))) {
          // Stops are exact: move this frame to the exact code and look again there.
          const x = toExact(ff, inst, pc, fp2 >> 1);
          ff = x.ff; code = ff.code; pc = x.pc;
          continue;
        }
        if (op === Op.Break) op = ff.breaks.get(pc) ?? Op.Nop;
        if (!ff.fused) {
          hooks.onStop?.(step ? 'step' : 'breakpoint', live);
          stepping = hooks.stepping; stepMax = hooks.stepMaxDepth;
          I32 = M.I32; F32 = M.F32; F64 = M.F64; R = M.R;
          if (mem !== undefined) { dv = mem.dv; u8 = mem.u8; memLen = u8.length; memGen = mem.generation; }
        }
      }
      // Branch cases leave their next pc in `t` and break out of `branch`; every other case ends the iteration.
      branch: {
        switch (op) {
          // ---- control (spec 4.4.8)
          case Op.Unreachable: throw 'unreachable';
          case Op.Nop: pc += 1; break;
          case Op.Br: t = code[pc + 1]!; break branch;
          case Op.BrMove: copySlots(I32, R, fp2 + code[pc + 2]!, fp2 + code[pc + 3]!, code[pc + 1]!); t = code[pc + 4]!; break branch;
          case Op.BrIf: t = I32[fp2 + code[pc + 1]!] !== 0 ? code[pc + 2]! : pc + 3; break branch;
          case Op.BrUnless: t = I32[fp2 + code[pc + 1]!] === 0 ? code[pc + 2]! : pc + 3; break branch;
          case Op.JmpI32Eqz: t = I32[fp2 + code[pc + 1]!] === 0 ? code[pc + 2]! : pc + 3; break branch;
          case Op.JmpI32Eq: t = I32[fp2 + code[pc + 1]!] === I32[fp2 + code[pc + 2]!] ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32Ne: t = I32[fp2 + code[pc + 1]!] !== I32[fp2 + code[pc + 2]!] ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32LtS: t = I32[fp2 + code[pc + 1]!]! < I32[fp2 + code[pc + 2]!]! ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32LtU: t = I32[fp2 + code[pc + 1]!]! >>> 0 < I32[fp2 + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32GtS: t = I32[fp2 + code[pc + 1]!]! > I32[fp2 + code[pc + 2]!]! ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32GtU: t = I32[fp2 + code[pc + 1]!]! >>> 0 > I32[fp2 + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32LeS: t = I32[fp2 + code[pc + 1]!]! <= I32[fp2 + code[pc + 2]!]! ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32LeU: t = I32[fp2 + code[pc + 1]!]! >>> 0 <= I32[fp2 + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32GeS: t = I32[fp2 + code[pc + 1]!]! >= I32[fp2 + code[pc + 2]!]! ? code[pc + 3]! : pc + 4; break branch;
          case Op.JmpI32GeU: t = I32[fp2 + code[pc + 1]!]! >>> 0 >= I32[fp2 + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4; break branch;
          case Op.BrIfMove:
            if (I32[fp2 + code[pc + 1]!] === 0) { pc += 6; break; }
            copySlots(I32, R, fp2 + code[pc + 3]!, fp2 + code[pc + 4]!, code[pc + 2]!);
            t = code[pc + 5]!; break branch;
          case Op.BrTable: {
            const count = code[pc + 4]!;
            let i = I32[fp2 + code[pc + 1]!]! >>> 0;
            if (i > count) i = count;
            const e = pc + 5 + i * 2;
            if (code[e]! !== code[pc + 3]!) copySlots(I32, R, fp2 + code[pc + 3]!, fp2 + code[e]!, code[pc + 2]!);
            t = code[e + 1]!;
            break branch;
          }
          case Op.Return: {
            const n = code[pc + 1]!;
            if (n > 0 && code[pc + 2]! !== 0) copySlots(I32, R, fp2 + code[pc + 2]!, fp2, n);
            if (M.depth === entryDepth) return;
            const d = --M.depth;
            const caller = M.csInst[d]!;
            ff = M.csFunc[d]!;
            code = ff.code;
            pc = M.csPc[d]!;
            pc += code[pc] === Op.Call ? 3 : 4; // saved frames hold the pc of their call
            stepping = hooks.stepping; stepMax = hooks.stepMaxDepth;
            fp2 = M.csFp[d]! * 2;
            if (caller !== inst) {
              inst = caller; mem = inst.mems[0];
              if (mem !== undefined) { dv = mem.dv; u8 = mem.u8; memLen = u8.length; memGen = mem.generation; }
            }
            break;
          }
          case Op.Call:
          case Op.CallIndirect: {
            let callee: FuncInstance, argBase: number, ret: number;
            if (code[pc] === Op.Call) {
              callee = inst.funcs[code[pc + 1]!]!; argBase = code[pc + 2]!; ret = pc + 3;
            } else {
              const type = inst.module.types[code[pc + 1]!]!;
              argBase = code[pc + 3]!; ret = pc + 4;
              callee = T.indirectCallee(inst.tables[code[pc + 2]!]!, I32[fp2 + (argBase + type.params.length) * 2]!);
              if (typeIdOf(callee.type) !== typeIdOf(type)) throw 'indirect call type mismatch';
            }
            if (M.depth >= MAX_DEPTH) throw new Exhaustion('call stack exhausted', offsetAt(ff, pc), ff.funcIndex, inst.module.names.funcs.get(ff.funcIndex));
            if (callee.kind === 'host' || callee.compiled !== undefined) {
              // The frame stays visible (captureFrames) while the host runs, marked as calling out.
              const d = M.depth++;
              M.csFunc[d] = ff; M.csInst[d] = inst; M.csPc[d] = pc; M.csFp[d] = fp2 >> 1; M.csHost[d] = 1;
              M.top = (fp2 >> 1) + ff.frameSize;
              try {
                callHost(callee.type, callee.kind === 'host' ? callee.fn : callee.compiled!, fp2 + argBase * 2);
              } finally {
                M.depth = d;
              }
              stepping = hooks.stepping; stepMax = hooks.stepMaxDepth;
              I32 = M.I32; F32 = M.F32; F64 = M.F64; R = M.R;
              if (mem !== undefined && mem.generation !== memGen) { dv = mem.dv; u8 = mem.u8; memLen = u8.length; memGen = mem.generation; }
              pc = ret;
              break;
            }
            // Enter a Wasm callee: its frame starts at the caller's arguments.
            const cinst = callee.instance;
            const cff = flatOfCallee(callee);
            const nfp = (fp2 >> 1) + argBase;
            if (nfp + cff.frameSize > M.capacity) {
              M.ensure(nfp + cff.frameSize);
              I32 = M.I32; F32 = M.F32; F64 = M.F64; R = M.R;
            }
            const d = M.depth++;
            M.csFunc[d] = ff; M.csInst[d] = inst; M.csPc[d] = pc; M.csFp[d] = fp2 >> 1; M.csHost[d] = 0;
            // Zero the declared locals and fill the constant slots (plain loops: most frames are small).
            for (let i = (nfp + cff.nparams) * 2, e = (nfp + cff.nlocals) * 2; i < e; i++) I32[i] = 0;
            const consts = cff.consts;
            for (let i = 0, o = (nfp + cff.nlocals) * 2; i < consts.length; i++) I32[o + i] = consts[i]!;
            const refs = cff.refLocals;
            for (let i = 0; i < refs.length; i++) R[nfp + refs[i]!] = null;
            ff = cff; code = cff.code; pc = 0; fp2 = nfp * 2;
            if (cinst !== inst) {
              inst = cinst; mem = inst.mems[0];
              if (mem !== undefined) { dv = mem.dv; u8 = mem.u8; memLen = u8.length; memGen = mem.generation; }
            }
            break;
          }
          // ---- variables and parametric (4.4.4, 4.4.5)
          case Op.Move32: I32[fp2 + code[pc + 1]!] = I32[fp2 + code[pc + 2]!]!; pc += 3; break;
          case Op.Move64: a = fp2 + code[pc + 1]!; b = fp2 + code[pc + 2]!; I32[a] = I32[b]!; I32[a + 1] = I32[b + 1]!; pc += 3; break;
          case Op.MoveF64: F64[(fp2 + code[pc + 1]!) >> 1] = F64[(fp2 + code[pc + 2]!) >> 1]!; pc += 3; break;
          case Op.MoveRef: R[(fp2 + code[pc + 1]!) >> 1] = R[(fp2 + code[pc + 2]!) >> 1]; pc += 3; break;
          case Op.Select:
            k = fp2 + code[pc + 1]!;
            if (I32[k + 4] === 0) { I32[k] = I32[k + 2]!; I32[k + 1] = I32[k + 3]!; }
            pc += 2;
            break;
          case Op.SelectRef:
            k = fp2 + code[pc + 1]!;
            if (I32[k + 4] === 0) R[k >> 1] = R[(k >> 1) + 1];
            pc += 2;
            break;
          case Op.GlobalGetI32: I32[fp2 + code[pc + 2]!] = inst.globals[code[pc + 1]!]!.value as number; pc += 3; break;
          case Op.GlobalGetF32: F32[fp2 + code[pc + 2]!] = inst.globals[code[pc + 1]!]!.value as number; pc += 3; break;
          case Op.GlobalGetF64: F64[(fp2 + code[pc + 2]!) >> 1] = inst.globals[code[pc + 1]!]!.value as number; pc += 3; break;
          case Op.GlobalGetI64:
            k = fp2 + code[pc + 2]!;
            I32[k] = N.fromBigInt(inst.globals[code[pc + 1]!]!.value as bigint);
            I32[k + 1] = N.hi64;
            pc += 3;
            break;
          case Op.GlobalGetRef: R[(fp2 + code[pc + 2]!) >> 1] = inst.globals[code[pc + 1]!]!.value; pc += 3; break;
          case Op.GlobalSetI32: inst.globals[code[pc + 1]!]!.value = I32[fp2 + code[pc + 2]!]!; pc += 3; break;
          case Op.GlobalSetF32: inst.globals[code[pc + 1]!]!.value = F32[fp2 + code[pc + 2]!]!; pc += 3; break;
          case Op.GlobalSetF64: inst.globals[code[pc + 1]!]!.value = F64[(fp2 + code[pc + 2]!) >> 1]!; pc += 3; break;
          case Op.GlobalSetI64:
            k = fp2 + code[pc + 2]!;
            inst.globals[code[pc + 1]!]!.value = N.toBigInt(I32[k]!, I32[k + 1]!);
            pc += 3;
            break;
          case Op.GlobalSetRef: inst.globals[code[pc + 1]!]!.value = R[(fp2 + code[pc + 2]!) >> 1]; pc += 3; break;
          // ---- tables and references (4.4.6, 4.4.3)
          case Op.TableGet: T.tableGet(inst, code[pc + 1]!, fp2 + code[pc + 2]!); pc += 3; break;
          case Op.TableSet: T.tableSet(inst, code[pc + 1]!, fp2 + code[pc + 2]!); pc += 3; break;
          case Op.TableSize: I32[fp2 + code[pc + 2]!] = inst.tables[code[pc + 1]!]!.size; pc += 3; break;
          case Op.TableGrow: T.tableGrow(inst, code[pc + 1]!, fp2 + code[pc + 2]!); pc += 3; break;
          case Op.TableFill: T.tableFill(inst, code[pc + 1]!, fp2 + code[pc + 2]!); pc += 3; break;
          case Op.TableCopy: T.tableCopy(inst, code[pc + 1]!, code[pc + 2]!, fp2 + code[pc + 3]!); pc += 4; break;
          case Op.TableInit: T.tableInit(inst, code[pc + 1]!, code[pc + 2]!, fp2 + code[pc + 3]!); pc += 4; break;
          case Op.ElemDrop: inst.elems[code[pc + 1]!] = []; pc += 2; break;
          case Op.RefNull: R[(fp2 + code[pc + 1]!) >> 1] = null; pc += 2; break;
          case Op.RefIsNull: k = fp2 + code[pc + 1]!; I32[k] = R[k >> 1] === null ? 1 : 0; pc += 2; break;
          case Op.RefFunc: R[(fp2 + code[pc + 2]!) >> 1] = inst.funcs[code[pc + 1]!]!; pc += 3; break;
          // ---- memory (4.4.7): loads `OP d addr offset`, stores `OP addr value offset`
          case Op.I32Load: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 4 > memLen) throw OOB_MEMORY; I32[k] = dv.getInt32(a, true); pc += 4; break;
          case Op.F32Load: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 4 > memLen) throw OOB_MEMORY; I32[k] = dv.getInt32(a, true); pc += 4; break;
          case Op.I64Load: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 8 > memLen) throw OOB_MEMORY; I32[k] = dv.getInt32(a, true); I32[k + 1] = dv.getInt32(a + 4, true); pc += 4; break;
          case Op.F64Load: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 8 > memLen) throw OOB_MEMORY; F64[k >> 1] = dv.getFloat64(a, true); pc += 4; break;
          case Op.I32Load8S: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a >= memLen) throw OOB_MEMORY; I32[k] = (u8[a]! << 24) >> 24; pc += 4; break;
          case Op.I32Load8U: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a >= memLen) throw OOB_MEMORY; I32[k] = u8[a]!; pc += 4; break;
          case Op.I32Load16S: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 2 > memLen) throw OOB_MEMORY; I32[k] = dv.getInt16(a, true); pc += 4; break;
          case Op.I32Load16U: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 2 > memLen) throw OOB_MEMORY; I32[k] = dv.getUint16(a, true); pc += 4; break;
          case Op.I64Load8S: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a >= memLen) throw OOB_MEMORY; I32[k] = b = (u8[a]! << 24) >> 24; I32[k + 1] = b >> 31; pc += 4; break;
          case Op.I64Load8U: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a >= memLen) throw OOB_MEMORY; I32[k] = u8[a]!; I32[k + 1] = 0; pc += 4; break;
          case Op.I64Load16S: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 2 > memLen) throw OOB_MEMORY; I32[k] = b = dv.getInt16(a, true); I32[k + 1] = b >> 31; pc += 4; break;
          case Op.I64Load16U: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 2 > memLen) throw OOB_MEMORY; I32[k] = dv.getUint16(a, true); I32[k + 1] = 0; pc += 4; break;
          case Op.I64Load32S: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 4 > memLen) throw OOB_MEMORY; I32[k] = b = dv.getInt32(a, true); I32[k + 1] = b >> 31; pc += 4; break;
          case Op.I64Load32U: k = fp2 + code[pc + 1]!; a = (I32[fp2 + code[pc + 2]!]! >>> 0) + code[pc + 3]!; if (a + 4 > memLen) throw OOB_MEMORY; I32[k] = dv.getInt32(a, true); I32[k + 1] = 0; pc += 4; break;
          case Op.I32Store:
          case Op.F32Store: a = (I32[fp2 + code[pc + 1]!]! >>> 0) + code[pc + 3]!; k = fp2 + code[pc + 2]!; if (a + 4 > memLen) throw OOB_MEMORY; dv.setInt32(a, I32[k]!, true); pc += 4; break;
          case Op.I64Store: a = (I32[fp2 + code[pc + 1]!]! >>> 0) + code[pc + 3]!; k = fp2 + code[pc + 2]!; if (a + 8 > memLen) throw OOB_MEMORY; dv.setInt32(a, I32[k]!, true); dv.setInt32(a + 4, I32[k + 1]!, true); pc += 4; break;
          case Op.F64Store: a = (I32[fp2 + code[pc + 1]!]! >>> 0) + code[pc + 3]!; k = fp2 + code[pc + 2]!; if (a + 8 > memLen) throw OOB_MEMORY; dv.setFloat64(a, F64[k >> 1]!, true); pc += 4; break;
          case Op.I32Store8:
          case Op.I64Store8: a = (I32[fp2 + code[pc + 1]!]! >>> 0) + code[pc + 3]!; k = fp2 + code[pc + 2]!; if (a >= memLen) throw OOB_MEMORY; u8[a] = I32[k]!; pc += 4; break;
          case Op.I32Store16:
          case Op.I64Store16: a = (I32[fp2 + code[pc + 1]!]! >>> 0) + code[pc + 3]!; k = fp2 + code[pc + 2]!; if (a + 2 > memLen) throw OOB_MEMORY; dv.setInt16(a, I32[k]!, true); pc += 4; break;
          case Op.I64Store32: a = (I32[fp2 + code[pc + 1]!]! >>> 0) + code[pc + 3]!; k = fp2 + code[pc + 2]!; if (a + 4 > memLen) throw OOB_MEMORY; dv.setInt32(a, I32[k]!, true); pc += 4; break;
          case Op.MemorySize: I32[fp2 + code[pc + 1]!] = memLen / 65536; pc += 2; break;
          case Op.MemoryGrow: k = fp2 + code[pc + 1]!; I32[k] = mem!.grow(I32[k]! >>> 0); dv = mem!.dv; u8 = mem!.u8; memLen = u8.length; memGen = mem!.generation; pc += 2; break;
          case Op.MemoryInit: T.memoryInit(inst, code[pc + 1]!, fp2 + code[pc + 2]!); pc += 3; break;
          case Op.DataDrop: inst.datas[code[pc + 1]!] = new Uint8Array(0); pc += 2; break;
          case Op.MemoryCopy: T.memoryCopy(inst, fp2 + code[pc + 1]!); pc += 2; break;
          case Op.MemoryFill: T.memoryFill(inst, fp2 + code[pc + 1]!); pc += 2; break;
          // ---- constants `OP d value [hi]` (f32/f64 as bits)
          case Op.I32Const:
          case Op.F32Const: I32[fp2 + code[pc + 1]!] = code[pc + 2]!; pc += 3; break;
          case Op.I64Const:
          case Op.F64Const: k = fp2 + code[pc + 1]!; I32[k] = code[pc + 2]!; I32[k + 1] = code[pc + 3]!; pc += 4; break;
          // ---- i32 (4.4.1): `OP d a [b]`
          case Op.I32Eqz: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = I32[a]! === 0 ? 1 : 0; pc += 3; break;
          case Op.I32Eq: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! === I32[b]! ? 1 : 0; pc += 4; break;
          case Op.I32Ne: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! !== I32[b]! ? 1 : 0; pc += 4; break;
          case Op.I32LtS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! < I32[b]! ? 1 : 0; pc += 4; break;
          case Op.I32LtU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >>> 0 < I32[b]! >>> 0 ? 1 : 0; pc += 4; break;
          case Op.I32GtS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! > I32[b]! ? 1 : 0; pc += 4; break;
          case Op.I32GtU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >>> 0 > I32[b]! >>> 0 ? 1 : 0; pc += 4; break;
          case Op.I32LeS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! <= I32[b]! ? 1 : 0; pc += 4; break;
          case Op.I32LeU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >>> 0 <= I32[b]! >>> 0 ? 1 : 0; pc += 4; break;
          case Op.I32GeS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >= I32[b]! ? 1 : 0; pc += 4; break;
          case Op.I32GeU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >>> 0 >= I32[b]! >>> 0 ? 1 : 0; pc += 4; break;
          case Op.I32Clz: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = Math.clz32(I32[a]!); pc += 3; break;
          case Op.I32Ctz: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.ctz32(I32[a]!); pc += 3; break;
          case Op.I32Popcnt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.popcnt32(I32[a]!); pc += 3; break;
          case Op.I32Add: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! + I32[b]!; pc += 4; break;
          case Op.I32Sub: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! - I32[b]!; pc += 4; break;
          case Op.I32Mul: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = Math.imul(I32[a]!, I32[b]!); pc += 4; break;
          case Op.I32And: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! & I32[b]!; pc += 4; break;
          case Op.I32Or: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! | I32[b]!; pc += 4; break;
          case Op.I32Xor: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! ^ I32[b]!; pc += 4; break;
          case Op.I32Shl: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! << I32[b]!; pc += 4; break;
          case Op.I32ShrS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >> I32[b]!; pc += 4; break;
          case Op.I32ShrU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! >>> I32[b]!; pc += 4; break;
          case Op.I32DivS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; c = I32[b]!; if (c === 0) throw N.DIV_ZERO; if (c === -1 && I32[a]! === -2147483648) throw N.INT_OVERFLOW; I32[k] = I32[a]! / c; pc += 4; break;
          case Op.I32DivU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; c = I32[b]! >>> 0; if (c === 0) throw N.DIV_ZERO; I32[k] = (I32[a]! >>> 0) / c; pc += 4; break;
          case Op.I32RemS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; c = I32[b]!; if (c === 0) throw N.DIV_ZERO; I32[k] = c === -1 ? 0 : I32[a]! % c; pc += 4; break;
          case Op.I32RemU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; c = I32[b]! >>> 0; if (c === 0) throw N.DIV_ZERO; I32[k] = (I32[a]! >>> 0) % c; pc += 4; break;
          case Op.I32Rotl: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; a = I32[a]!; c = I32[b]! & 31; I32[k] = (a << c) | (a >>> (32 - c)); pc += 4; break;
          case Op.I32Rotr: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; a = I32[a]!; c = I32[b]! & 31; I32[k] = (a >>> c) | (a << (32 - c)); pc += 4; break;
          // ---- i64 as (lo, hi) halves (numeric.ts)
          case Op.I64Eqz: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = (I32[a]! | I32[a + 1]!) === 0 ? 1 : 0; pc += 3; break;
          case Op.I64Eq: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! === I32[b]! && I32[a + 1]! === I32[b + 1]! ? 1 : 0; pc += 4; break;
          case Op.I64Ne: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! !== I32[b]! || I32[a + 1]! !== I32[b + 1]! ? 1 : 0; pc += 4; break;
          case Op.I64LtS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.lts64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!) ? 1 : 0; pc += 4; break;
          case Op.I64LtU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.ltu64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!) ? 1 : 0; pc += 4; break;
          case Op.I64GtS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.lts64(I32[b]!, I32[b + 1]!, I32[a]!, I32[a + 1]!) ? 1 : 0; pc += 4; break;
          case Op.I64GtU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.ltu64(I32[b]!, I32[b + 1]!, I32[a]!, I32[a + 1]!) ? 1 : 0; pc += 4; break;
          case Op.I64LeS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.lts64(I32[b]!, I32[b + 1]!, I32[a]!, I32[a + 1]!) ? 0 : 1; pc += 4; break;
          case Op.I64LeU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.ltu64(I32[b]!, I32[b + 1]!, I32[a]!, I32[a + 1]!) ? 0 : 1; pc += 4; break;
          case Op.I64GeS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.lts64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!) ? 0 : 1; pc += 4; break;
          case Op.I64GeU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.ltu64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!) ? 0 : 1; pc += 4; break;
          case Op.I64Clz: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.clz64(I32[a]!, I32[a + 1]!); I32[k + 1] = 0; pc += 3; break;
          case Op.I64Ctz: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.ctz64(I32[a]!, I32[a + 1]!); I32[k + 1] = 0; pc += 3; break;
          case Op.I64Popcnt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.popcnt32(I32[a]!) + N.popcnt32(I32[a + 1]!); I32[k + 1] = 0; pc += 3; break;
          case Op.I64Add: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.add64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64Sub: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.sub64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64Mul: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.mul64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64DivS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.divs64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!, false); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64DivU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.divu64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!, false); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64RemS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.divs64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!, true); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64RemU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.divu64(I32[a]!, I32[a + 1]!, I32[b]!, I32[b + 1]!, true); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64And: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! & I32[b]!; I32[k + 1] = I32[a + 1]! & I32[b + 1]!; pc += 4; break;
          case Op.I64Or: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! | I32[b]!; I32[k + 1] = I32[a + 1]! | I32[b + 1]!; pc += 4; break;
          case Op.I64Xor: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]! ^ I32[b]!; I32[k + 1] = I32[a + 1]! ^ I32[b + 1]!; pc += 4; break;
          case Op.I64Shl: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.shl64(I32[a]!, I32[a + 1]!, I32[b]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64ShrS: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.shrs64(I32[a]!, I32[a + 1]!, I32[b]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64ShrU: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.shru64(I32[a]!, I32[a + 1]!, I32[b]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64Rotl: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.rotl64(I32[a]!, I32[a + 1]!, I32[b]!); I32[k + 1] = N.hi64; pc += 4; break;
          case Op.I64Rotr: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = N.rotr64(I32[a]!, I32[a + 1]!, I32[b]!); I32[k + 1] = N.hi64; pc += 4; break;
          // ---- f32 (arithmetic through the Float32Array view; sign operations on the bits)
          case Op.F32Eq: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F32[a]! === F32[b]! ? 1 : 0; pc += 4; break;
          case Op.F32Ne: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F32[a]! !== F32[b]! ? 1 : 0; pc += 4; break;
          case Op.F32Lt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F32[a]! < F32[b]! ? 1 : 0; pc += 4; break;
          case Op.F32Gt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F32[a]! > F32[b]! ? 1 : 0; pc += 4; break;
          case Op.F32Le: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F32[a]! <= F32[b]! ? 1 : 0; pc += 4; break;
          case Op.F32Ge: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F32[a]! >= F32[b]! ? 1 : 0; pc += 4; break;
          case Op.F32Abs: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = I32[a]! & 0x7fffffff; pc += 3; break;
          case Op.F32Neg: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = I32[a]! ^ -0x80000000; pc += 3; break;
          case Op.F32Copysign: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = (I32[a]! & 0x7fffffff) | (I32[b]! & -0x80000000); pc += 4; break;
          case Op.F32Ceil: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = Math.ceil(F32[a]!); pc += 3; break;
          case Op.F32Floor: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = Math.floor(F32[a]!); pc += 3; break;
          case Op.F32Trunc: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = Math.trunc(F32[a]!); pc += 3; break;
          case Op.F32Nearest: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = N.nearest(F32[a]!); pc += 3; break;
          case Op.F32Sqrt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = Math.sqrt(F32[a]!); pc += 3; break;
          case Op.F32Add: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F32[k] = F32[a]! + F32[b]!; pc += 4; break;
          case Op.F32Sub: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F32[k] = F32[a]! - F32[b]!; pc += 4; break;
          case Op.F32Mul: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F32[k] = F32[a]! * F32[b]!; pc += 4; break;
          case Op.F32Div: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F32[k] = F32[a]! / F32[b]!; pc += 4; break;
          case Op.F32Min: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F32[k] = Math.min(F32[a]!, F32[b]!); pc += 4; break;
          case Op.F32Max: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F32[k] = Math.max(F32[a]!, F32[b]!); pc += 4; break;
          // ---- f64 (sign operations on the high word)
          case Op.F64Eq: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F64[a >> 1]! === F64[b >> 1]! ? 1 : 0; pc += 4; break;
          case Op.F64Ne: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F64[a >> 1]! !== F64[b >> 1]! ? 1 : 0; pc += 4; break;
          case Op.F64Lt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F64[a >> 1]! < F64[b >> 1]! ? 1 : 0; pc += 4; break;
          case Op.F64Gt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F64[a >> 1]! > F64[b >> 1]! ? 1 : 0; pc += 4; break;
          case Op.F64Le: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F64[a >> 1]! <= F64[b >> 1]! ? 1 : 0; pc += 4; break;
          case Op.F64Ge: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = F64[a >> 1]! >= F64[b >> 1]! ? 1 : 0; pc += 4; break;
          case Op.F64Abs: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = I32[a]!; I32[k + 1] = I32[a + 1]! & 0x7fffffff; pc += 3; break;
          case Op.F64Neg: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = I32[a]!; I32[k + 1] = I32[a + 1]! ^ -0x80000000; pc += 3; break;
          case Op.F64Copysign: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; I32[k] = I32[a]!; I32[k + 1] = (I32[a + 1]! & 0x7fffffff) | (I32[b + 1]! & -0x80000000); pc += 4; break;
          case Op.F64Ceil: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = N.quiet(Math.ceil(F64[a >> 1]!)); pc += 3; break;
          case Op.F64Floor: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = N.quiet(Math.floor(F64[a >> 1]!)); pc += 3; break;
          case Op.F64Trunc: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = N.quiet(Math.trunc(F64[a >> 1]!)); pc += 3; break;
          case Op.F64Nearest: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = N.quiet(N.nearest(F64[a >> 1]!)); pc += 3; break;
          case Op.F64Sqrt: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = Math.sqrt(F64[a >> 1]!); pc += 3; break;
          case Op.F64Add: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F64[k >> 1] = F64[a >> 1]! + F64[b >> 1]!; pc += 4; break;
          case Op.F64Sub: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F64[k >> 1] = F64[a >> 1]! - F64[b >> 1]!; pc += 4; break;
          case Op.F64Mul: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F64[k >> 1] = F64[a >> 1]! * F64[b >> 1]!; pc += 4; break;
          case Op.F64Div: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F64[k >> 1] = F64[a >> 1]! / F64[b >> 1]!; pc += 4; break;
          case Op.F64Min: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F64[k >> 1] = Math.min(F64[a >> 1]!, F64[b >> 1]!); pc += 4; break;
          case Op.F64Max: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; b = fp2 + code[pc + 3]!; F64[k >> 1] = Math.max(F64[a >> 1]!, F64[b >> 1]!); pc += 4; break;
          // ---- conversions (4.4.1, numeric.ts)
          case Op.I32TruncF32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncS32(F32[a]!); pc += 3; break;
          case Op.I32TruncF32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncU32(F32[a]!); pc += 3; break;
          case Op.I32TruncF64S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncS32(F64[a >> 1]!); pc += 3; break;
          case Op.I32TruncF64U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncU32(F64[a >> 1]!); pc += 3; break;
          case Op.I64ExtendI32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = c = I32[a]!; I32[k + 1] = c >> 31; pc += 3; break;
          case Op.I64ExtendI32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = I32[a]!; I32[k + 1] = 0; pc += 3; break;
          case Op.I64TruncF32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncS64(F32[a]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.I64TruncF32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncU64(F32[a]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.I64TruncF64S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncS64(F64[a >> 1]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.I64TruncF64U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncU64(F64[a >> 1]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.F32ConvertI32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = I32[a]!; pc += 3; break;
          case Op.F32ConvertI32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = I32[a]! >>> 0; pc += 3; break;
          case Op.F32ConvertI64S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = N.convertToF32(I32[a]!, I32[a + 1]!, true); pc += 3; break;
          case Op.F32ConvertI64U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = N.convertToF32(I32[a]!, I32[a + 1]!, false); pc += 3; break;
          case Op.F32DemoteF64: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F32[k] = F64[a >> 1]!; pc += 3; break;
          case Op.F64ConvertI32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = I32[a]!; pc += 3; break;
          case Op.F64ConvertI32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = I32[a]! >>> 0; pc += 3; break;
          case Op.F64ConvertI64S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = N.convertS64(I32[a]!, I32[a + 1]!); pc += 3; break;
          case Op.F64ConvertI64U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = N.convertU64(I32[a]!, I32[a + 1]!); pc += 3; break;
          case Op.F64PromoteF32: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; F64[k >> 1] = F32[a]!; pc += 3; break;
          case Op.I32Extend8S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = (I32[a]! << 24) >> 24; pc += 3; break;
          case Op.I32Extend16S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = (I32[a]! << 16) >> 16; pc += 3; break;
          case Op.I64Extend8S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = c = (I32[a]! << 24) >> 24; I32[k + 1] = c >> 31; pc += 3; break;
          case Op.I64Extend16S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = c = (I32[a]! << 16) >> 16; I32[k + 1] = c >> 31; pc += 3; break;
          case Op.I64Extend32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = c = I32[a]!; I32[k + 1] = c >> 31; pc += 3; break;
          case Op.I32TruncSatF32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatS32(F32[a]!); pc += 3; break;
          case Op.I32TruncSatF32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatU32(F32[a]!); pc += 3; break;
          case Op.I32TruncSatF64S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatS32(F64[a >> 1]!); pc += 3; break;
          case Op.I32TruncSatF64U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatU32(F64[a >> 1]!); pc += 3; break;
          case Op.I64TruncSatF32S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatS64(F32[a]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.I64TruncSatF32U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatU64(F32[a]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.I64TruncSatF64S: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatS64(F64[a >> 1]!); I32[k + 1] = N.hi64; pc += 3; break;
          case Op.I64TruncSatF64U: k = fp2 + code[pc + 1]!; a = fp2 + code[pc + 2]!; I32[k] = N.truncSatU64(F64[a >> 1]!); I32[k + 1] = N.hi64; pc += 3; break;
          default:
            throw new Trap(`internal: unknown flat op ${code[pc]} at pc ${pc}`);
        }
        continue;
      }
      // A taken backward branch (a loop's back-edge) is where a pause request or a way back to fused code is looked for.
      if (t < pc && (P[0] !== 0 || !ff.fused)) slow = true;
      pc = t;
    }
  } catch (e) {
    if (typeof e === 'string' && ff.fused && hooks.onStop !== null) {
      // Nothing of the trapping group has run: rerun it in exact code, which traps at the very instruction.
      const x = toExact(ff, inst, pc, fp2 >> 1);
      ff = x.ff; code = ff.code; pc = x.pc;
      continue;
    }
    const err = asTrap(e, ff, pc, inst.module.names.funcs.get(ff.funcIndex));
    if (err instanceof Trap && hooks.onStop !== null && !trapsSeen.has(err)) {
      // Stop at the faulting instruction before the stack unwinds, with every frame inspectable.
      trapsSeen.add(err);
      live.ff = ff; live.inst = inst; live.pc = pc; live.fp = fp2 >> 1;
      hooks.onStop('trap', live, err);
    }
    throw err;
  }
}

/**
 * A trap raised at the frame `ff` (of `inst`, frame pointer `fp`, at flat
 * `pc`) without executing anything: the debugger stops there as at a trap
 * the loop raised (once per trap), then the trap is thrown. For traps found
 * outside the loop, e.g. a JavaScript stack overflow in compiled code, whose
 * frames deopt paused at their calls (runtime/api/deopt-entry.ts).
 */
export function raiseAt(ff: FlatFunc, inst: Instance, fp: number, pc: number, err: Trap): never {
  if (hooks.onStop !== null && !trapsSeen.has(err)) {
    trapsSeen.add(err);
    live.ff = ff; live.inst = inst; live.pc = pc; live.fp = fp;
    hooks.onStop('trap', live, err);
  }
  throw err;
}

/** Copies n slots (bits and references) from doubled index `s` to `d`; d <= s, so ascending order is safe. */
function copySlots(I32: Int32Array, R: Ref[], s: number, d: number, n: number): void {
  for (let i = 0; i < 2 * n; i++) I32[d + i] = I32[s + i]!;
  for (let i = 0; i < n; i++) R[(d >> 1) + i] = R[(s >> 1) + i];
}

/** Turns what the loop threw into a Trap that says where (unless it already is a WasmError or host error). */
function asTrap(e: unknown, ff: FlatFunc, pc: number, name: string | undefined): unknown {
  if (typeof e === 'string') return new Trap(e, offsetAt(ff, pc), ff.funcIndex, name);
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new Exhaustion('call stack exhausted', offsetAt(ff, pc), ff.funcIndex, name);
  return e;
}

/**
 * The first offset whose breakpoint lands on the fused instruction at `pc`:
 * just past the previous instruction's end (debug-hooks.ts `groupPc` puts a
 * breakpoint on the first instruction whose end is at or after it).
 */
function groupFrom(ff: FlatFunc, pc: number): number {
  for (let p = pc - 1; p >= 0; p--) if (ff.ends[p]! >= 0) return ff.ends[p]! + 1;
  return 0;
}

/** The code offset of the Wasm instruction doing the work of the flat instruction containing `pc`. */
export function offsetAt(ff: FlatFunc, pc: number): number | undefined {
  for (let p = Math.min(pc, ff.sites.length - 1); p >= 0; p--) if (ff.sites[p]! >= 0) return ff.sites[p];
  return undefined;
}
