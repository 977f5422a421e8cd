/**
 * DAP scopes and variables by handle: each stop gets fresh handles
 * (`variablesReference`), one per expandable thing — a scope (Locals,
 * Arguments, Globals, Registers) or a value with children (struct members,
 * array elements, a pointer's target). A handle is a thunk, so nothing is
 * read until the client expands it.
 *
 * Invariant: handles are valid only during the stop that made them
 * (`reset` runs when the program resumes); 0 means "no children".
 */
import { typeName } from '../dwarf/index.js';
import { frameVariables, readMemory, readVariable, type SourceFrame } from './frames.js';
import type { Format } from './format.js';
import type { DebugTarget } from './target.js';
import { isPointer, scalarOf, sizeOf, strip, targetOf, type CValue } from './values.js';
import type { Dwarf } from '../dwarf/index.js';

export interface DapScope {
  readonly name: 'Locals' | 'Arguments' | 'Globals' | 'Registers';
  readonly variablesReference: number;
  readonly expensive: boolean;
}

export interface DapVariable {
  readonly name: string;
  readonly value: string;
  readonly type: string;
  readonly variablesReference: number;
  /** The value's address in linear memory (DAP memoryReference), when it has one. */
  readonly memoryReference?: string;
}

export class VariableHandles {
  private thunks: (() => DapVariable[])[] = [];

  constructor(private readonly format: (v: CValue, f: Format) => string) {}

  reset(): void { this.thunks = []; }

  private add(thunk: () => DapVariable[]): number {
    this.thunks.push(thunk);
    return this.thunks.length;
  }

  variables(ref: number): DapVariable[] {
    return this.thunks[ref - 1]?.() ?? [];
  }

  scopes(dwarf: Dwarf, target: DebugTarget, frame: SourceFrame): DapScope[] {
    const vars = (kind: 'parameter' | 'variable') => () => frameVariables(dwarf, frame, kind).map((v) => {
      const val = readVariable(dwarf, target, frame, v);
      return typeof val === 'string' ? { name: v.name ?? '?', value: val, type: v.typeName, variablesReference: 0 } : this.variable(v.name ?? '?', val, target);
    });
    const globals = () => dwarf.globals().filter((g) => g.name !== undefined && g.location).slice(0, 500).map((g) => {
      const val = readVariable(dwarf, target, frame, g);
      return typeof val === 'string' ? { name: g.name!, value: val, type: g.typeName, variablesReference: 0 } : this.variable(g.name!, val, target);
    });
    const registers = (): DapVariable[] => {
      const wf = frame.wasm;
      const out: DapVariable[] = [{ name: '$pc', value: `0x${wf.pc.toString(16)}`, type: 'i32', variablesReference: 0 }];
      wf.localTypes.forEach((t, i) => out.push({ name: `$local${i}`, value: String(wf.local(i)), type: t, variablesReference: 0 }));
      wf.stack().forEach((e, i) => out.push({ name: `$stack${i}`, value: String(e.value), type: e.type, variablesReference: 0 }));
      for (let i = 0; i < target.globalCount(); i++) { const g = target.global(i)!; out.push({ name: `$global${i}`, value: String(g.value), type: g.type, variablesReference: 0 }); }
      return out;
    };
    return [
      { name: 'Locals', variablesReference: this.add(vars('variable')), expensive: false },
      { name: 'Arguments', variablesReference: this.add(vars('parameter')), expensive: false },
      { name: 'Globals', variablesReference: this.add(globals), expensive: true },
      { name: 'Registers', variablesReference: this.add(registers), expensive: false },
    ];
  }

  /** One value, with a handle for its children when it has some. */
  variable(name: string, v: CValue, target: DebugTarget): DapVariable {
    const s = strip(v.type);
    let ref = 0;
    if (s.kind === 'struct' || s.kind === 'class' || s.kind === 'union') {
      ref = this.add(() => s.members.map((m) => {
        const bytes = v.bytes.subarray(m.offset, m.offset + sizeOf(m.type));
        const lv = v.lvalue?.kind === 'memory' ? { kind: 'memory' as const, address: v.lvalue.address + m.offset } : undefined;
        return this.variable(m.name ?? '<anonymous>', lv ? { type: m.type, bytes, lvalue: lv } : { type: m.type, bytes }, target);
      }));
    } else if (s.kind === 'array') {
      const el = targetOf(s)!, es = sizeOf(el), count = Math.min(s.dims[0] ?? 0, 1000);
      ref = this.add(() => Array.from({ length: count }, (_, i) => {
        const bytes = v.bytes.subarray(i * es, (i + 1) * es);
        const lv = v.lvalue?.kind === 'memory' ? { kind: 'memory' as const, address: v.lvalue.address + i * es } : undefined;
        return this.variable(`[${i}]`, lv ? { type: el, bytes, lvalue: lv } : { type: el, bytes }, target);
      }));
    } else if (isPointer(s)) {
      const t = targetOf(s)!;
      const address = Number(scalarOf(v));
      if (address !== 0 && strip(t).kind !== 'void' && sizeOf(t) > 0) {
        ref = this.add(() => {
          try { return [this.variable(`*${name}`, { type: t, bytes: readMemory(target, address, sizeOf(t)), lvalue: { kind: 'memory', address } }, target)]; }
          catch (e) { return [{ name: `*${name}`, value: `<error: ${(e as Error).message}>`, type: typeName(t), variablesReference: 0 }]; }
        });
      }
    }
    const base = { name, value: this.format(v, 'natural'), type: typeName(v.type), variablesReference: ref };
    return v.lvalue?.kind === 'memory' ? { ...base, memoryReference: `0x${v.lvalue.address.toString(16)}` } : base;
  }
}
