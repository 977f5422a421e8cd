/**
 * The worker side of remote debugging: serves the controller's requests
 * from the mailbox on the thread that runs the program. Before the run it
 * serves configuration requests until `configurationDone`; at a reported
 * stop (the session's `stopped` event, called inside the program) it posts a
 * `stopped` event and blocks in Atomics.wait between requests until one
 * resumes; when the controller interrupts a running program to set
 * breakpoints, it serves what is pending and lets the program go on; after
 * the run it serves until `disconnect`.
 *
 * Invariant: every request gets exactly one response; `disconnect` while the
 * program runs or is stopped throws Disconnected out of the program (the
 * runner catches it), so the worker's thread always ends.
 */
import type { StoppedEvent } from '../session/session.js';
import type { DebugSession } from '../session/session.js';
import { RequestHandlers, THREAD_ID, type InspectCommand } from './handlers.js';
import type { Mailbox } from './mailbox.js';
import { WorkerState, type EventMessage, type EventName, type Events, type RequestMessage, type ResponseMessage } from './protocol.js';

/** Thrown out of a stop (or an interrupt) when the controller disconnects: the program is abandoned. */
export class Disconnected extends Error {
  override readonly name = 'Disconnected';
  constructor() { super('the debugger disconnected'); }
}

type Phase = 'configuring' | 'running' | 'stopped' | 'exited';
type Outcome = 'configured' | 'resume' | 'disconnect' | 'pause' | undefined;

const INSPECT = new Set<string>(['setBreakpoints', 'setFunctionBreakpoints', 'setInstructionBreakpoints', 'threads', 'stackTrace', 'scopes', 'variables', 'evaluate', 'readMemory']);
/** What may be served while the program runs (an interrupt): the rest needs a stop. */
const WHILE_RUNNING = new Set<string>(['setBreakpoints', 'setFunctionBreakpoints', 'setInstructionBreakpoints', 'threads']);

export class RemoteServer {
  private readonly handlers: RequestHandlers;

  constructor(private readonly session: DebugSession, private readonly mailbox: Mailbox, private readonly post: (e: EventMessage) => void) {
    this.handlers = new RequestHandlers(session);
  }

  event<E extends EventName>(event: E, body: Events[E]): void {
    this.post({ type: 'event', event, body } as EventMessage);
  }

  /** Serves requests before the run: true once `configurationDone` came, false on `disconnect`. */
  configure(): boolean {
    this.mailbox.setState(WorkerState.Configuring);
    for (;;) {
      const outcome = this.serveOne('configuring');
      if (outcome === 'configured') return true;
      if (outcome === 'disconnect') return false;
    }
  }

  /** The session's `stopped` event: reports the stop and serves requests until one resumes. */
  stopped(e: StoppedEvent): void {
    this.mailbox.clearPause(); // this stop satisfies any pause asked for meanwhile
    this.mailbox.setState(WorkerState.Stopped);
    this.event('stopped', stoppedBody(e));
    for (;;) {
      const outcome = this.serveOne('stopped');
      if (outcome === 'resume') break;
      if (outcome === 'disconnect') throw new Disconnected();
    }
  }

  /**
   * A pause stop the user did not ask for: the controller wants requests
   * served while the program runs. Returns true when one of them was a
   * `pause` (the caller then reports this stop as the user's pause).
   */
  interrupted(): boolean {
    let pause = false;
    while (this.mailbox.hasRequest()) {
      const outcome = this.serveOne('running');
      if (outcome === 'disconnect') throw new Disconnected();
      if (outcome === 'pause') pause = true;
    }
    return pause;
  }

  /** After the run: reports how it ended and serves until `disconnect`. */
  finished(body: Events['exited']): void {
    this.mailbox.setState(WorkerState.Exited);
    this.event('exited', body);
    this.event('terminated', {});
    while (this.serveOne('exited') !== 'disconnect') { /* requests after the end get errors */ }
  }

  /** Reads one request (blocking), answers it, and says what it asks of the program. */
  private serveOne(phase: Phase): Outcome {
    let req: RequestMessage;
    try {
      req = this.mailbox.waitRequest() as RequestMessage;
    } catch (e) {
      this.mailbox.sendResponse({ request_seq: -1, success: false, message: `unreadable request: ${(e as Error).message}` });
      return undefined;
    }
    let outcome: Outcome;
    let response: ResponseMessage;
    try {
      const r = this.dispatch(req, phase);
      outcome = r.outcome;
      response = { request_seq: req.seq, success: true, body: r.body };
    } catch (e) {
      outcome = undefined;
      response = { request_seq: req.seq, success: false, message: e instanceof Error ? e.message : String(e) };
    }
    // Running again before the controller hears so: its next request then interrupts the program.
    if (outcome === 'configured' || outcome === 'resume') { this.mailbox.clearPause(); this.mailbox.setState(WorkerState.Running); }
    this.mailbox.sendResponse(response);
    return outcome;
  }

  private dispatch(req: RequestMessage, phase: Phase): { body: unknown; outcome: Outcome } {
    const c = req.command;
    const args = (req.arguments ?? {}) as never;
    const s = this.session;
    if (c === 'disconnect') return { body: {}, outcome: 'disconnect' };
    if (c === 'configurationDone') {
      if (phase !== 'configuring') throw new Error('configurationDone: the program has already been started');
      return { body: {}, outcome: 'configured' };
    }
    if (c === 'pause') return { body: {}, outcome: phase === 'running' ? 'pause' : undefined };
    if (c === 'continue' || c === 'next' || c === 'stepIn' || c === 'stepOut') {
      if (phase === 'running' && c === 'continue') return { body: { allThreadsContinued: true }, outcome: undefined };
      if (phase !== 'stopped') throw new Error(`${c}: the program is not stopped (it is ${phase})`);
      if (c === 'continue') s.continue();
      else if (c === 'next') s.next();
      else if (c === 'stepIn') s.stepIn();
      else s.stepOut();
      return { body: c === 'continue' ? { allThreadsContinued: true } : {}, outcome: 'resume' };
    }
    if (INSPECT.has(c)) {
      if (phase === 'running' && !WHILE_RUNNING.has(c)) throw new Error(`${c}: the program is running (pause it first)`);
      return { body: this.handlers.handler(c as InspectCommand)(args), outcome: undefined };
    }
    throw new Error(`unknown request ${JSON.stringify(c)}`);
  }
}

function stoppedBody(e: StoppedEvent): Events['stopped'] {
  const base = { threadId: THREAD_ID, allThreadsStopped: true as const, hitBreakpointIds: [...e.hitBreakpointIds] };
  switch (e.reason) {
    case 'finish': {
      const f = e.finished;
      return { ...base, reason: 'step', description: `Run till exit from ${f?.function ?? '??'}`, ...(f?.value !== undefined ? { text: `Value returned is ${f.value}` } : {}) };
    }
    case 'exception': return { ...base, reason: 'exception', description: 'trap', text: e.text ?? 'trap' };
    case 'data breakpoint': {
      const w = e.watch;
      return { ...base, reason: 'data breakpoint', ...(w ? { description: `${w.spec}: ${w.old !== undefined ? `${w.old} -> ` : ''}${w.value}` } : {}) };
    }
    default: return { ...base, reason: e.reason };
  }
}
