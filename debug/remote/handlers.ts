/**
 * DAP requests answered from a DebugSession, on the thread that runs the
 * program: breakpoints (per source file, per function, per code offset, each
 * kind replacing its previous set as DAP says), stack traces, scopes,
 * variables, expressions and memory. Resuming requests (continue, next, ...)
 * are the server's (server.ts): they end a stop.
 *
 * Invariant: a handler either returns a JSON body or throws an Error whose
 * message is the failed response's message; frame ids are source-frame
 * indexes, valid during the stop that produced them.
 */
import { typeName } from '../dwarf/index.js';
import type { Breakpoint } from '../session/breakpoints.js';
import type { DebugSession } from '../session/session.js';
import type { ArgsOf, BodyOf, Command, DapBreakpoint, DapStackFrame } from './protocol.js';

type Handler<C extends Command> = (args: ArgsOf<C>) => BodyOf<C>;

/** Non-resuming requests (what may run while stopped, and those that may run while the program runs). */
export type InspectCommand = 'setBreakpoints' | 'setFunctionBreakpoints' | 'setInstructionBreakpoints' | 'threads' | 'stackTrace' | 'scopes' | 'variables' | 'evaluate' | 'readMemory';

export const THREAD_ID = 1;

export class RequestHandlers {
  /** Ids of the breakpoints each set*Breakpoints request made last, by source path / 'function' / 'instruction'. */
  private readonly sets = new Map<string, number[]>();

  constructor(private readonly session: DebugSession) {}

  handler<C extends InspectCommand>(command: C): Handler<C> {
    return (this.table as { [K in InspectCommand]: Handler<K> })[command];
  }

  private readonly table: { [K in InspectCommand]: Handler<K> } = {
    setBreakpoints: (a) => ({
      breakpoints: this.replace(`source:${a.source.path}`, a.breakpoints.map((b) => ({
        spec: `${a.source.path}:${b.line}`, condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage,
      }))),
    }),
    setFunctionBreakpoints: (a) => ({ breakpoints: this.replace('function', a.breakpoints.map((b) => ({ spec: b.name, condition: b.condition, hitCondition: b.hitCondition }))) }),
    setInstructionBreakpoints: (a) => ({
      breakpoints: this.replace('instruction', a.breakpoints.map((b) => ({
        spec: `*0x${(parseAddress(b.instructionReference) + (b.offset ?? 0)).toString(16)}`, condition: b.condition, hitCondition: b.hitCondition,
      }))),
    }),
    threads: () => ({ threads: [{ id: THREAD_ID, name: 'main' }] }),
    stackTrace: (a) => {
      const frames = this.stoppedFrames();
      const start = a.startFrame ?? 0;
      const end = a.levels ? start + a.levels : frames.length;
      const stackFrames: DapStackFrame[] = frames.slice(start, end).map((f) => ({
        id: f.index, name: f.name, line: f.line ?? 0, column: f.column ?? 0,
        ...(f.file !== undefined ? { source: { name: basename(f.file), path: f.file } } : {}),
        instructionPointerReference: hex(f.wasm.pc),
        presentationHint: f.inlined ? 'subtle' : 'normal',
      }));
      return { stackFrames, totalFrames: frames.length };
    },
    scopes: (a) => {
      this.frameAt(a.frameId);
      return { scopes: this.session.scopes(a.frameId).map((s) => ({ name: s.name, variablesReference: s.variablesReference, expensive: s.expensive })) };
    },
    variables: (a) => {
      this.stoppedFrames();
      return { variables: this.session.variables(a.variablesReference).map((v) => ({ ...v })) };
    },
    evaluate: (a) => {
      const frame = a.frameId ?? 0;
      this.frameAt(frame);
      const v = this.session.evaluate(a.expression, frame);
      const dv = this.session.variableOf(a.expression, v);
      return {
        result: this.session.format(v, 'natural'), type: typeName(v.type), variablesReference: dv.variablesReference,
        ...(dv.memoryReference !== undefined ? { memoryReference: dv.memoryReference } : {}),
      };
    },
    readMemory: (a) => {
      this.stoppedFrames();
      const address = parseAddress(a.memoryReference) + (a.offset ?? 0);
      const mem = this.session.targetOrNull()?.memory();
      if (!mem) throw new Error('the program has no linear memory');
      const end = Math.min(mem.length, address + Math.max(0, a.count));
      const bytes = address < mem.length ? mem.slice(address, end) : new Uint8Array(0);
      return { address: hex(address), data: base64(bytes), unreadableBytes: a.count - bytes.length };
    },
  };

  /** Deletes the breakpoints `key` made last and sets `specs` instead. */
  private replace(key: string, specs: readonly { spec: string; condition?: string; hitCondition?: string; logMessage?: string }[]): DapBreakpoint[] {
    for (const id of this.sets.get(key) ?? []) this.session.deleteBreakpoint(id);
    const ids: number[] = [];
    const out = specs.map((s): DapBreakpoint => {
      const log = s.logMessage !== undefined ? logFormat(s.logMessage) : undefined;
      const bp = this.session.addBreakpoint(s.spec, { ...(s.condition ? { condition: s.condition } : {}), ...(log ? { log } : {}) });
      if (typeof bp === 'string') return { verified: false, message: bp };
      ids.push(bp.id);
      const hits = s.hitCondition !== undefined ? Number.parseInt(s.hitCondition, 10) : NaN;
      if (Number.isFinite(hits) && hits > 1) bp.ignoreCount = hits - 1;
      return this.describe(bp);
    });
    this.sets.set(key, ids);
    return out;
  }

  private describe(bp: Breakpoint): DapBreakpoint {
    const loc = bp.locations[0];
    const row = loc ? this.session.dwarf.findLineInfo(loc.address) : undefined;
    return {
      id: bp.id, verified: bp.locations.length > 0,
      ...(bp.message !== undefined ? { message: bp.message } : {}),
      ...(row?.line !== undefined ? { line: row.line } : {}),
      ...(row?.file !== undefined ? { source: { name: basename(row.file), path: row.file } } : {}),
      ...(loc ? { instructionReference: hex(loc.address) } : {}),
    };
  }

  private stoppedFrames() {
    if (!this.session.isStopped) throw new Error('the program is not stopped');
    return this.session.frames();
  }

  private frameAt(id: number) {
    const f = this.stoppedFrames()[id];
    if (!f) throw new Error(`no frame with id ${id} (the stack has ${this.session.frames().length} frames)`);
    return f;
  }
}

function basename(path: string): string { return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1); }

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function hex(n: number): string { return `0x${n.toString(16)}`; }

/** `0x1a3` or decimal; anything else is an error that names the input. */
function parseAddress(s: string): number {
  const n = /^0x[0-9a-f]+$/i.test(s) ? Number.parseInt(s.slice(2), 16) : /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`not an address: ${JSON.stringify(s)}`);
  return n;
}

/** A DAP log message (`x is {x}`) as the session's printf format and arguments (each `{expr}` printed naturally). */
function logFormat(message: string): { format: string; args: string[] } {
  const args: string[] = [];
  const format = message.replace(/%/g, '%%').replace(/\{([^{}]+)\}/g, (_m, e: string) => { args.push(e); return '%s'; });
  return { format: format.endsWith('\n') ? format : format + '\n', args };
}
