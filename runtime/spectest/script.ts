/**
 * Runs one wast2json script (`<name>.json`) against an engine, command by
 * command, the way the spec's own runner (interpreter/script/run.ml) does:
 * modules become "current" (and named ones addressable), `register` makes a
 * module importable under a name, actions and assertions run against them.
 *
 * Invariants: every file starts with a fresh `spectest` module, an empty
 * registry and fresh extern references; no command can abort the script (an
 * unexpected exception is that command's failure); a command that depends on
 * a module that failed to load fails with a pointer to that module's line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassifiedError, EngineInstance, FailureKind, SpecEngine } from './engine.js';
import { spectestExports } from './host.js';
import { ExternRefs, argValue, matches, showExpected, showGot, type SpecValue } from './values.js';

export type Status = 'passed' | 'failed' | 'skipped';

export interface CommandOutcome {
  readonly line: number;
  readonly type: string;
  readonly status: Status;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

interface Action {
  readonly type: 'invoke' | 'get';
  readonly module?: string;
  readonly field: string;
  readonly args?: readonly SpecValue[];
}

interface Command {
  readonly type: string;
  readonly line: number;
  readonly filename?: string;
  readonly name?: string;
  readonly as?: string;
  readonly module_type?: string;
  readonly text?: string;
  readonly action?: Action;
  readonly expected?: readonly SpecValue[];
}

/** A module command's result: an instance, or why it has none. */
type Loaded = { readonly instance: EngineInstance } | { readonly failedAt: number; readonly why: string };

/** What each assertion on a module expects. */
const MODULE_ASSERTS: Readonly<Record<string, FailureKind>> = {
  assert_malformed: 'malformed',
  assert_invalid: 'invalid',
  assert_unlinkable: 'unlinkable',
  assert_uninstantiable: 'trap',
};

const ACTION_ASSERTS: Readonly<Record<string, FailureKind>> = {
  assert_trap: 'trap',
  assert_exhaustion: 'exhaustion',
};

/** Thrown inside a command to end it with a status (not an error of the engine). */
class Outcome {
  constructor(readonly status: Status, readonly reason?: string) {}
}

/** Reads `<dir>/<name>.json` and runs it; a script that cannot be read is one failed command. */
export function runScriptFile(dir: string, name: string, engine: SpecEngine): CommandOutcome[] {
  let commands: Command[];
  try {
    commands = (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { commands: Command[] }).commands;
  } catch (e) {
    return [{ line: 0, type: 'script', status: 'failed', reason: `cannot read ${name}.json: ${describe(e)}` }];
  }
  return new Script(dir, engine).run(commands);
}

export class Script {
  private current: Loaded | undefined;
  private readonly named = new Map<string, Loaded>();
  private readonly registry = new Map<string, { exportValue(name: string): unknown }>();
  private readonly refs = new ExternRefs();

  constructor(private readonly dir: string, private readonly engine: SpecEngine) {
    const host = spectestExports();
    this.registry.set('spectest', { exportValue: (n) => host.get(n) });
  }

  run(commands: readonly Command[]): CommandOutcome[] {
    return commands.map((c) => {
      let o: Outcome;
      try {
        o = this.command(c);
      } catch (e) {
        o = e instanceof Outcome ? e : new Outcome('failed', `unexpected error: ${describe(e)}`);
      }
      return o.reason === undefined ? { line: c.line, type: c.type, status: o.status } : { line: c.line, type: c.type, status: o.status, reason: o.reason };
    });
  }

  private command(c: Command): Outcome {
    const moduleKind = MODULE_ASSERTS[c.type];
    if (moduleKind !== undefined) return this.assertModule(c, moduleKind);
    const actionKind = ACTION_ASSERTS[c.type];
    if (actionKind !== undefined) return this.assertActionFails(c, actionKind);
    switch (c.type) {
      case 'module': return this.module(c);
      case 'register': return this.register(c);
      case 'action': this.act(c); return new Outcome('passed');
      case 'assert_return': return this.assertReturn(c);
      default: return new Outcome('failed', `unknown command type ${JSON.stringify(c.type)}`);
    }
  }

  private module(c: Command): Outcome {
    let loaded: Loaded;
    let outcome: Outcome;
    try {
      loaded = { instance: this.engine.instantiate(this.compile(c), (m, n) => this.registry.get(m)?.exportValue(n)) };
      outcome = new Outcome('passed');
    } catch (e) {
      if (e instanceof Outcome) throw e;
      const why = this.explain(e);
      loaded = { failedAt: c.line, why };
      outcome = new Outcome('failed', `module ${c.filename ?? ''} failed to load: ${why}`);
    }
    this.current = loaded;
    if (c.name !== undefined) this.named.set(c.name, loaded);
    return outcome;
  }

  private register(c: Command): Outcome {
    const inst = this.instanceOf(c.name);
    this.registry.set(c.as ?? '', inst);
    return new Outcome('passed');
  }

  private assertReturn(c: Command): Outcome {
    const got = this.act(c);
    const expected = c.expected ?? [];
    const types = expected.map((e) => e.type);
    if (got.length !== expected.length) {
      return new Outcome('failed', `expected ${expected.length} results (${expected.map(showExpected).join(', ')}), got ${got.length} (${got.map((g, i) => showGot(types[i] ?? '?', g)).join(', ')})`);
    }
    const bad = expected.findIndex((e, i) => !matches(e, got[i], this.refs));
    if (bad < 0) return new Outcome('passed');
    return new Outcome('failed', `result ${bad}: expected ${showExpected(expected[bad]!)}, got ${showGot(types[bad]!, got[bad])}`);
  }

  private assertActionFails(c: Command, want: FailureKind): Outcome {
    let results: unknown[];
    try {
      results = this.act(c);
    } catch (e) {
      if (e instanceof Outcome) throw e;
      return this.expectFailure(want, c.text ?? '', e);
    }
    return new Outcome('failed', `expected ${want} "${c.text}", got results (${results.map((r, i) => showGot(c.expected?.[i]?.type ?? '?', r)).join(', ')})`);
  }

  private assertModule(c: Command, want: FailureKind): Outcome {
    if (c.module_type === 'text') return new Outcome('skipped', 'text-format module');
    try {
      const compiled = this.compile(c);
      if (want === 'malformed' || want === 'invalid') return new Outcome('failed', `expected ${want} "${c.text}", but the module ${want === 'malformed' ? 'decoded' : 'validated'}`);
      this.engine.instantiate(compiled, (m, n) => this.registry.get(m)?.exportValue(n));
    } catch (e) {
      return this.expectFailure(want, c.text ?? '', e);
    }
    return new Outcome('failed', `expected ${want} "${c.text}", but the module instantiated`);
  }

  /** The verdict on an error that was expected to be of kind `want` with a message starting with `text`. */
  private expectFailure(want: FailureKind, text: string, e: unknown): Outcome {
    const got = this.engine.classify(e);
    if (got?.kind === 'unsupported') return new Outcome('skipped', got.text);
    if (got === undefined) return new Outcome('failed', `expected ${want} "${text}", got unexpected error: ${describe(e)}`);
    if (got.kind !== want) return new Outcome('failed', `expected ${want} "${text}", got ${got.kind}: ${got.message}`);
    if (!got.text.startsWith(text)) return new Outcome('failed', `expected ${want} "${text}", got message "${got.message}"`);
    return new Outcome('passed');
  }

  /** Runs the command's action; an engine error other than the asserted one ends the command. */
  private act(c: Command): unknown[] {
    const a = c.action;
    if (a === undefined) throw new Outcome('failed', 'command has no action');
    if (!this.engine.simd && usesV128(c)) throw new Outcome('skipped', 'v128 values (SIMD execution not supported by this engine)');
    const inst = this.instanceOf(a.module);
    try {
      if (a.type === 'get') return [inst.get(a.field)];
      return inst.invoke(a.field, (a.args ?? []).map((v) => argValue(v, this.refs)));
    } catch (e) {
      const kind = this.engine.classify(e)?.kind;
      if (kind === 'unsupported') throw new Outcome('skipped', this.explain(e));
      if (c.type in ACTION_ASSERTS && kind !== undefined) throw e;
      throw new Outcome('failed', `${a.type} ${JSON.stringify(a.field)} failed: ${this.explain(e)}`);
    }
  }

  private compile(c: Command): unknown {
    if (c.filename === undefined) throw new Outcome('failed', 'command has no filename');
    return this.engine.compile(new Uint8Array(readFileSync(join(this.dir, c.filename))));
  }

  /** The instance a command addresses (named, or the current one); a failed load ends the command. */
  private instanceOf(name: string | undefined): EngineInstance {
    const loaded = name === undefined ? this.current : this.named.get(name);
    if (loaded === undefined) throw new Outcome('failed', name === undefined ? 'no module loaded' : `no module named ${name}`);
    if ('failedAt' in loaded) throw new Outcome('failed', `module from line ${loaded.failedAt} failed to load (${loaded.why})`);
    return loaded.instance;
  }

  private explain(e: unknown): string {
    const c: ClassifiedError | undefined = this.engine.classify(e);
    return c === undefined ? `unexpected error: ${describe(e)}` : `${c.kind}: ${c.message}`;
  }
}

function usesV128(c: Command): boolean {
  return [...(c.action?.args ?? []), ...(c.expected ?? [])].some((v) => v.type === 'v128');
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
