/**
 * The Wasm locals a module's DWARF names, by function: every local that a
 * variable's or parameter's location (single expression, location list
 * entry or default) or a subprogram's frame base reads through
 * `DW_OP_WASM_location 0x0 N`. Checkpointed code keeps these while they are
 * dead and zeroes the other dead locals (compiler/passes/dead-locals.ts), so
 * a debugger still shows every source variable as the interpreter would.
 *
 * Invariant: the answer never misses a local DWARF names; when the DWARF
 * cannot be read it is `undefined` and the caller zeroes nothing.
 */
import type { Module } from '../../interpreter/core.js';
import type { Dwarf } from '../../debug/dwarf/dwarf.js';
import { DW_TAG } from '../../debug/dwarf/constants.js';
import { DW_OP, decodeExpression } from '../../debug/dwarf/expr.js';
import { dwarfFromModule } from '../../debug/dwarf/module.js';
import type { Range } from '../../debug/dwarf/ranges.js';
import type { Scope } from '../../debug/dwarf/scopes.js';
import { CodeMap } from '../../debug/session/code-map.js';

const NONE: ReadonlySet<number> = new Set();

/** The locals DWARF names in each function (by function index), or undefined without readable DWARF. */
export function dwarfLocals(module: Module): ((funcIndex: number) => ReadonlySet<number>) | undefined {
  if (!module.customs.some((c) => c.name === '.debug_info')) return undefined;
  try {
    const { dwarf } = dwarfFromModule(module);
    if (!dwarf.hasDebugInfo) return undefined;
    const byFunc = collect(module, dwarf);
    if (dwarf.errors.length > 0) return undefined;
    return (funcIndex) => byFunc.get(funcIndex) ?? NONE;
  } catch {
    return undefined;
  }
}

function collect(module: Module, dwarf: Dwarf): Map<number, Set<number>> {
  const code = new CodeMap(module);
  const byFunc = new Map<number, Set<number>>();
  const note = (expr: Uint8Array, addressSize: number, ranges: readonly Range[]): void => {
    for (const op of decodeExpression(expr, addressSize)) {
      if (op.code !== DW_OP.WASM_location || op.operands[0]!.value !== 0n) continue;
      const local = Number(op.operands[1]!.value);
      for (const r of ranges) {
        const f = code.funcAt(r.begin);
        if (f < 0) continue;
        let set = byFunc.get(f);
        if (set === undefined) byFunc.set(f, (set = new Set()));
        set.add(local);
      }
    }
  };
  for (const unit of dwarf.units()) {
    const scopes = dwarf.scopes(unit);
    if (scopes === null) continue;
    const walk = (s: Scope, inherited: readonly Range[]): void => {
      const ranges = s.ranges.length > 0 ? s.ranges : inherited;
      if (s.tag === DW_TAG.subprogram) {
        const base = dwarf.frameBase(s.offset);
        if (base !== null) note(base, unit.addressSize, ranges);
      }
      if (ranges.length > 0) {
        for (const v of s.variables) {
          const loc = dwarf.variable(v, s.offset).location;
          if (loc === undefined) continue;
          if (loc.kind === 'expr') note(loc.expr, unit.addressSize, ranges);
          else {
            for (const e of loc.entries) note(e.expr, unit.addressSize, [e]);
            if (loc.defaultExpr !== undefined) note(loc.defaultExpr, unit.addressSize, ranges);
          }
        }
      }
      for (const c of s.children) walk(c, ranges);
    };
    walk(scopes.root, []);
  }
  return byFunc;
}
