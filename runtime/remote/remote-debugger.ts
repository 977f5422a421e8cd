/**
 * Starts a program under the debugger in a worker thread and returns the
 * asynchronous client for it (debug/remote's DebugClient): what a DAP or
 * GDB-remote server uses, since its own thread must keep serving a socket
 * while the program is stopped.
 *
 *   const dbg = await RemoteDebugger.launch('prog.wasm', { args: ['x'] });
 *   await dbg.request('setBreakpoints', { source: { path: 'prog.c' }, breakpoints: [{ line: 31 }] });
 *   await dbg.request('configurationDone');
 *   const stop = await dbg.waitFor('stopped');
 *
 * Invariant: `launch` resolves only once the module is loaded in the worker
 * (the worker is terminated when it fails); the worker runs compiled JS, so
 * from TypeScript sources (vitest) the built copy in dist/ is used.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DebugClient, Mailbox, type ClientOptions } from '../../debug/index.js';
import type { WorkerInput } from './worker.js';

export interface LaunchOptions extends ClientOptions {
  /** Program arguments (after argv[0]). */
  readonly args?: readonly string[];
  /** Call this export with `values` (Wasm values as text) instead of `_start`. */
  readonly invoke?: string;
  readonly values?: readonly string[];
  /** Bytes in the shared mailbox for one request or response chunk (default 1 MiB). */
  readonly mailboxBytes?: number;
  /** native-debug (the default: compiled code that deopts into the interpreter at stops) or debug (interpreter only). */
  readonly mode?: 'native-debug' | 'debug';
}

/** The worker script: next to this file when running compiled JS, else the built copy in dist/. */
export function workerFile(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = fileURLToPath(new URL('../../dist/runtime/remote/worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new Error(`the debuggee worker script is missing (${built}): run \`npm run build\` first`);
}

export class RemoteDebugger extends DebugClient {
  /** Loads `wasm` (a path or the bytes) in a new worker; resolves when breakpoints can be set. */
  static async launch(wasm: string | Uint8Array, options: LaunchOptions = {}): Promise<RemoteDebugger> {
    const mailbox = Mailbox.create(options.mailboxBytes);
    const workerData: WorkerInput = {
      wasm, args: options.args ?? [], invoke: options.invoke, values: options.values ?? [], buffer: mailbox.buffer,
      mode: options.mode ?? 'native-debug',
    };
    const worker = new Worker(workerFile(), { workerData });
    const dbg = new RemoteDebugger(worker, mailbox, options);
    try {
      const loaded = await Promise.race([
        dbg.waitFor('initialized').then(() => undefined),
        dbg.waitFor('launchFailed').then((e) => e.message),
        // A worker that cannot load the module posts launchFailed and exits: the message comes
        // first, but its promise settles a few microtasks later, so the exit answers only after them.
        new Promise<string>((resolve) => worker.once('exit', (code) => setImmediate(() => resolve(`the debuggee worker exited (code ${code}) before loading the module`)))),
        new Promise<string>((resolve) => worker.once('error', (e) => resolve(`the debuggee worker failed: ${e.message}`))),
      ]);
      if (loaded !== undefined) throw new Error(loaded);
    } catch (e) {
      await worker.terminate();
      throw e;
    }
    return dbg;
  }
}
