/**
 * The locals DWARF names (runtime/api/dwarf-locals.ts), which native-debug
 * keeps while dead: at every instruction of every function, each variable in
 * scope whose location there reads a local (and each frame base) names a
 * local in the function's set; a module without DWARF gets no set at all,
 * so nothing is zeroed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, validate } from '../../interpreter/index.js';
import { dwarfLocals } from '../../runtime/api/dwarf-locals.js';
import { decodeExpression, dwarfFromModule, locationAt } from '../../debug/dwarf/index.js';
import { DW_OP } from '../../debug/dwarf/expr.js';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(__dirname, '../fixtures', name)));

/** The locals a DWARF expression reads through DW_OP_WASM_location 0x0 N. */
function localsOf(expr: Uint8Array): number[] {
  return decodeExpression(expr).filter((op) => op.code === DW_OP.WASM_location && op.operands[0]!.value === 0n).map((op) => Number(op.operands[1]!.value));
}

describe('locals named by DWARF', () => {
  for (const file of ['debugger/prog-O0.wasm', 'debugger/prog-O2.wasm', 'dwarf/shapes-O2-dwarf5.wasm', 'dwarf/withlibc-O2-dwarf5.wasm']) {
    it(`${file}: every local a variable or frame base reads at some instruction is in its function's set`, () => {
      const module = decode(fixture(file));
      validate(module);
      const named = dwarfLocals(module)!;
      expect(named).toBeDefined();
      const { dwarf } = dwarfFromModule(module);
      let checked = 0;
      module.funcs.forEach((f, k) => {
        const fi = module.importedFuncCount + k;
        const set = named(fi);
        const at = dwarf.findFunction(f.body[0]!.offset);
        if (at !== null && at.function.tag === 'subprogram') {
          const base = dwarf.frameBase(at.function.offset);
          if (base !== null) for (const l of localsOf(base)) expect(set.has(l), `frame base local ${l} of func ${fi}`).toBe(true);
        }
        for (const ins of f.body) {
          for (const v of dwarf.variablesAt(ins.offset)) {
            const expr = locationAt(v.location, ins.offset);
            if (expr === null) continue;
            for (const l of localsOf(expr)) {
              checked++;
              expect(set.has(l), `${v.name ?? '?'} in local ${l} at 0x${ins.offset.toString(16)} (func ${fi})`).toBe(true);
            }
          }
        }
      });
      if (!file.includes('O0')) expect(checked).toBeGreaterThan(0);
    });
  }

  it('a module without DWARF gets no set (native-debug then keeps every local)', () => {
    const module = decode(readFileSync(resolve(__dirname, '../../bench/kernels/vm.wasm')));
    expect(dwarfLocals(module)).toBeUndefined();
  });
});
