/**
 * Syscall catchpoints (debug/session/catch.ts, DebugSession.addCatchpoint /
 * syscallReturned): names checked against the module's WASI imports; a
 * caught WASI call stops right after it returns, before the caller's next
 * instruction, at the same place in debug and native-debug mode; after the
 * stop nothing keeps stepping and native-debug runs compiled again; a WASI
 * call that throws (proc_exit) never stops.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decode, hooks, validate, type Module } from '../../../interpreter/index.js';
import { DebugSession, dwarfFromModule, type StoppedEvent } from '../../../debug/index.js';
import { resolveSyscalls } from '../../../debug/session/catch.js';
import { instantiateSync } from '../../../runtime/api/api.js';
import type { WasmflipInstance } from '../../../runtime/api/instance.js';
import { InterpreterTarget } from '../../../runtime/debug-target.js';
import { observeReturns, WASI_MODULE, WasiExit, type WasiHost } from '../../../runtime/wasi/index.js';
import { wat } from '../../runtime/wat.js';

const PROG = wat(`(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "log" (func $log (param i32)))
  (func $leaf (result i32)
    (call $log (i32.const 0))
    (i32.add (call $write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 1)))
  (func $twice (export "twice") (result i32)
    (local $acc i32)
    (local.set $acc (call $leaf))
    (local.set $acc (i32.add (local.get $acc) (call $leaf)))
    (local.get $acc))
  (func (export "bye") (call $exit (i32.const 3))))`);

const LEAF = 3; // three imports come first

function moduleOf(bytes: Uint8Array): Module {
  const m = decode(bytes);
  validate(m);
  return m;
}

interface Seen { syscall: string | undefined; ids: readonly number[]; frames: { funcIndex: number; pc: number; depth: number }[]; stepping: boolean }

let target: InterpreterTarget | undefined;
afterEach(() => { target?.uninstall(); target = undefined; });

/** PROG in `mode` with a session attached, WASI functions wrapped as the CLI wraps them; `setup` sets catchpoints. */
function start(mode: 'debug' | 'native-debug', setup: (s: DebugSession) => void) {
  const module = moduleOf(PROG);
  const stops: Seen[] = [];
  const session = new DebugSession(module, dwarfFromModule(module).dwarf, {
    stopped: (e: StoppedEvent) => {
      stops.push({ syscall: e.syscall, ids: e.hitBreakpointIds, stepping: hooks.stepping, frames: session.frames().map((f) => ({ funcIndex: f.wasm.funcIndex, pc: f.wasm.pc, depth: f.wasm.depth })) });
    },
    output: () => {},
  });
  setup(session);
  const fake: WasiHost = {
    resolve: (_m, n) => (n === 'fd_write' ? () => 7 : (code: number) => { throw new WasiExit(code); }),
    bind: () => {},
    flush: () => {},
  };
  const wasi = observeReturns(fake, (name) => session.syscallReturned(name));
  const imports = {
    [WASI_MODULE]: { fd_write: wasi.resolve(WASI_MODULE, 'fd_write'), proc_exit: wasi.resolve(WASI_MODULE, 'proc_exit') },
    env: { log: () => {} },
  };
  const { instance } = instantiateSync(PROG, imports, { mode }) as { instance: WasmflipInstance };
  target = new InterpreterTarget(instance.state, instance.nativeDebug);
  target.install();
  session.attach(target);
  return { session, stops, instance, twice: instance.exports['twice'] as () => number, bye: instance.exports['bye'] as () => void };
}

describe('catch syscall names', () => {
  const module = moduleOf(PROG);

  it('accepts the WASI functions the module imports, each once, and none for any', () => {
    expect(resolveSyscalls(module, ['fd_write', 'proc_exit', 'fd_write'])).toEqual(['fd_write', 'proc_exit']);
    expect(resolveSyscalls(module, [])).toEqual([]);
  });

  it('refuses a name that is no WASI function, naming the imported ones', () => {
    expect(resolveSyscalls(module, ['fd_write', 'nosuch'])).toBe("Unknown syscall name 'nosuch': not a WASI preview1 function (the program's WASI imports: fd_write, proc_exit).");
    expect(resolveSyscalls(module, ['log'])).toMatch(/^Unknown syscall name 'log': not a WASI preview1 function/);
  });

  it('refuses a WASI function the module does not import', () => {
    expect(resolveSyscalls(module, ['fd_read'])).toBe("Unknown syscall name 'fd_read': the program does not import it (the program's WASI imports: fd_write, proc_exit).");
  });

  it('refuses every catchpoint in a module without WASI imports', () => {
    expect(resolveSyscalls(moduleOf(wat('(module (func (export "f")))')), [])).toBe('No syscall to catch: the program imports no WASI functions.');
  });
});

describe('catch syscall stops', () => {
  for (const mode of ['debug', 'native-debug'] as const) {
    it(`stops in ${mode} mode right after each caught call returns, in its Wasm caller, with every frame`, () => {
      let id = 0;
      const { stops, twice } = start(mode, (s) => { const bp = s.addCatchpoint(['fd_write']); if (typeof bp !== 'string') id = bp.id; });
      expect(twice()).toBe(16);
      expect(stops.length).toBe(2);
      for (const st of stops) {
        expect(st.syscall).toBe('fd_write');
        expect(st.ids).toEqual([id]);
        expect(st.frames.map((f) => f.funcIndex)).toEqual([LEAF, LEAF + 1]);
        expect(st.frames[0]!.depth).toBe(1);
      }
      // The pc is past the call: the `i32.const 1` after it.
      const body = moduleOf(PROG).funcs[LEAF - 3]!.body;
      const call = body.indexOf(body.filter((i) => i.op === 'call')[1]!);
      expect(body[call + 1]!.op).toBe('i32.const');
      expect(stops[0]!.frames[0]!.pc).toBe(body[call + 1]!.offset);
    });
  }

  it('shows the same stops in both modes', () => {
    const a = start('debug', (s) => { s.addCatchpoint([]); });
    a.twice();
    target!.uninstall();
    const b = start('native-debug', (s) => { s.addCatchpoint([]); });
    b.twice();
    expect(b.stops).toEqual(a.stops);
  });

  it('leaves no stepping on after the stop: native-debug runs compiled again and deopts no more', () => {
    const { session, stops, instance, twice } = start('native-debug', (s) => { s.addCatchpoint(['fd_write']); });
    expect(twice()).toBe(16);
    expect(stops.length).toBe(2);
    expect(hooks.stepping).toBe(false);
    const leaf = instance.state.funcs[LEAF]!;
    expect(leaf.kind === 'wasm' && leaf.compiled).toBeTypeOf('function');
    expect(instance.nativeDebug!.flag[0]).toBe(0);
    const deopts = instance.deopt!.deopts;
    expect(deopts).toBeGreaterThan(0);
    session.setEnabled(session.breakpoints()[0]!.id, false);
    expect(twice()).toBe(16);
    expect(stops.length).toBe(2);
    expect(instance.deopt!.deopts).toBe(deopts);
  });

  it('honours disable, delete and ignore counts', () => {
    const { session, stops, twice } = start('debug', (s) => { s.addCatchpoint(['fd_write']); });
    const bp = session.breakpoints()[0]!;
    bp.ignoreCount = 1;
    twice();
    expect(stops.length).toBe(1);
    expect(bp.hitCount).toBe(2);
    session.setEnabled(bp.id, false);
    twice();
    expect(stops.length).toBe(1);
    session.setEnabled(bp.id, true);
    session.deleteBreakpoint(bp.id);
    twice();
    expect(stops.length).toBe(1);
  });

  it('stops only where its condition holds, read at the stop (the call\'s result is on the caller\'s stack)', () => {
    const run = (condition: string) => {
      const { stops, twice, session } = start('native-debug', (s) => { const bp = s.addCatchpoint(['fd_write']); if (typeof bp !== 'string') bp.condition = condition; });
      twice();
      target!.uninstall();
      return { stops: stops.length, hits: session.breakpoints()[0]!.hitCount };
    };
    expect(run('$stack0 == 7')).toEqual({ stops: 2, hits: 2 });
    expect(run('$stack0 == 8')).toEqual({ stops: 0, hits: 0 });
  });

  it('never stops for a call that does not return (proc_exit)', () => {
    const { stops, bye } = start('native-debug', (s) => { s.addCatchpoint(['proc_exit']); });
    expect(() => bye()).toThrow(WasiExit);
    expect(stops).toEqual([]);
  });
});
