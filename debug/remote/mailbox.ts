/**
 * The shared mailbox between the controller thread and the debuggee worker:
 * one SharedArrayBuffer holding a header of Int32 words and a data area.
 * Requests and responses strictly alternate, so one data area serves both:
 * the controller writes a request and bumps REQ_SEQ; the worker (blocked in
 * Atomics.wait on REQ_SEQ) reads it, writes the response and bumps RESP_SEQ;
 * the controller waits for that with Atomics.waitAsync, so its event loop
 * keeps running. A response larger than the data area goes in chunks, each
 * acknowledged by another bump of REQ_SEQ.
 *
 * Word 0 is the interpreter's pause flag (setPauseFlag): nonzero stops the
 * running program at its next poll. USER_PAUSE says whether that stop is the
 * user's pause (reported) or the controller's interrupt to serve a request
 * while the program runs (not reported). STATE is the worker's WorkerState.
 *
 * Invariant: only the controller writes requests and only the worker writes
 * responses; a side reads the data area only after the other side's bump.
 */
import { WorkerState } from './protocol.js';

const POLL = 0, USER_PAUSE = 1, STATE = 2, REQ_SEQ = 3, RESP_SEQ = 4, LEN = 5, MORE = 6;
const HEADER_BYTES = 32;

export class MailboxTimeout extends Error {
  override readonly name = 'MailboxTimeout';
}

export class Mailbox {
  private readonly words: Int32Array;
  private readonly data: Uint8Array;
  /** The last REQ_SEQ the worker consumed / RESP_SEQ the controller consumed (one Mailbox per side per buffer). */
  private reqSeen: number;
  private respSeen: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    if (buffer.byteLength <= HEADER_BYTES) throw new RangeError(`mailbox of ${buffer.byteLength} bytes is too small (at least ${HEADER_BYTES + 1})`);
    this.words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
    // Both sides start from a fresh buffer's zeros, so a request sent before the worker built its Mailbox is not lost.
    this.reqSeen = 0;
    this.respSeen = 0;
  }

  /** A fresh mailbox with `capacity` bytes for messages (larger responses are chunked). */
  static create(capacity = 1 << 20): Mailbox {
    return new Mailbox(new SharedArrayBuffer(HEADER_BYTES + capacity));
  }

  get capacity(): number { return this.data.length; }

  /** The interpreter's pause flag (word 0 of this array). */
  get pauseFlag(): Int32Array { return new Int32Array(this.buffer, 0, 1); }

  // ---- state and pausing ----

  get state(): WorkerState { return Atomics.load(this.words, STATE) as WorkerState; }
  setState(s: WorkerState): void { Atomics.store(this.words, STATE, s); }

  /** Controller: stop the running program at its next poll and report it as a pause. */
  requestPause(): void {
    Atomics.store(this.words, USER_PAUSE, 1);
    this.interrupt();
  }

  /** Controller: stop the running program briefly to serve the request just sent. */
  interrupt(): void {
    Atomics.store(this.words, POLL, 1);
    // Compiled (native-debug) code polls its own flag: 3 asks its running frames to deopt into the
    // interpreter, which polls POLL. Only over 0 (run on): 1 and 2 mean a deopt is under way already.
    if (this.#deopt !== undefined) Atomics.compareExchange(this.#deopt, 0, 0, 3);
  }

  #deopt: Int32Array | undefined;

  /** Controller: the worker's compiled-code flag (native-debug's P, sent with `initialized`). */
  attachDeoptFlag(buffer: SharedArrayBuffer): void {
    this.#deopt = new Int32Array(buffer, 0, 1);
  }

  /** Worker, at a pause stop: whether the user asked for it (and the request is consumed). */
  takeUserPause(): boolean { return Atomics.exchange(this.words, USER_PAUSE, 0) !== 0; }

  /** Worker: forget pending pause requests (a reported stop satisfies them; resuming starts afresh). */
  clearPause(): void {
    Atomics.store(this.words, USER_PAUSE, 0);
    Atomics.store(this.words, POLL, 0);
  }

  // ---- controller side ----

  /** Writes one request (JSON) and wakes the worker. */
  sendRequest(message: unknown): void {
    const bytes = new TextEncoder().encode(JSON.stringify(message));
    if (bytes.length > this.data.length) throw new RangeError(`request of ${bytes.length} bytes does not fit the mailbox (${this.data.length} bytes)`);
    this.data.set(bytes);
    Atomics.store(this.words, LEN, bytes.length);
    Atomics.store(this.words, MORE, 0);
    this.bump(REQ_SEQ);
  }

  /** Waits (without blocking the thread) for the whole response; MailboxTimeout after `timeoutMs` without progress. */
  async receiveResponse(timeoutMs: number): Promise<unknown> {
    const parts: Uint8Array[] = [];
    for (;;) {
      await this.waitAsyncFor(RESP_SEQ, this.respSeen, timeoutMs);
      this.respSeen = Atomics.load(this.words, RESP_SEQ);
      const len = Atomics.load(this.words, LEN);
      parts.push(this.data.slice(0, len));
      if (Atomics.load(this.words, MORE) === 0) break;
      this.bump(REQ_SEQ); // acknowledge: the worker writes the next chunk
    }
    return JSON.parse(new TextDecoder().decode(concat(parts)));
  }

  private async waitAsyncFor(index: number, seen: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.words, index) === seen) {
      const left = deadline - Date.now();
      if (left <= 0) throw new MailboxTimeout(`no response from the debuggee worker within ${timeoutMs} ms`);
      const w = waitAsync(this.words, index, seen, left);
      if (w.async) await w.value;
    }
  }

  // ---- worker side ----

  /** Whether a request is waiting (the worker checks without blocking when interrupted). */
  hasRequest(): boolean { return Atomics.load(this.words, REQ_SEQ) !== this.reqSeen; }

  /** Blocks the worker's thread until a request arrives; returns it parsed. */
  waitRequest(): unknown {
    this.blockFor(REQ_SEQ, this.reqSeen);
    this.reqSeen = Atomics.load(this.words, REQ_SEQ);
    const len = Atomics.load(this.words, LEN);
    return JSON.parse(new TextDecoder().decode(this.data.slice(0, len)));
  }

  /** Writes the response, in chunks acknowledged by the controller when it is larger than the data area. */
  sendResponse(message: unknown): void {
    const bytes = new TextEncoder().encode(JSON.stringify(message));
    let at = 0;
    for (;;) {
      const n = Math.min(this.data.length, bytes.length - at);
      this.data.set(bytes.subarray(at, at + n));
      at += n;
      const more = at < bytes.length;
      Atomics.store(this.words, LEN, n);
      Atomics.store(this.words, MORE, more ? 1 : 0);
      this.bump(RESP_SEQ);
      if (!more) return;
      this.blockFor(REQ_SEQ, this.reqSeen);
      this.reqSeen = Atomics.load(this.words, REQ_SEQ);
    }
  }

  private blockFor(index: number, seen: number): void {
    while (Atomics.load(this.words, index) === seen) Atomics.wait(this.words, index, seen);
  }

  private bump(index: number): void {
    Atomics.add(this.words, index, 1);
    Atomics.notify(this.words, index);
  }
}

/** Atomics.waitAsync (ES2024; Node 16+), typed here because the project's lib is ES2023. */
function waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> } {
  return (Atomics as unknown as { waitAsync: typeof waitAsync }).waitAsync(a, index, value, timeoutMs);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
