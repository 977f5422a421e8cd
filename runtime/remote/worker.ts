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
import { decode, setPauseFlag, validate, Exhaustion, Trap, type Module } from '../../interpreter/index.js';
import { WasmflipModule } from '../api/module.js';
import { flagWords } from '../api/instance.js';
import { DebugSession, dwarfFromModule } from '../../debug/index.js';
import { Disconnected, Mailbox, RemoteServer, type EventMessage, type Events } from '../../debug/index.js';
import { InterpreterTarget } from '../debug-target.js';
import { callProgram, prepareProgram } from '../program.js';
import { createWasiHost, WasiError, WasiExit } from '../wasi/index.js';
import { formatValue } from '../cli/format.js';

/** What RemoteDebugger.launch passes (workerData). */
export interface WorkerInput {
  readonly wasm: string | Uint8Array;
  /** Program arguments (argv[1..]); argv[0] is the module's name. */
  readonly args: readonly string[];
  /** An export to call with `values` instead of `_start`. */
  readonly invoke: string | undefined;
  readonly values: readonly string[];
  readonly buffer: SharedArrayBuffer;
  /** native-debug (compiled code that deopts at stops; the default) or debug (the interpreter only). */
  readonly mode: 'native-debug' | 'debug';
}

const input = workerData as WorkerInput;
const post = (e: EventMessage): void => parentPort!.postMessage(e);
const mailbox = new Mailbox(input.buffer);
setPauseFlag(mailbox.pauseFlag);
main();

function main(): void {
  const name = typeof input.wasm === 'string' ? input.wasm : 'program.wasm';
  let module: Module;
  let bytes: Uint8Array;
  try {
    bytes = typeof input.wasm === 'string' ? new Uint8Array(readFileSync(input.wasm)) : input.wasm;
    module = decode(bytes);
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
  // The compiled code's flag goes to the controller before anything runs, so its interrupts reach compiled loops.
  const deoptFlag = input.mode === 'native-debug' ? new Int32Array(new SharedArrayBuffer(4 * flagWords(module))) : undefined;
  server.event('initialized', { units: dwarf.units().length, ...(deoptFlag ? { deoptFlag: deoptFlag.buffer as SharedArrayBuffer } : {}) });
  if (!server.configure()) { server.event('terminated', {}); return; }
  const end = run(name, new WasmflipModule(bytes, module), session, server, deoptFlag);
  if (end === null) { server.event('terminated', {}); return; }
  server.finished(end);
}

/** Runs the program to its end; null when the controller disconnected meanwhile. */
function run(name: string, module: WasmflipModule, session: DebugSession, server: RemoteServer, deoptFlag: Int32Array | undefined): Events['exited'] | null {
  const out = (category: 'stdout' | 'stderr') => (text: string) => { if (text) server.event('output', { category, output: text }); };
  const wasi = createWasiHost({
    args: [name, ...input.args],
    io: { out: out('stdout'), err: out('stderr') },
    stdin: () => new Uint8Array(0),
  });
  const prepared = prepareProgram(module, wasi, { mode: input.mode, ...(deoptFlag ? { deoptFlag } : {}) }, input.invoke, input.values);
  if (!prepared.ok) {
    if (prepared.why === 'start') return { exitCode: 1, reason: `cannot start the program: ${prepared.message}` };
    if (prepared.why === 'args') return { exitCode: 1, reason: prepared.message };
    return { exitCode: 1, reason: prepared.name === undefined ? 'nothing to run: give an export to invoke' : `no exported function ${JSON.stringify(prepared.name)}` };
  }
  const { program } = prepared;
  const target = new InterpreterTarget(program.instance.state, program.instance.nativeDebug);
  target.install();
  session.attach(target);
  // Pause stops nobody asked for are the controller's interrupts: serve its requests and run on.
  const report = target.onStop!;
  target.onStop = (reason, trap) => {
    if (reason === 'pause' && !mailbox.takeUserPause() && !server.interrupted()) return;
    report(reason, trap);
  };
  try {
    const results = callProgram(program);
    wasi.flush();
    return { exitCode: 0, results: results.map((v, i) => formatValue(program.type.results[i]!, v)) };
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
