/**
 * The debugger across threads: RemoteDebugger runs the program in a worker
 * (SharedArrayBuffer mailbox + Atomics for requests, postMessage for
 * events) and must show what the same-thread DebugSession shows; the
 * controller pauses a hot loop through the shared pause flag.
 *
 * The worker runs compiled JS: this suite loads dist/runtime/remote/worker.js.
 * `npm test` builds dist/ (tsc) before vitest; when running this file alone,
 * run `npm run build` first (dist must match the sources: the controller
 * side here runs from the TypeScript sources). Every worker is terminated in
 * afterEach, and every wait has a timeout that fails with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decode, instantiate, invokeBits, validate } from '../../interpreter/index.js';
import { DebugSession, dwarfFromModule, type DapVariable } from '../../debug/index.js';
import { WorkerState, type DapVariableJson } from '../../debug/remote/index.js';
import { InterpreterTarget } from '../../runtime/debug-target.js';
import { RemoteDebugger, workerFile, type LaunchOptions } from '../../runtime/remote/index.js';
import { createWasiHost, WasiExit } from '../../runtime/wasi/index.js';
import type { EngineInstance } from '../../runtime/spectest/index.js';
import { wat } from './wat.js';

const PROG = resolve(__dirname, '../fixtures/debugger/prog-O0.wasm');
const TIMEOUT = 5000;

/** A loop without calls that runs for minutes: only the pause flag polled at its header can stop it. */
const SPIN = wat(`(module
  (func (export "spin") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $i) (local.get $n))))
    (local.get $i)))`);

let live: RemoteDebugger[] = [];

async function launch(wasm: string | Uint8Array, options: LaunchOptions = {}): Promise<RemoteDebugger> {
  const dbg = await RemoteDebugger.launch(wasm, { timeoutMs: TIMEOUT, ...options });
  live.push(dbg);
  return dbg;
}

beforeAll(() => {
  expect(existsSync(workerFile()), 'the worker script must be built (npm run build)').toBe(true);
});

afterEach(async () => {
  const all = live;
  live = [];
  await Promise.all(all.map((d) => d.disconnect(500)));
});

/** What the same-thread session shows at the first stop on `spec`: frames and each scope's variables. */
function sameThreadStop(spec: string): { frames: { name: string; line: number }[]; locals: DapVariable[]; args: DapVariable[] } {
  const module = decode(new Uint8Array(readFileSync(PROG)));
  validate(module);
  let seen: ReturnType<typeof sameThreadStop> | undefined;
  const session: DebugSession = new DebugSession(module, dwarfFromModule(module).dwarf, {
    stopped: () => {
      if (seen) return;
      const scopes = session.scopes(0);
      seen = {
        frames: session.frames().map((f) => ({ name: f.name, line: f.line ?? 0 })),
        locals: session.variables(scopes.find((s) => s.name === 'Locals')!.variablesReference),
        args: session.variables(scopes.find((s) => s.name === 'Arguments')!.variablesReference),
      };
    },
    output: () => {},
  });
  expect(session.addBreakpoint(spec)).not.toBeTypeOf('string');
  // argv[0] as the worker gives it, so the program's memory layout is the same.
  const wasi = createWasiHost({ args: [PROG], io: { out: () => {}, err: () => {} } });
  const inst = instantiate(module, (m, n) => wasi.resolve(m, n));
  wasi.bind({ exportValue: (n: string) => inst.exports.get(n) } as unknown as EngineInstance);
  const target = new InterpreterTarget(inst);
  target.install();
  session.attach(target);
  try {
    const start = inst.exports.get('_start');
    if (start?.kind !== 'func') throw new Error('prog-O0.wasm has no _start');
    invokeBits(start.value, []);
  } catch (e) {
    if (!(e instanceof WasiExit)) throw e;
  } finally {
    session.detach();
    target.uninstall();
  }
  if (!seen) throw new Error(`the same-thread session never stopped at ${spec}`);
  return seen;
}

const plain = (vs: readonly (DapVariable | DapVariableJson)[]) => vs.map((v) => ({ name: v.name, value: v.value, type: v.type }));

describe('RemoteDebugger: a C program in a worker', () => {
  it('stops at a file:line breakpoint set before the run, showing the stack and variables the same-thread session shows', async () => {
    const expected = sameThreadStop('prog.c:56');
    const dbg = await launch(PROG);
    const set = await dbg.request('setBreakpoints', { source: { path: 'prog.c' }, breakpoints: [{ line: 55 }, { line: 999 }] });
    expect(set.breakpoints[0]).toMatchObject({ verified: true, line: 56, message: 'line 55 has no code; moved to line 56' });
    expect(set.breakpoints[1]).toMatchObject({ verified: false, message: 'no code at or after line 999 of prog.c' });
    await dbg.request('configurationDone');
    const stop = await dbg.waitFor('stopped');
    expect(stop).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [set.breakpoints[0]!.id] });
    // The event came by postMessage while the worker is blocked in Atomics.wait.
    expect(dbg.state).toBe(WorkerState.Stopped);
    const trace = await dbg.request('stackTrace', {});
    expect(trace.stackFrames.map((f) => ({ name: f.name, line: f.line }))).toEqual(expected.frames);
    expect(trace.totalFrames).toBe(expected.frames.length);
    const scopes = (await dbg.request('scopes', { frameId: 0 })).scopes;
    const locals = await dbg.request('variables', { variablesReference: scopes.find((s) => s.name === 'Locals')!.variablesReference });
    const args = await dbg.request('variables', { variablesReference: scopes.find((s) => s.name === 'Arguments')!.variablesReference });
    expect(plain(locals.variables)).toEqual(plain(expected.locals));
    expect(plain(args.variables)).toEqual(plain(expected.args));
    // A struct's handle expands to its members.
    const box = locals.variables.find((v) => v.name === 'box')!;
    const members = await dbg.request('variables', { variablesReference: box.variablesReference });
    expect(members.variables.map((v) => v.name)).toEqual(['name', 'pts', 'npts']);
    expect(members.variables.find((v) => v.name === 'npts')!.value).toBe('4');
    // evaluate gives a handle too; readMemory reads the array under `arr`.
    const ev = await dbg.request('evaluate', { expression: 'box.pts[2]' });
    expect(ev.result).toBe('{x = 2, y = 2}');
    expect((await dbg.request('variables', { variablesReference: ev.variablesReference })).variables.map((v) => `${v.name}=${v.value}`)).toEqual(['x=2', 'y=2']);
    const arr = locals.variables.find((v) => v.name === 'arr')!;
    const mem = await dbg.request('readMemory', { memoryReference: arr.memoryReference!, count: 20 });
    expect([...new Int32Array(new Uint8Array(Buffer.from(mem.data, 'base64')).buffer)]).toEqual([1, 2, 3, 4, 5]);
    await dbg.request('setBreakpoints', { source: { path: 'prog.c' }, breakpoints: [] });
    const output: string[] = [];
    dbg.on('output', (o) => { if (o.category === 'stdout') output.push(o.output); });
    await dbg.request('continue');
    expect(await dbg.waitFor('exited')).toMatchObject({ exitCode: 0 });
    await dbg.waitFor('terminated');
    expect(output.join('')).toContain('perimeter2 = 16\nfact(5) = 120\n');
  });

  it('evaluates expressions, honours conditions, steps and finishes, each stop with its own frames', async () => {
    const dbg = await launch(PROG);
    await dbg.request('setBreakpoints', { source: { path: 'prog.c' }, breakpoints: [{ line: 33, condition: 'i == 2' }] });
    await dbg.request('setFunctionBreakpoints', { breakpoints: [{ name: 'fact', hitCondition: '3' }] });
    await dbg.request('configurationDone');
    expect((await dbg.waitFor('stopped')).reason).toBe('breakpoint');
    expect(await dbg.request('evaluate', { expression: 'i' })).toMatchObject({ result: '2', type: 'int' });
    expect((await dbg.request('evaluate', { expression: 's->pts[i].x + s->npts * 10' })).result).toBe('42');
    expect((await dbg.request('evaluate', { expression: 'sum', frameId: 0 })).result).toBe('8');
    await expect(dbg.request('evaluate', { expression: 'no_such_variable' })).rejects.toThrow(/^evaluate: .*no_such_variable/);
    await dbg.request('next');
    const step = await dbg.waitFor('stopped');
    expect(step.reason).toBe('step');
    expect((await dbg.request('stackTrace', { levels: 1 })).stackFrames[0]).toMatchObject({ name: 'perimeter2', line: 34 });
    await dbg.request('setBreakpoints', { source: { path: 'prog.c' }, breakpoints: [] });
    await dbg.request('continue');
    // The third hit of fact: fact(3), two recursion frames below it.
    expect((await dbg.waitFor('stopped')).reason).toBe('breakpoint');
    const trace = await dbg.request('stackTrace', {});
    expect(trace.stackFrames.slice(0, 4).map((f) => f.name)).toEqual(['fact', 'fact', 'fact', 'main']);
    expect((await dbg.request('evaluate', { expression: 'n' })).result).toBe('3');
    expect((await dbg.request('evaluate', { expression: 'n', frameId: 2 })).result).toBe('5');
    await dbg.request('setFunctionBreakpoints', { breakpoints: [] });
    await dbg.request('stepOut');
    const finish = await dbg.waitFor('stopped');
    expect(finish).toMatchObject({ reason: 'step', description: 'Run till exit from fact', text: 'Value returned is 6' });
    expect((await dbg.request('evaluate', { expression: 'n' })).result).toBe('4');
    await dbg.request('continue');
    expect(await dbg.waitFor('exited')).toMatchObject({ exitCode: 0 });
    await expect(dbg.request('stackTrace', {})).rejects.toThrow('stackTrace: the program is not stopped');
  });

  it('answers bad requests with an error and goes on', async () => {
    const dbg = await launch(PROG);
    await expect(dbg.request('next')).rejects.toThrow('next: the program is not stopped (it is configuring)');
    await expect(dbg.request('bogus' as 'threads')).rejects.toThrow('unknown request "bogus"');
    await expect(dbg.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'zz' }] })).rejects.toThrow('not an address: "zz"');
    expect((await dbg.request('threads')).threads).toEqual([{ id: 1, name: 'main' }]);
  });

  it('delivers a response larger than the mailbox in acknowledged chunks', async () => {
    const dbg = await launch(PROG, { mailboxBytes: 256 });
    await dbg.request('setFunctionBreakpoints', { breakpoints: [{ name: 'main' }] });
    await dbg.request('configurationDone');
    await dbg.waitFor('stopped');
    const scopes = (await dbg.request('scopes', { frameId: 0 })).scopes;
    const globals = await dbg.request('variables', { variablesReference: scopes.find((s) => s.name === 'Registers')!.variablesReference });
    expect(JSON.stringify(globals).length).toBeGreaterThan(256);
    expect(globals.variables[0]!.name).toBe('$pc');
  });

  it('fails to launch a module that does not decode, and ends its worker', async () => {
    await expect(RemoteDebugger.launch(new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 0, 0, 0]), { timeoutMs: TIMEOUT })).rejects.toThrow(/^program\.wasm: .*version/i);
  });
});

describe('RemoteDebugger: pausing a running program from the controller thread', () => {
  it('pauses a hot loop without calls, with a stack trace and live locals, again after each continue', async () => {
    const dbg = await launch(SPIN, { invoke: 'spin', values: ['0'] });
    await dbg.request('configurationDone');
    const latencies: number[] = [];
    let last = -1;
    for (let round = 0; round < 5; round++) {
      await new Promise((r) => setTimeout(r, 10));
      expect(dbg.state).toBe(WorkerState.Running);
      const t0 = performance.now();
      await dbg.request('pause');
      const stop = await dbg.waitFor('stopped');
      latencies.push(performance.now() - t0);
      expect(stop.reason).toBe('pause');
      const trace = await dbg.request('stackTrace', {});
      expect(trace.totalFrames).toBe(1);
      expect(trace.stackFrames[0]!.name).toBe('$func0'); // no name section: the index
      const i = Number((await dbg.request('evaluate', { expression: '$local1' })).result);
      expect(i).toBeGreaterThan(last); // the loop ran between pauses
      last = i;
      await dbg.request('pause'); // stopped already: a no-op, not a pause after the next continue
      await dbg.request('continue');
    }
    // Generous for a loaded machine; the report quotes the measured figure.
    expect(Math.max(...latencies)).toBeLessThan(1000);
    // Requests that need a stop are refused while it runs.
    await expect(dbg.request('stackTrace', {})).rejects.toThrow('stackTrace: the program is running (pause it first)');
  });

  it('sets a breakpoint while the program runs (interrupting it without a stop event) and then stops there', async () => {
    const dbg = await launch(SPIN, { invoke: 'spin', values: ['0'] });
    await dbg.request('configurationDone');
    await dbg.request('pause');
    const first = await dbg.waitFor('stopped');
    expect(first.reason).toBe('pause');
    const pc = (await dbg.request('stackTrace', {})).stackFrames[0]!.instructionPointerReference;
    await dbg.request('continue');
    let stops = 0;
    dbg.on('stopped', () => { stops++; });
    // Served through an interrupt at the next poll: no stopped event for it.
    expect((await dbg.request('threads')).threads).toHaveLength(1);
    expect(stops).toBe(0);
    // One instruction into the loop body (the loop header's `loop` runs once).
    const set = await dbg.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: pc, offset: 2 }] });
    expect(set.breakpoints[0]).toMatchObject({ verified: true });
    const hit = await dbg.waitFor('stopped');
    expect(hit).toMatchObject({ reason: 'breakpoint', hitBreakpointIds: [set.breakpoints[0]!.id] });
  });

  it('disconnect abandons a running program and ends its worker', async () => {
    const dbg = await launch(SPIN, { invoke: 'spin', values: ['0'] });
    await dbg.request('configurationDone');
    const terminated = dbg.waitFor('terminated');
    await dbg.disconnect();
    await terminated;
    expect(dbg.closed).toBe(true);
    await expect(dbg.request('threads')).rejects.toThrow(/the debuggee worker has exited/);
  });
});

describe('RemoteDebugger: a breakpoint set from the controller thread while the loop runs', () => {
  /** The loop's body instruction (`local.get $i` after `loop`) as an instruction reference and offset. */
  const module = decode(SPIN);
  validate(module);
  const body = module.funcs[0]!.body;

  /** What the controller sees: three stops at the breakpoint set mid-run, the frames, and how $i moves between stops. */
  async function transcript(mode: 'native-debug' | 'debug'): Promise<string> {
    const dbg = await launch(SPIN, { invoke: 'spin', values: ['0'], mode });
    await dbg.request('configurationDone');
    await new Promise((r) => setTimeout(r, 100)); // the loop is running (compiled, in native-debug)
    const lines: string[] = [];
    const set = await dbg.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${body[1]!.offset.toString(16)}` }] });
    lines.push(`set: verified ${set.breakpoints[0]!.verified}`);
    let last: number | undefined;
    for (let k = 0; k < 3; k++) {
      const stop = await dbg.waitFor('stopped');
      const frames = (await dbg.request('stackTrace', {})).stackFrames;
      const scopes = await dbg.request('scopes', { frameId: frames[0]!.id });
      const vars = (await Promise.all(scopes.scopes.map((sc) => dbg.request('variables', { variablesReference: sc.variablesReference })))).flatMap((v) => v.variables);
      const i = Number(vars.find((v) => v.name === '$local1' || v.name === 'i')?.value);
      lines.push(`stop ${k}: ${stop.reason} at ${frames.map((f) => `${f.name} ${f.instructionPointerReference}`).join(' < ')}; $i ${last === undefined ? 'positive: ' + (i > 0) : 'advanced by ' + (i - last)}`);
      last = i;
      await dbg.request('continue');
    }
    return lines.join('\n');
  }

  it('stops there with the same transcript in native-debug (compiled loop interrupted) and debug mode', async () => {
    const nd = await transcript('native-debug');
    expect(nd).toBe(await transcript('debug'));
    expect(nd).toMatch(/^set: verified true\nstop 0: breakpoint at .*; \$i positive: true\nstop 1: breakpoint at .*; \$i advanced by 1\nstop 2: breakpoint at .*; \$i advanced by 1$/);
  }, 30_000);
});

