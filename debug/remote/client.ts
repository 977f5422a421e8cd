/**
 * The controller side of remote debugging: an asynchronous DAP-style client
 * for a program running in a worker thread. `request` writes the request to
 * the shared mailbox and awaits the response with Atomics.waitAsync (this
 * thread's event loop keeps running: a DAP or GDB-remote server can serve
 * its socket meanwhile); events arrive by postMessage. `pause` needs no
 * answer from the worker: it sets the shared pause flag, which the running
 * program polls at every loop header.
 *
 * Invariant: one request is in flight at a time (others queue behind it);
 * a request that times out leaves the mailbox unusable (the worker may still
 * answer it), so the client refuses further requests until `disconnect`,
 * which always ends the worker (terminating it when it does not answer).
 */
import { Mailbox, MailboxTimeout } from './mailbox.js';
import { WorkerState, type ArgsOf, type BodyOf, type Command, type EventMessage, type EventName, type Events, type ResponseMessage } from './protocol.js';

/** The part of node:worker_threads' Worker the client uses. */
export interface WorkerPort {
  on(event: 'message', listener: (m: unknown) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

export interface ClientOptions {
  /** How long a request may wait for its response (default 10 s). */
  readonly timeoutMs?: number;
}

type Listener<E extends EventName> = (body: Events[E]) => void;

/** Undelivered events kept per name for `waitFor` (the oldest are dropped beyond this). */
const KEEP = 1000;

export class DebugClient {
  private seq = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Map<EventName, Set<Listener<never>>>();
  private readonly unread = new Map<EventName, unknown[]>();
  private readonly waiters = new Map<EventName, ((body: unknown) => void)[]>();
  private broken: Error | undefined;
  private exitCode: number | undefined;
  private readonly exited: Promise<never>;
  private failExit!: (e: Error) => void;
  readonly timeoutMs: number;

  constructor(protected readonly worker: WorkerPort, readonly mailbox: Mailbox, options: ClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.exited = new Promise<never>((_, reject) => { this.failExit = reject; });
    this.exited.catch(() => { /* observed through requests */ });
    worker.on('message', (m) => {
      const e = m as EventMessage;
      if (e && e.type === 'event') this.deliver(e.event, e.body);
    });
    worker.on('error', (err) => { this.broken ??= new Error(`the debuggee worker failed: ${err.message}`); this.failExit(this.broken); });
    worker.on('exit', (code) => {
      this.exitCode = code;
      this.broken ??= new Error(`the debuggee worker has exited (code ${code})`);
      this.failExit(this.broken);
    });
  }

  /** Whether the worker thread has ended. */
  get closed(): boolean { return this.exitCode !== undefined; }

  /** What the worker is doing now (read from shared memory, not from events in flight). */
  get state(): WorkerState { return this.mailbox.state; }

  /** Calls `listener` at every `event`; returns a function that removes it. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => { set!.delete(listener as Listener<never>); };
  }

  /** The oldest `event` not yet waited for (one that already came, or the next); rejects after `timeoutMs`. */
  waitFor<E extends EventName>(event: E, timeoutMs = this.timeoutMs): Promise<Events[E]> {
    const q = this.unread.get(event);
    if (q && q.length > 0) return Promise.resolve(q.shift() as Events[E]);
    return new Promise<Events[E]>((resolve, reject) => {
      const timer = setTimeout(() => {
        const ws = this.waiters.get(event) ?? [];
        const i = ws.indexOf(deliver);
        if (i >= 0) ws.splice(i, 1);
        reject(new Error(`no ${event} event within ${timeoutMs} ms${this.broken ? ` (${this.broken.message})` : ''}`));
      }, timeoutMs);
      const deliver = (body: unknown) => { clearTimeout(timer); resolve(body as Events[E]); };
      const ws = this.waiters.get(event);
      if (ws) ws.push(deliver); else this.waiters.set(event, [deliver]);
    });
  }

  private deliver(event: EventName, body: unknown): void {
    const flag = event === 'initialized' ? (body as Events['initialized']).deoptFlag : undefined;
    if (flag !== undefined) this.mailbox.attachDeoptFlag(flag);
    for (const l of this.listeners.get(event) ?? []) (l as (b: unknown) => void)(body);
    const w = this.waiters.get(event)?.shift();
    if (w) { w(body); return; }
    let q = this.unread.get(event);
    if (!q) this.unread.set(event, (q = []));
    q.push(body);
    if (q.length > KEEP) q.shift();
  }

  /** Sends one DAP request and resolves with its body; rejects with the worker's message when it fails. */
  request<C extends Command>(command: C, args: ArgsOf<C> = {} as ArgsOf<C>, timeoutMs = this.timeoutMs): Promise<BodyOf<C>> {
    if (command === 'pause') return this.pause() as Promise<BodyOf<C>>;
    const run = this.queue.then(() => this.exchange(command, args, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run as Promise<BodyOf<C>>;
  }

  /** Stops the running program at its next loop header (a `stopped` event with reason 'pause' follows); a no-op when it is stopped. */
  async pause(): Promise<Record<string, never>> {
    if (this.broken) throw this.broken;
    if (this.mailbox.state === WorkerState.Running) { this.mailbox.requestPause(); return {}; }
    return this.queue.then(() => this.exchange('pause', {}, this.timeoutMs)) as Promise<Record<string, never>>;
  }

  private async exchange(command: Command, args: unknown, timeoutMs: number): Promise<unknown> {
    if (this.broken) throw this.broken;
    const seq = this.seq++;
    this.mailbox.sendRequest({ seq, command, arguments: args });
    // A running program reads requests only when stopped: interrupt it at its next poll.
    if (this.mailbox.state === WorkerState.Running) this.mailbox.interrupt();
    let response: ResponseMessage;
    try {
      const receiving = this.mailbox.receiveResponse(timeoutMs);
      receiving.catch(() => { /* lost to the worker's exit */ });
      response = await Promise.race([receiving, this.exited]) as ResponseMessage;
    } catch (e) {
      if (e instanceof MailboxTimeout) this.broken = new Error(`${command}: ${e.message}; the session is unusable (disconnect)`);
      throw this.broken ?? e;
    }
    if (response.request_seq !== seq) throw (this.broken = new Error(`${command}: response out of order (for request ${response.request_seq}, expected ${seq})`));
    if (!response.success) throw new Error(`${command}: ${response.message}`);
    return response.body;
  }

  /** Ends the session: asks the worker to abandon the program and exit, and terminates it if it does not within `graceMs`. */
  async disconnect(graceMs = 2000): Promise<void> {
    if (this.closed) return;
    if (!this.broken) {
      try {
        await this.request('disconnect', {}, graceMs);
        // The worker ends by itself after its last events; give it the time to post them.
        await Promise.race([this.exited.catch(() => undefined), new Promise((r) => setTimeout(r, graceMs).unref?.())]);
      } catch { /* terminated below */ }
    }
    await this.worker.terminate();
  }
}
