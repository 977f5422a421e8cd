/**
 * The debugger core driven directly (DAP vocabulary, no console): a WASI C
 * program (test/fixtures/debugger/prog.c at -O0 and -O2) runs in the
 * interpreter with a DebugSession attached; each test scripts its stops.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, instantiate, invoke, validate, type Instance, type Module } from '../../../interpreter/index.js';
import { DebugSession, dwarfFromModule, type StoppedEvent } from '../../../debug/index.js';
import { InterpreterTarget } from '../../../runtime/debug-target.js';
import { createWasiHost, WasiExit } from '../../../runtime/wasi/index.js';
import type { EngineInstance } from '../../../runtime/spectest/index.js';

const dir = resolve(__dirname, '../../fixtures/debugger');
const modules = new Map<string, Module>();
function load(name: string): Module {
  let m = modules.get(name);
  if (!m) { m = decode(new Uint8Array(readFileSync(resolve(dir, name)))); validate(m); modules.set(name, m); }
  return m;
}

/** Runs prog with `onStop` answering each stop; returns the program's output and the stops seen. */
function debug(file: string, setup: (s: DebugSession) => void, onStop: (s: DebugSession, e: StoppedEvent, n: number) => void, args: string[] = []) {
  const module = load(file);
  let out = '';
  const stops: StoppedEvent[] = [];
  const session = new DebugSession(module, dwarfFromModule(module).dwarf, {
    stopped: (e) => { stops.push(e); onStop(session, e, stops.length); },
    output: (t) => { out += t; },
  }, { hasSource: (f) => f?.endsWith('prog.c') === true });
  setup(session);
  const io = { out: (t: string) => { out += t; }, err: (t: string) => { out += t; } };
  const wasi = createWasiHost({ args: ['prog', ...args], io });
  const inst: Instance = instantiate(module, (m, n) => wasi.resolve(m, n));
  wasi.bind({ exportValue: (n: string) => inst.exports.get(n) } as unknown as EngineInstance);
  const target = new InterpreterTarget(inst);
  target.install();
  session.attach(target);
  let error: unknown;
  try {
    const ex = inst.exports.get('_start')!;
    if (ex.kind === 'func') invoke(ex.value, []);
  } catch (e) {
    if (!(e instanceof WasiExit)) error = e;
  } finally {
    wasi.flush();
    session.detach();
    target.uninstall();
  }
  return { out, stops, error };
}

const where = (s: DebugSession) => { const f = s.frames()[0]!; return `${f.name}:${f.line}`; };

describe('DebugSession on the interpreter', () => {
  it('binds breakpoints set before instantiation and reports their ids', () => {
    let bpId = 0;
    const seen: string[] = [];
    const { stops } = debug('prog-O0.wasm', (s) => { const bp = s.addBreakpoint('fact'); if (typeof bp !== 'string') bpId = bp.id; },
      (s, e) => { seen.push(where(s)); expect(e.hitBreakpointIds).toEqual([bpId]); s.continue(); });
    expect(stops.map((e) => e.reason)).toEqual(Array(5).fill('breakpoint'));
    expect(seen).toEqual(Array(5).fill('fact:40'));
  });

  it('gives each recursion frame its own values', () => {
    const ns: bigint[][] = [];
    debug('prog-O0.wasm', (s) => s.addBreakpoint('fact', { condition: 'n == 1' }), (s) => {
      const facts = s.frames().filter((f) => f.name === 'fact');
      ns.push(facts.map((f) => s.evaluate('n', f.index)).map((v) => BigInt(new DataView(v.bytes.buffer, v.bytes.byteOffset).getInt32(0, true))));
      s.continue();
    });
    expect(ns).toEqual([[1n, 2n, 3n, 4n, 5n]]);
  });

  it('offers scopes and variables by handle, with struct members as children', () => {
    debug('prog-O0.wasm', (s) => s.addBreakpoint('prog.c:56'), (s) => {
      const scopes = s.scopes(0);
      expect(scopes.map((x) => x.name)).toEqual(['Locals', 'Arguments', 'Globals', 'Registers']);
      const locals = s.variables(scopes[0]!.variablesReference);
      const box = locals.find((v) => v.name === 'box')!;
      expect(box.type).toBe('shape');
      const members = s.variables(box.variablesReference);
      expect(members.map((m) => m.name)).toEqual(['name', 'pts', 'npts']);
      const pts = s.variables(members[1]!.variablesReference);
      expect(pts[2]!.value).toBe('{x = 2, y = 2}');
      const args = s.variables(scopes[1]!.variablesReference);
      expect(args.map((a) => `${a.name}=${a.value}`)[0]).toBe('argc=1');
      s.continue();
    });
  });

  it('steps over a call without stopping inside it, then into it', () => {
    const lines: string[] = [];
    debug('prog-O0.wasm', (s) => s.addBreakpoint('prog.c:56'), (s, e, n) => {
      lines.push(`${e.reason} ${where(s)}`);
      if (n === 1) s.next();
      else if (n === 2) s.next();
      else if (n === 3) s.stepIn();
      else s.continue();
    });
    expect(lines).toEqual(['breakpoint main:56', 'step main:57', 'step main:58', 'step fact:40']);
  });

  it('shows inlined calls as frames at -O2 and finishes out of one', () => {
    const seen: string[][] = [];
    debug('prog-O2.wasm', (s) => s.addBreakpoint('sq'), (s, e, n) => {
      seen.push(s.frames().slice(0, 4).map((f) => `${f.name}${f.inlined ? '*' : ''}`));
      if (n === 1) { s.selected = 1; s.stepOut(); } else s.continue();
      void e;
    });
    expect(seen[0]).toEqual(['sq*', 'dist2*', 'perimeter2*', 'main']);
    expect(seen[1]![0]).not.toBe('dist2*');
  });

  it('stops at a trap with every frame inspectable', () => {
    const { stops, error } = debug('prog-O0.wasm', () => {}, (s) => {
      expect(s.frames().map((f) => f.name).slice(0, 2)).toEqual(['divide', 'main']);
      expect(s.format(s.evaluate('b'), 'natural')).toBe('0');
      expect(s.format(s.evaluate('limit', 1), 'natural')).toBe('6');
      s.continue();
    }, ['0']);
    expect(stops.map((e) => e.reason)).toEqual(['exception']);
    expect(stops[0]!.text).toMatch(/integer divide by zero/);
    expect(String(error)).toMatch(/integer divide by zero/);
  });

  it('stops a write watchpoint when the value changes and reports old and new', () => {
    const changes: string[] = [];
    debug('prog-O0.wasm', (s) => s.addBreakpoint('perimeter2'), (s, e) => {
      if (e.reason === 'breakpoint') { const w = s.addWatchpoint('g_counter', 'watch'); expect(typeof w).not.toBe('string'); }
      else changes.push(`${e.watch!.old}->${e.watch!.value}`);
      s.continue();
    });
    expect(changes).toEqual(['0->1', '1->2', '2->3', '3->4']);
  });

  it('prints logpoints instead of stopping, and set var changes what the program prints', () => {
    const { out, stops } = debug('prog-O0.wasm', (s) => {
      s.addBreakpoint('prog.c:34', { log: { format: 'i=%d\n', args: ['i'] } });
      s.addBreakpoint('prog.c:59');
    }, (s) => { s.evaluate('f = 7'); s.continue(); });
    expect(stops).toHaveLength(1);
    expect(out).toContain('i=0\ni=1\ni=2\ni=3\n');
    expect(out).toContain('fact(5) = 7');
  });
});
