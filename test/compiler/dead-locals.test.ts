/**
 * The dead-locals pass (compiler/passes/dead-locals.ts): which locals
 * checkpointed code zeroes before each trap site and call. A local is zeroed
 * only where no path reads it before writing it again, once per write, never
 * while a pending operand still reads it, never when it is kept; and code
 * that zeroes every dead local still computes what V8 computes, through
 * forced deopts at every checkpoint (the interpreter then reads the zeroed
 * frames) as the interpreter computes from the start.
 */
import { describe, expect, it } from 'vitest';
import { blockStructure, decode, validate } from '../../interpreter/index.js';
import { deadLocalZeroing } from '../../compiler/passes/dead-locals.js';
import { mayTrap } from '../../compiler/passes/checkpoints.js';
import { compile as compileModule, type CompileOptions } from '../../compiler/index.js';
import { instantiateSync } from '../../runtime/index.js';
import { SEC, T, codeEntry, funcType, module, name, section, sleb, vec } from '../helpers/wasm-builder.js';

type Bytes = readonly number[];
const get = (k: number): Bytes => [0x20, k];
const set = (k: number): Bytes => [0x21, k];
const tee = (k: number): Bytes => [0x22, k];
const i32 = (v: number): Bytes => [0x41, ...sleb(v)];
const load: Bytes = [0x28, 2, 0]; // i32.load (a trap site)
const store: Bytes = [0x36, 2, 0];
const add: Bytes = [0x6a];
const drop: Bytes = [0x1a];
const block: Bytes = [0x02, 0x40], loop: Bytes = [0x03, 0x40], iff: Bytes = [0x04, 0x40], els: Bytes = [0x05], end: Bytes = [0x0b];
const br = (d: number): Bytes => [0x0c, d];
const brIf = (d: number): Bytes => [0x0d, d];

/** One function (param i32) (result i32) with `locals` more i32s over one memory, exported as "f". */
function oneFunc(locals: number, body: Bytes): Uint8Array {
  return module(
    section(SEC.type, vec([funcType([T.i32], [T.i32])])),
    section(SEC.function, vec([[0]])),
    section(SEC.memory, vec([[0x00, 1]])),
    section(SEC.export, vec([[...name('f'), 0x00, 0]])),
    section(SEC.code, vec([codeEntry(locals > 0 ? [[locals, T.i32]] : [], [...body, 0x0b])])),
  );
}

/** The zeroings of `body` as `op@index: locals` lines (the function has 1 parameter and `locals` locals). */
function zeroings(locals: number, body: Bytes, kept: ReadonlySet<number> = new Set()): string[] {
  const m = decode(oneFunc(locals, body));
  validate(m);
  const f = m.funcs[0]!;
  const at = deadLocalZeroing(f, blockStructure(f), 1, 1 + locals, (ins) => ins.op === 'call' || mayTrap(ins.op), kept);
  return [...at].sort((a, b) => a[0] - b[0]).map(([i, ks]) => `${f.body[i]!.op}@${i}: ${ks.join(' ')}`);
}

describe('dead locals: where each is zeroed', () => {
  it('a local last read before a trap site is zeroed there; one read after it is not', () => {
    // l1 = p + 1; l2 = l1; (load l2 → drop); return l1 ... l2 is dead at the load's successor, l1 is read at the end
    const body = [...get(0), ...i32(1), ...add, ...set(1), ...get(1), ...set(2), ...i32(0), ...load, ...drop, ...get(2), ...drop, ...i32(4), ...load, ...drop, ...get(1)];
    // At the first load: the parameter and l2's... l2 is read after it, l1 too; the parameter is dead.
    // At the second load: l2 is dead now (read just before, no longer pending: drop consumed it).
    expect(zeroings(2, body)).toEqual(['i32.load@7: 0', 'i32.load@12: 2']);
  });

  it('a local still read by a pending operand is zeroed at the next site instead', () => {
    // (i32.store (local.get 1) (i32.load (i32.const 0))) then another load: l1 is read by the store's pending address
    const body = [...get(0), ...set(1), ...get(1), ...i32(0), ...load, ...store, ...i32(8), ...load];
    expect(zeroings(1, body)).toEqual(['i32.load@4: 0', 'i32.load@7: 1']);
  });

  it('a local the next loop round reads before writing stays; one each round writes first is zeroed', () => {
    // loop { l1 = l1 + p... } — l1 is read at the top of every round (live around the back edge);
    // l2 is written then read inside the round, dead at the load after its read.
    const body = [
      ...loop,
      ...get(1), ...get(0), ...add, ...set(1), // l1 += p
      ...get(1), ...set(2), ...get(2), ...drop, // l2 = l1; read l2
      ...i32(0), ...load, ...drop, // a site: l2 dead, l1 live (next round), p live (next round)
      ...get(1), ...brIf(0),
      ...end,
      ...get(1),
    ];
    expect(zeroings(2, body)).toEqual(['i32.load@10: 2']);
  });

  it('a local read on one branch of an if after the site is live there', () => {
    // l1 = p; load; if (p) { return l1 } else { } ; i32.const 0
    const body = [...get(0), ...set(1), ...i32(0), ...load, ...drop, ...get(0), ...iff, ...get(1), ...drop, ...els, ...end, ...i32(0), ...load];
    // At the first load p (read by the if) and l1 (read in the then-branch) are live; at the last one neither.
    expect(zeroings(1, body)).toEqual(['i32.load@12: 0 1']);
  });

  it('a branch out of a block carries liveness from the block end, not from the code it skips', () => {
    // block { (load) br_if 0; l1 read } load; l1 read: l1 is live at the first load on both paths, p at neither
    const body = [...get(0), ...set(1), ...block, ...i32(0), ...load, ...brIf(0), ...get(1), ...drop, ...end, ...i32(0), ...load, ...drop, ...get(1)];
    expect(zeroings(1, body)).toEqual(['i32.load@4: 0']);
  });

  it('a zeroed local is not zeroed again until written', () => {
    const body = [...get(0), ...set(1), ...get(1), ...drop, ...i32(0), ...load, ...drop, ...i32(4), ...load, ...drop, ...get(0), ...set(1), ...i32(8), ...load];
    // l1 at the first load only (not again at the second); then p, read last, and l1, written again, at the third.
    expect(zeroings(1, body)).toEqual(['i32.load@5: 1', 'i32.load@13: 0 1']);
  });

  it('kept locals (a debugger shows them by name) and never-written ones are not zeroed', () => {
    const body = [...get(0), ...set(1), ...get(0), ...set(2), ...i32(0), ...load, ...drop, ...i32(0)];
    expect(zeroings(3, body, new Set([1]))).toEqual(['i32.load@5: 0 2']);
  });

  it('after a branch the rest of the block is unreachable and zeroes nothing', () => {
    const body = [...block, ...get(0), ...set(1), ...br(0), ...i32(0), ...load, ...drop, ...end, ...i32(0)];
    expect(zeroings(1, body)).toEqual([]);
  });
});

describe('dead locals: compiled code', () => {
  // sum = 0; i = n; loop { t = i * 3; store(t & 0xfc, i); sum += load((t + 8) & 0xfc); i -= 1; br_if i } return sum + load(0)
  const body = [
    ...i32(0), ...set(1), ...get(0), ...set(2),
    ...loop,
    ...get(2), ...i32(3), 0x6c, ...set(3), // t = i * 3
    ...get(3), ...i32(0xfc), 0x71, ...get(2), ...store, // store(t & 0xfc, i)
    ...get(1), ...get(3), ...i32(8), ...add, ...i32(0xfc), 0x71, ...load, ...add, ...set(1), // sum += load((t + 8) & 0xfc)
    ...get(2), ...i32(1), 0x6b, ...tee(2), ...brIf(0),
    ...end,
    ...get(1), ...i32(0), ...load, ...add,
  ];
  const bytes = oneFunc(3, body);

  it('zeroes dead locals in the emitted text only when asked', () => {
    const m = decode(bytes);
    validate(m);
    // The body without the declarations line (`let l1 = 0, l2 = 0, l3 = 0;`).
    const compile = (options: CompileOptions): string => compileModule(m, options).js.replace(/^ let .*$/gm, '');
    // The parameter is dead once copied to l2; l2 and l3 after the loop (the sum l1 is read to the end).
    expect(compile({ sourceMap: false, checkpoints: 'traps' })).not.toMatch(/\bl0 = 0;|\bl3 = 0;/);
    const zeroed = compile({ sourceMap: false, checkpoints: 'traps', zeroDeadLocals: true });
    expect(zeroed).toMatch(/\bl0 = 0;\n\s*dv\.setInt32/);
    expect(zeroed).toMatch(/\}\n\s*s0 = 0; s1 = 0; l2 = 0; l3 = 0;\n\s*s1 = dv\.getInt32\(0, true\);/);
    const kept = compile({ sourceMap: false, checkpoints: 'traps', zeroDeadLocals: () => new Set([0, 3]) });
    expect(kept).not.toMatch(/\bl0 = 0;|\bl3 = 0;/);
    expect(kept).toMatch(/\bl2 = 0;/);
  });

  it('zeroing every dead local changes no result through a deopt at every checkpoint', () => {
    for (const every of [1, 2, 3]) {
      const want = instantiateSync(bytes, {}, { mode: 'debug' }).instance.exports['f'] as (n: number) => number;
      const { instance } = instantiateSync(bytes, {}, { mode: 'native-debug', deoptEvery: every });
      const f = instance.exports['f'] as (n: number) => number;
      for (const n of [1, 2, 5, 40, 100]) expect(f(n), `n=${n}, every=${every}`).toBe(want(n));
    }
  });
});
