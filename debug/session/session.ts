/**
 * The debugger core (DAP vocabulary: stop reasons, frames, scopes,
 * variables by handle, breakpoints with ids). Synchronous and free of I/O:
 * the target calls `onStop` inside the running program; when the session
 * decides to stop it calls the front end's `stopped` event, which inspects
 * state and picks how to resume (`continue`, `next`, ...) before returning.
 * A CLI reads its input right there; a DAP or GDB-remote server running the
 * program in a worker blocks there on Atomics.wait (DESIGN.md: a stopped
 * program blocks its thread).
 *
 * Invariant: while nothing is active (no enabled breakpoint at the pc, no
 * step, no watchpoint) the target never calls in; frames and values are read
 * only while stopped and are rebuilt after anything writes.
 */
import type { Module } from '../../interpreter/index.js';
import type { Dwarf, TypeNode } from '../dwarf/index.js';
import { evaluate } from '../expr/eval.js';
import { resolveLocation, type Breakpoint, type WatchKind } from './breakpoints.js';
import { catchHits, resolveSyscalls } from './catch.js';
import { BoundBreakpoints } from './bound.js';
import { Conditions } from './conditions.js';
import { CodeMap } from './code-map.js';
import { formatValue, type Format } from './format.js';
import { buildFrames, readMemory, type SourceFrame } from './frames.js';
import { LineIndex } from './lines.js';
import { frameScope } from './scope.js';
import { Stepper, type StepKind, type StepState } from './stepping.js';
import { isPlainPath, levelAtLeast, LevelError, requireLevel, type Level } from './level.js';
import type { DebugTarget, TargetStopReason } from './target.js';
import { EvalError, fromScalar, sizeOf, type CValue } from './values.js';
import { checkWatches } from './watch.js';
import { cPrintf } from './printf.js';
import { VariableHandles, type DapScope, type DapVariable } from './variables.js';

export type StopReasonName = 'breakpoint' | 'step' | 'exception' | 'data breakpoint' | 'finish' | 'pause';

export interface StoppedEvent {
  readonly reason: StopReasonName;
  readonly hitBreakpointIds: readonly number[];
  /** For exceptions (traps): the trap message. */
  readonly text?: string;
  /** For catchpoints (reason 'breakpoint'): the WASI function that returned. */
  readonly syscall?: string;
  /** For data breakpoints: what changed or was read. */
  readonly watch?: { readonly id: number; readonly kind: WatchKind; readonly spec: string; readonly old?: string; readonly value: string };
  /** For finish: the function left and its return value (formatted). */
  readonly finished?: { readonly function: string; readonly value?: string };
}

export interface SessionEvents {
  stopped(e: StoppedEvent): void;
  /** Program-independent output (logpoints, warnings). */
  output(text: string): void;
}

export interface SessionOptions {
  /** Whether a source file can be shown: `step` does not enter functions without source. Default: all can. */
  readonly hasSource?: (file: string | undefined) => boolean;
  /** Stop at an uncaught trap (default true; `catch trap off`). */
  catchTraps?: boolean;
  /** What the session may do (level.ts; default `modify`, everything). */
  readonly level?: Level;
}

type Resume = { kind: 'continue' } | { kind: StepKind; out?: { pc: number; depth: number; outOf: number | undefined; finishing: { fn: string; type: TypeNode | undefined } } };

export class DebugSession {
  readonly code: CodeMap;
  readonly lines: LineIndex;
  readonly stepper: Stepper;
  catchTraps: boolean;
  private target: DebugTarget | null = null;
  private readonly bps = new Map<number, Breakpoint>();
  private nextId = 1;
  private step: StepState | null = null;
  /** Enabled catchpoints (rebuilt after any change), read at every WASI return. */
  private catchers: Breakpoint[] | null = null;
  /** A caught syscall returned: the stop before the caller's next instruction reports it. */
  private caught: { name: string; ids: number[] } | undefined;
  private resume: Resume | null = null;
  private frameCache: SourceFrame[] | null = null;
  private stopped = false;
  /** Inside the target's stop callback: state is readable even when the stop is not reported. */
  private inStop = false;
  selected = 0;
  private readonly handles = new VariableHandles((v, f) => this.format(v, f));
  private readonly conditions = new Conditions(() => this.target!, (c) => truthyValue(this.evaluate(c, 0)));
  /** Where the breakpoints are set in the target. */
  private readonly bound = new BoundBreakpoints(this.bps, this.conditions, (bp) => this.printf(bp.log!.format, bp.log!.args), (t) => this.events.output(t));

  constructor(readonly module: Module, readonly dwarf: Dwarf, private readonly events: SessionEvents, options: SessionOptions = {}) {
    this.code = new CodeMap(module);
    this.lines = new LineIndex(dwarf);
    this.stepper = new Stepper(dwarf, this.lines, this.code, options.hasSource ?? (() => true));
    this.catchTraps = options.catchTraps ?? true;
    this.level = options.level ?? 'modify';
  }

  readonly level: Level;

  get isStopped(): boolean { return this.stopped; }
  get isRunning(): boolean { return this.target !== null; }

  // ---- target lifecycle ----

  /** Attaches a running target: every breakpoint binds now. */
  attach(target: DebugTarget): void {
    this.target = target;
    target.onStop = (reason, trap) => this.onStop(reason, trap);
    target.mayStop = (from, to) => this.bound.mayStopBetween(from, to);
    this.stepper.reset();
    this.stepper.snap = (f, o) => target.stopOffset(f, o);
    for (const bp of this.bps.values()) this.bound.bind(target, bp);
    this.updateStepping();
  }

  detach(): void {
    const t = this.target;
    if (!t) return;
    this.bound.clear(t);
    t.setStepping(false, 0);
    t.onStop = null;
    t.mayStop = null;
    this.target = null;
    this.step = null;
    this.caught = undefined;
    this.frameCache = null;
    for (const bp of [...this.bps.values()]) if (bp.watch) this.bps.delete(bp.id); // watched memory belonged to that run
  }

  // ---- breakpoints ----

  breakpoints(): Breakpoint[] { return [...this.bps.values()]; }
  breakpoint(id: number): Breakpoint | undefined { return this.bps.get(id); }

  /** A breakpoint at FILE:LINE, FUNCTION or *OFFSET; a string is why it could not be set. */
  addBreakpoint(spec: string, opts: { temporary?: boolean; condition?: string; log?: { format: string; args: string[] } } = {}): Breakpoint | string {
    const refused = this.refuse('breakpoints', 'control') ?? (opts.condition !== undefined || opts.log !== undefined ? this.refuse('conditions and logpoints', 'eval') : undefined);
    if (refused !== undefined) return refused;
    const r = resolveLocation(spec, this.dwarf, this.lines, this.code);
    if (r.error !== undefined) return r.error;
    const bp: Breakpoint = {
      id: this.nextId++, kind: 'breakpoint', spec, locations: r.locations, message: r.message, enabled: true,
      temporary: opts.temporary ?? false, condition: opts.condition, ignoreCount: 0, hitCount: 0, log: opts.log, watch: undefined,
    };
    this.bps.set(bp.id, bp);
    if (this.target) this.bound.bind(this.target, bp);
    return bp;
  }

  /** A watchpoint on the memory under `expr` (evaluated now, in the selected frame). */
  addWatchpoint(expr: string, kind: WatchKind): Breakpoint | string {
    const refused = this.refuse('watchpoints', 'eval');
    if (refused !== undefined) return refused;
    if (!this.target || !this.stopped) return 'the program is not being run (start it and stop it first)';
    let v: CValue;
    try { v = this.evaluate(expr); } catch (e) { return (e as Error).message; }
    if (v.lvalue?.kind !== 'memory') return `cannot watch ${expr}: it is not in linear memory`;
    const size = sizeOf(v.type);
    const bp: Breakpoint = {
      id: this.nextId++, kind, spec: expr, locations: [], message: undefined, enabled: true, temporary: false, condition: undefined,
      ignoreCount: 0, hitCount: 0, log: undefined, watch: { address: v.lvalue.address, size, old: v.bytes.slice(), type: v.type },
    };
    this.bps.set(bp.id, bp);
    this.updateStepping();
    return bp;
  }

  /** A catchpoint on the return of the WASI functions `names` (none: any); a string is why it could not be set. */
  addCatchpoint(names: readonly string[]): Breakpoint | string {
    const refused = this.refuse('catchpoints', 'control');
    if (refused !== undefined) return refused;
    const syscalls = resolveSyscalls(this.module, names);
    if (typeof syscalls === 'string') return syscalls;
    const bp: Breakpoint = {
      id: this.nextId++, kind: 'catchpoint', spec: syscalls.join(' '), locations: [], message: undefined, enabled: true, temporary: false,
      condition: undefined, ignoreCount: 0, hitCount: 0, log: undefined, watch: undefined, syscalls,
    };
    this.bps.set(bp.id, bp);
    this.catchers = null;
    return bp;
  }

  /**
   * The host tells of every normal return of a WASI import (`name`), from
   * inside the call. Without an enabled catchpoint this is all it costs; a
   * catchpoint on `name` asks the target to stop before the caller goes on.
   */
  syscallReturned(name: string): void {
    const list = (this.catchers ??= [...this.bps.values()].filter((b) => b.kind === 'catchpoint' && b.enabled));
    if (list.length === 0 || this.target === null) return;
    const ids: number[] = [];
    for (const b of list) if (b.syscalls!.length === 0 || b.syscalls!.includes(name)) ids.push(b.id);
    if (ids.length === 0) return;
    this.caught = { name, ids };
    this.target.stopAtNextInstruction();
  }

  deleteBreakpoint(id: number): boolean {
    const bp = this.bps.get(id);
    if (!bp) return false;
    this.bps.delete(id);
    this.catchers = null;
    this.bound.unbind(this.target, bp);
    this.updateStepping();
    return true;
  }

  setEnabled(id: number, enabled: boolean): boolean {
    const bp = this.bps.get(id);
    if (!bp) return false;
    bp.enabled = enabled;
    this.catchers = null;
    if (bp.watch && this.target && this.stopped) bp.watch.old = this.watchedBytes(bp);
    this.updateStepping();
    return true;
  }

  // ---- stops ----

  private onStop(reason: TargetStopReason, trap?: Error): void {
    this.inStop = true;
    try {
      this.decide(reason, trap);
    } finally {
      this.inStop = false;
    }
  }

  /** Whether this stop is the user's (reported) or passes (condition false, logpoint, step not done). */
  private decide(stop: TargetStopReason, trap?: Error): void {
    let reason = stop;
    const t = this.target!;
    this.frameCache = null;
    this.selected = 0;
    if (reason === 'trap') {
      if (!this.catchTraps) return;
      this.report({ reason: 'exception', hitBreakpointIds: [], text: trap?.message ?? 'trap' });
      return;
    }
    if (reason === 'pause') {
      this.report({ reason: 'pause', hitBreakpointIds: [] });
      return;
    }
    const caught = this.caught;
    if (caught !== undefined) {
      this.caught = undefined;
      const hits = catchHits(caught.ids.map((id) => this.bps.get(id)), (c) => this.conditions.holds(c), (t) => this.events.output(t));
      if (hits.length > 0) { this.report({ reason: 'breakpoint', hitBreakpointIds: hits, syscall: caught.name }); return; }
      // Not reported: stepping back to what the session needs, and the checks the target would have stopped for anyway.
      this.updateStepping();
      const top = t.top();
      if (this.bound.has(top.pc)) reason = 'breakpoint';
      else if (!this.watching() && !(this.step && top.depth <= this.stepper.maxDepth(this.step))) return;
    }
    if (reason === 'breakpoint') {
      const hits = this.bound.hits(t.topPc());
      if (hits.length > 0) {
        this.report({ reason: 'breakpoint', hitBreakpointIds: hits.map((b) => b.id) });
        for (const b of hits) if (b.temporary) this.deleteBreakpoint(b.id);
        return;
      }
    }
    const top = t.top();
    const watches = [...this.bps.values()].filter((b) => b.watch && b.enabled);
    if (watches.length > 0) {
      const hit = checkWatches(watches, t, this.code, top, (v) => this.format(v, 'natural'));
      if (hit) {
        this.report({ reason: 'data breakpoint', hitBreakpointIds: [hit.id], watch: hit });
        return;
      }
    }
    const s = this.step;
    if (s) {
      const want = this.stepper.wants(s, top.funcIndex, top.pc, top.depth);
      if (want === 'abandon') { this.step = null; this.updateStepping(); return; }
      if (want) {
        if (s.kind === 'out' && s.outOf === undefined) { this.report({ reason: 'finish', hitBreakpointIds: [], finished: this.returnValue(s) }); return; }
        this.report({ reason: 'step', hitBreakpointIds: [] });
        return;
      }
      this.updateStepping();
    }
  }

  private finishing: { fn: string; type: TypeNode | undefined } | undefined;

  private returnValue(_s: StepState): { function: string; value?: string } {
    const f = this.finishing;
    const name = f?.fn ?? '??';
    if (!f?.type || f.type.kind === 'void') return { function: name };
    const stack = this.target!.top().stack();
    const top = stack[stack.length - 1];
    if (!top || top.value === undefined) return { function: name };
    const v = fromScalar(f.type, typeof top.value === 'bigint' ? top.value : BigInt.asIntN(64, BigInt(Math.trunc(top.value as number))));
    return { function: name, value: this.format(v, 'natural') };
  }

  private report(e: StoppedEvent): void {
    this.step = null;
    this.caught = undefined;
    this.resume = null;
    this.stopped = true;
    this.finishing = undefined;
    this.handles.reset();
    try {
      this.events.stopped(e);
    } finally {
      this.stopped = false;
      this.frameCache = null;
    }
    this.applyResume();
  }

  private applyResume(): void {
    const r = this.resume ?? { kind: 'continue' };
    this.resume = null;
    for (const bp of this.bps.values()) if (bp.watch && bp.enabled) bp.watch.old = this.watchedBytes(bp);
    if (r.kind === 'continue') { this.step = null; this.updateStepping(); return; }
    const top = this.target!.top();
    if (r.kind === 'out' && r.out) {
      this.finishing = r.out.finishing;
      this.step = this.stepper.start('out', r.out.pc, r.out.depth, r.out.outOf);
    } else {
      this.step = this.stepper.start(r.kind, top.pc, top.depth);
    }
    this.updateStepping();
  }

  private updateStepping(): void {
    const t = this.target;
    if (!t) return;
    if (this.watching()) t.setStepping(true, Number.MAX_SAFE_INTEGER);
    else if (this.step) t.setStepping(true, this.stepper.maxDepth(this.step));
    else t.setStepping(false, 0);
  }

  private watching(): boolean {
    return [...this.bps.values()].some((b) => b.watch && b.enabled);
  }

  private watchedBytes(bp: Breakpoint): Uint8Array {
    try { return readMemory(this.target!, bp.watch!.address, bp.watch!.size); } catch { return new Uint8Array(0); }
  }

  // ---- resuming (called by the front end while stopped) ----

  continue(): void { this.resume = { kind: 'continue' }; }
  next(): void { requireLevel(this.level, 'control', 'stepping'); this.resume = { kind: 'over' }; }
  stepIn(): void { requireLevel(this.level, 'control', 'stepping'); this.resume = { kind: 'into' }; }
  /** Finish the selected frame (an inlined frame finishes when its code is left). */
  stepOut(): void {
    requireLevel(this.level, 'control', 'stepping');
    const f = this.frames()[this.selected];
    if (!f) return;
    const finishing = { fn: f.name, type: f.fn ? this.dwarf.typeOf(f.fn.offset) : undefined };
    this.resume = { kind: 'out', out: { pc: f.wasm.pc, depth: f.wasm.depth, outOf: f.inlined ? f.fn!.offset : undefined, finishing } };
  }
  until(): void { requireLevel(this.level, 'control', 'stepping'); this.resume = { kind: 'until' }; }
  stepInstruction(over: boolean): void { requireLevel(this.level, 'control', 'stepping'); this.resume = { kind: over ? 'nexti' : 'stepi' }; }

  /** The refusal text when the session's level is below `needs`, else undefined. */
  private refuse(what: string, needs: Level): string | undefined {
    return levelAtLeast(this.level, needs) ? undefined : new LevelError(what, needs, this.level).message;
  }

  // ---- state while stopped ----

  /** Source frames, innermost first, inlined calls expanded. */
  frames(): SourceFrame[] {
    if (!this.target || !this.stopped) return [];
    return (this.frameCache ??= buildFrames(this.dwarf, this.code, this.target.frames()));
  }

  selectedFrame(): SourceFrame | undefined { return this.frames()[this.selected]; }

  /** Evaluates an expression in a frame (default: the selected one). */
  evaluate(expr: string, frameIndex = this.selected): CValue {
    if (/(^|[^=!<>])=($|[^=])|\+\+|--/.test(expr)) requireLevel(this.level, 'modify', 'writing variables and memory');
    else if (!isPlainPath(expr)) requireLevel(this.level, 'eval', 'expressions beyond a variable path');
    const t = this.target;
    if (!t || !(this.stopped || this.inStop)) throw new EvalError('the program is not stopped');
    // The innermost frame alone is cheap to describe (conditions are evaluated at every hit).
    const frame = (): SourceFrame | undefined => frameIndex === 0 && this.frameCache === null
      ? buildFrames(this.dwarf, this.code, [t.top()])[0]
      : this.frames()[frameIndex];
    const scope = frameScope(this, t, frame, () => { this.frameCache = null; }, frameIndex === 0 ? t.top() : undefined);
    if (!levelAtLeast(this.level, 'modify')) scope.write = () => { throw new LevelError('writing variables and memory', 'modify', this.level); };
    return evaluate(expr, scope);
  }

  /** DAP `scopes` for a frame (Locals, Arguments, Globals, Registers). */
  scopes(frameIndex: number): DapScope[] {
    const f = this.frames()[frameIndex];
    return f && this.target ? this.handles.scopes(this.dwarf, this.target, f) : [];
  }

  /** DAP `variables`: the children behind a handle from `scopes` or a previous `variables`. */
  variables(variablesReference: number): DapVariable[] {
    return this.stopped ? this.handles.variables(variablesReference) : [];
  }

  /** A value as a DAP variable, with a handle for its children valid during this stop (DAP `evaluate`). */
  variableOf(name: string, v: CValue): DapVariable {
    if (!this.target) throw new EvalError('the program is not being run');
    return this.handles.variable(name, v, this.target);
  }

  format(v: CValue, fmt: Format): string {
    const t = this.target;
    return formatValue(v, fmt, t ? (a, n) => readMemory(t, a, n) : undefined);
  }

  readMemory(address: number, size: number): Uint8Array {
    if (!this.target) throw new EvalError('the program is not being run');
    return readMemory(this.target, address, size);
  }

  targetOrNull(): DebugTarget | null { return this.target; }

  /** A dprintf: C printf formatting of `args` evaluated in the innermost frame. */
  printf(format: string, args: readonly string[]): string {
    return cPrintf(format, args, (src) => this.evaluate(src, 0), (v, fmt) => this.format(v, fmt));
  }
}

function truthyValue(v: CValue): boolean {
  return v.bytes.some((b) => b !== 0);
}
