/**
 * The debuggee worker's entry (loaded as compiled JS: dist/runtime/remote/
 * worker.js). Decodes the module, waits for breakpoints and
 * `configurationDone` through the shared mailbox, then runs the program in
 * the interpreter with WASI, a DebugSession attached; stops block this thread
 * in Atomics.wait while the controller inspects (debug/remote/server.ts).
 * Program output and the end of the run go to the controller as events.
 *
 * Invariant: this thread ends after the run once the controller disconnects
 * (or at once when the module cannot be loaded), and never throws: every
 * failure becomes an event.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  decode, invokeBits, setPauseFlag, validate, Exhaustion, LinkError, Trap, type Instance, type Module, type ValType,
} from '../../interpreter/index.js';
import { DebugSession, dwarfFromModule } from '../../debug/index.js';
import { Disconnected, Mailbox, RemoteServer, type EventMessage, type Events } from '../../debug/index.js';
import { InterpreterTarget } from '../debug-target.js';
import { createWasiHost, instantiateWithWasi, WasiError, WasiExit } from '../wasi/index.js';
import { formatValue, parseValue } from '../cli/format.js';

/** What RemoteDebugger.launch passes (workerData). */
export interface WorkerInput {
  readonly wasm: string | Uint8Array;
  /** Program arguments (argv[1..]); argv[0] is the module's name. */
  readonly args: readonly string[];
  /** An export to call with `values` instead of `_start`. */
  readonly invoke: string | undefined;
  readonly values: readonly string[];
  readonly buffer: SharedArrayBuffer;
}

const input = workerData as WorkerInput;
const post = (e: EventMessage): void => parentPort!.postMessage(e);
const mailbox = new Mailbox(input.buffer);
setPauseFlag(mailbox.pauseFlag);
main();

function main(): void {
  const name = typeof input.wasm === 'string' ? input.wasm : 'program.wasm';
  let module: Module;
  try {
    module = decode(typeof input.wasm === 'string' ? new Uint8Array(readFileSync(input.wasm)) : input.wasm);
    validate(module);
  } catch (e) {
    post({ type: 'event', event: 'launchFailed', body: { message: `${name}: ${(e as Error).message}` } });
    return;
  }
  const dwarf = dwarfFromModule(module).dwarf;
  let server!: RemoteServer;
  const session = new DebugSession(module, dwarf, {
    stopped: (e) => server.stopped(e),
    output: (text) => server.event('output', { category: 'console', output: text }),
  });
  server = new RemoteServer(session, mailbox, post);
  server.event('initialized', { units: dwarf.units().length });
  if (!server.configure()) { server.event('terminated', {}); return; }
  const end = run(name, module, session, server);
  if (end === null) { server.event('terminated', {}); return; }
  server.finished(end);
}

/** Runs the program to its end; null when the controller disconnected meanwhile. */
function run(name: string, module: Module, session: DebugSession, server: RemoteServer): Events['exited'] | null {
  const out = (category: 'stdout' | 'stderr') => (text: string) => { if (text) server.event('output', { category, output: text }); };
  const wasi = createWasiHost({
    args: [name, ...input.args],
    io: { out: out('stdout'), err: out('stderr') },
    stdin: () => new Uint8Array(0),
  });
  let inst: Instance;
  try {
    inst = instantiateWithWasi(module, wasi);
  } catch (e) {
    wasi.flush();
    if (e instanceof LinkError || e instanceof Trap || e instanceof WasiError) return { exitCode: 1, reason: `cannot start the program: ${e.message}` };
    throw e;
  }
  const entry = input.invoke ?? (inst.exports.has('_start') ? '_start' : undefined);
  const ex = entry !== undefined ? inst.exports.get(entry) : undefined;
  if (ex?.kind !== 'func') return { exitCode: 1, reason: entry === undefined ? 'nothing to run: give an export to invoke' : `no exported function ${JSON.stringify(entry)}` };
  const type = ex.value.type;
  let args: unknown[];
  try {
    if (input.values.length !== type.params.length) throw new Error(`${JSON.stringify(entry)} takes ${type.params.length} arguments, got ${input.values.length}`);
    args = input.values.map((v, i) => parseValue(type.params[i]! as ValType, v));
  } catch (e) {
    return { exitCode: 1, reason: (e as Error).message };
  }
  const target = new InterpreterTarget(inst);
  target.install();
  session.attach(target);
  // Pause stops nobody asked for are the controller's interrupts: serve its requests and run on.
  const report = target.onStop!;
  target.onStop = (reason, trap) => {
    if (reason === 'pause' && !mailbox.takeUserPause() && !server.interrupted()) return;
    report(reason, trap);
  };
  try {
    const results = invokeBits(ex.value, args as never[]);
    wasi.flush();
    return { exitCode: 0, results: results.map((v, i) => formatValue(type.results[i]!, v)) };
  } catch (e) {
    wasi.flush();
    if (e instanceof Disconnected) return null;
    if (e instanceof WasiExit) return { exitCode: e.code };
    if (e instanceof Trap || e instanceof Exhaustion) return { exitCode: 1, reason: `trap: ${e.message}` };
    if (e instanceof WasiError) return { exitCode: 1, reason: e.message };
    return { exitCode: 1, reason: `internal error: ${(e as Error).message}` };
  } finally {
    session.detach();
    target.uninstall();
  }
}
