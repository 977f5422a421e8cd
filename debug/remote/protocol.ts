/**
 * The remote debugging protocol between a controller thread (a DAP or
 * GDB-remote server, a test) and the worker that runs the program: DAP
 * requests and responses (names and shapes from the Debug Adapter Protocol,
 * a subset), plus the events the worker posts. Requests and responses travel
 * JSON-encoded through the shared mailbox (mailbox.ts), because a stopped
 * worker is blocked in Atomics.wait and cannot read messages; events travel
 * by postMessage, which the controller receives even while the worker blocks.
 *
 * Invariant: every type here is plain JSON (values are formatted strings,
 * never BigInt), so both sides agree on it without a schema.
 */

export interface DapSource { readonly name: string; readonly path: string }

/** DAP Breakpoint (the answer to every set*Breakpoints request, one per breakpoint asked for, in order). */
export interface DapBreakpoint {
  readonly id?: number;
  readonly verified: boolean;
  readonly message?: string;
  readonly line?: number;
  readonly source?: DapSource;
  /** Code offset (as DWARF uses them), `0x`-prefixed hex. */
  readonly instructionReference?: string;
}

export interface DapStackFrame {
  readonly id: number;
  readonly name: string;
  readonly source?: DapSource;
  readonly line: number;
  readonly column: number;
  readonly instructionPointerReference: string;
  /** 'subtle' for an inlined call (it shares its Wasm frame with the frame below). */
  readonly presentationHint?: 'normal' | 'subtle';
}

export interface DapVariableJson {
  readonly name: string;
  readonly value: string;
  readonly type: string;
  readonly variablesReference: number;
  readonly memoryReference?: string;
}

/** Condition fields every kind of breakpoint accepts. */
interface Conditions { readonly condition?: string; readonly hitCondition?: string }

/** Each request's arguments and its response body. */
export interface Requests {
  /** Replaces the breakpoints of one source file (lines move to the next line with code). */
  setBreakpoints: { args: { source: { path: string }; breakpoints: readonly (Conditions & { line: number; logMessage?: string })[] }; body: { breakpoints: DapBreakpoint[] } };
  /** Replaces the function breakpoints. */
  setFunctionBreakpoints: { args: { breakpoints: readonly (Conditions & { name: string })[] }; body: { breakpoints: DapBreakpoint[] } };
  /** Replaces the breakpoints at code offsets (`instructionReference` plus optional `offset`). */
  setInstructionBreakpoints: { args: { breakpoints: readonly (Conditions & { instructionReference: string; offset?: number })[] }; body: { breakpoints: DapBreakpoint[] } };
  /** Ends configuration: the program starts running. */
  configurationDone: { args: Record<string, never>; body: Record<string, never> };
  threads: { args: Record<string, never>; body: { threads: { id: number; name: string }[] } };
  continue: { args: { threadId?: number }; body: { allThreadsContinued: boolean } };
  next: { args: { threadId?: number }; body: Record<string, never> };
  stepIn: { args: { threadId?: number }; body: Record<string, never> };
  stepOut: { args: { threadId?: number }; body: Record<string, never> };
  /** Handled by the controller while the program runs (the shared pause flag); a no-op when stopped. */
  pause: { args: { threadId?: number }; body: Record<string, never> };
  stackTrace: { args: { threadId?: number; startFrame?: number; levels?: number }; body: { stackFrames: DapStackFrame[]; totalFrames: number } };
  scopes: { args: { frameId: number }; body: { scopes: { name: string; variablesReference: number; expensive: boolean }[] } };
  variables: { args: { variablesReference: number }; body: { variables: DapVariableJson[] } };
  evaluate: { args: { expression: string; frameId?: number; context?: string }; body: { result: string; type: string; variablesReference: number; memoryReference?: string } };
  /** Linear memory: `memoryReference` is an address (`0x...`), data is base64. */
  readMemory: { args: { memoryReference: string; offset?: number; count: number }; body: { address: string; data: string; unreadableBytes?: number } };
  /** Ends the session: a running or stopped program is abandoned and the worker exits. */
  disconnect: { args: { terminateDebuggee?: boolean }; body: Record<string, never> };
}

export type Command = keyof Requests;
export type ArgsOf<C extends Command> = Requests[C]['args'];
export type BodyOf<C extends Command> = Requests[C]['body'];

export interface RequestMessage { readonly seq: number; readonly command: string; readonly arguments: unknown }
export type ResponseMessage =
  | { readonly request_seq: number; readonly success: true; readonly body: unknown }
  | { readonly request_seq: number; readonly success: false; readonly message: string };

/** The events the worker posts (DAP event names; `initialized` also carries load failures). */
export interface Events {
  /** The module is loaded: breakpoints may be set, then configurationDone runs it. */
  /** `deoptFlag`: the compiled code's pending flag (native-debug), which interrupts also set. */
  initialized: { units: number; deoptFlag?: SharedArrayBuffer };
  /** The module could not be loaded; the worker has ended. */
  launchFailed: { message: string };
  stopped: {
    reason: 'breakpoint' | 'step' | 'exception' | 'data breakpoint' | 'pause';
    threadId: number;
    allThreadsStopped: true;
    hitBreakpointIds: number[];
    /** For an exception: the trap message; for a finished `stepOut`: the function and its value. */
    text?: string;
    description?: string;
  };
  continued: { threadId: number; allThreadsContinued: true };
  output: { category: 'stdout' | 'stderr' | 'console'; output: string };
  /** The program ended: its exit code (0 for an `--invoke` that returned; `results` then holds its values). */
  exited: { exitCode: number; results?: string[]; reason?: string };
  terminated: Record<string, never>;
}

export type EventName = keyof Events;
export interface EventMessage<E extends EventName = EventName> { readonly type: 'event'; readonly event: E; readonly body: Events[E] }

/** What the worker is doing, as kept in the mailbox's state word. */
export const WorkerState = { Configuring: 0, Running: 1, Stopped: 2, Exited: 3 } as const;
export type WorkerState = (typeof WorkerState)[keyof typeof WorkerState];
