/**
 * The debugger's run-time cost on the interpreter tier: each kernel runs in
 * the interpreter alone, then with a debug session attached and nothing
 * active, then with a conditional breakpoint that never fires on the hottest
 * instruction of its hot loop (found by counting executions with the
 * debugger's own single-stepping on the quick input). The kernels have no
 * DWARF, so the breakpoint is `*OFFSET if $pc == 0`: a Wasm-level condition
 * evaluated at every hit. Aims (issue 5): ≤ 1.1x attached, ≤ 2x conditional.
 *
 * `runDebuggerBench()` is what a runner calls; `node dist/bench/debugger.js
 * [--quick]` prints a table.
 */
import { fileURLToPath } from 'node:url';
import { decode, hooks, instantiate, invoke, validate, type Instance, type Module } from '../interpreter/index.js';
import { DebugSession, dwarfFromModule } from '../debug/index.js';
import { InterpreterTarget } from '../runtime/debug-target.js';
import { checksumOf, kernelBytes, loadKernels, type Kernel } from './kernels.js';

export interface DebuggerBenchRow {
  readonly kernel: string;
  readonly n: number;
  /** Best-of wall time in milliseconds. */
  readonly interpreterMs: number;
  readonly attachedMs: number;
  readonly conditionalMs: number;
  /** Code offset of the conditional breakpoint and how often it was evaluated per run. */
  readonly breakpoint: { offset: number; hits: number };
  readonly attachedRatio: number;
  readonly conditionalRatio: number;
}

const KERNELS = ['sieve', 'crc32'];

function setup(kernel: Kernel): { module: Module; inst: Instance } {
  const module = decode(kernelBytes(kernel));
  validate(module);
  return { module, inst: instantiate(module, {}) };
}

function runOnce(inst: Instance, kernel: Kernel, n: number): { ms: number; checksum: string } {
  const ex = inst.exports.get(kernel.export);
  if (ex?.kind !== 'func') throw new Error(`${kernel.name}: no export ${kernel.export}`);
  const t0 = performance.now();
  const [r] = invoke(ex.value, [n]);
  return { ms: performance.now() - t0, checksum: checksumOf(r as number | bigint, kernel.result) };
}

/** The most executed instruction offset on the quick input (the hot loop), by single-stepping. */
function hottestOffset(kernel: Kernel): { funcIndex: number; offset: number } {
  const { inst } = setup(kernel);
  const target = new InterpreterTarget(inst);
  const counts = new Map<number, number>();
  const funcs = new Map<number, number>();
  target.install();
  target.onStop = () => {
    const top = target.top();
    counts.set(top.pc, (counts.get(top.pc) ?? 0) + 1);
    funcs.set(top.pc, top.funcIndex);
  };
  target.setStepping(true, Number.MAX_SAFE_INTEGER);
  try {
    runOnce(inst, kernel, kernel.quickN);
  } finally {
    target.uninstall();
  }
  let hot = -1, most = -1;
  for (const [pc, c] of counts) if (c > most) { most = c; hot = pc; }
  return { funcIndex: funcs.get(hot)!, offset: hot };
}

export function runDebuggerBench(options: { quick?: boolean; repeat?: number } = {}): DebuggerBenchRow[] {
  const repeat = options.repeat ?? (options.quick ? 2 : 5);
  const rows: DebuggerBenchRow[] = [];
  for (const kernel of loadKernels().filter((k) => KERNELS.includes(k.name))) {
    const n = options.quick ? kernel.quickN : Math.max(kernel.quickN, Math.round(kernel.n / 20));
    const plain = setup(kernel);
    const expected = runOnce(plain.inst, kernel, n).checksum;
    const hot = hottestOffset(kernel);
    const attached = setup(kernel);
    const target = new InterpreterTarget(attached.inst);
    const session = new DebugSession(attached.module, dwarfFromModule(attached.module).dwarf, { stopped: () => {}, output: () => {} });
    // Runs alternate (plain, debugged) so JIT and GC drift hit both sides alike.
    let interpreterMs = Infinity, attachedMs = Infinity, conditionalMs = Infinity, plainForCondition = Infinity, evaluations = 0;
    try {
      for (let i = 0; i < repeat; i++) {
        interpreterMs = Math.min(interpreterMs, runOnce(plain.inst, kernel, n).ms);
        target.install();
        session.attach(target);
        try { attachedMs = Math.min(attachedMs, runOnce(attached.inst, kernel, n).ms); } finally { session.detach(); target.uninstall(); }
      }
      const bp = session.addBreakpoint(`*${hot.offset}`, { condition: '$pc == 0' });
      if (typeof bp === 'string') throw new Error(`${kernel.name}: ${bp}`);
      for (let i = 0; i < repeat; i++) {
        plainForCondition = Math.min(plainForCondition, runOnce(plain.inst, kernel, n).ms);
        target.install();
        session.attach(target);
        // The condition is evaluated where the breakpoint is checked: in the pre-check (fused code) or at a stop.
        const decide = target.onStop!;
        target.onStop = (reason, trap) => { evaluations++; decide(reason, trap); };
        const check = target.mayStop!;
        target.mayStop = (from, to) => { evaluations++; return check(from, to); };
        try {
          const r = runOnce(attached.inst, kernel, n);
          if (r.checksum !== expected) throw new Error(`${kernel.name}: wrong checksum under the debugger (${r.checksum}, expected ${expected})`);
          conditionalMs = Math.min(conditionalMs, r.ms);
        } finally { session.detach(); target.uninstall(); }
      }
    } finally {
      hooks.onStop = null;
    }
    const hits = Math.round(evaluations / repeat);
    rows.push({
      kernel: kernel.name, n, interpreterMs, attachedMs, conditionalMs,
      breakpoint: { offset: hot.offset, hits },
      attachedRatio: attachedMs / interpreterMs, conditionalRatio: conditionalMs / plainForCondition,
    });
  }
  return rows;
}

export function formatDebuggerBench(rows: readonly DebuggerBenchRow[]): string {
  const lines = ['kernel      n          interp ms  attached ms (x)   cond. bp ms (x)   bp offset  evaluations/run'];
  for (const r of rows) {
    lines.push(`${r.kernel.padEnd(12)}${String(r.n).padEnd(11)}${r.interpreterMs.toFixed(1).padStart(9)}  ${r.attachedMs.toFixed(1).padStart(9)} (${r.attachedRatio.toFixed(2)})  ${r.conditionalMs.toFixed(1).padStart(9)} (${r.conditionalRatio.toFixed(2)})  0x${r.breakpoint.offset.toString(16).padStart(6, '0')}   ${r.breakpoint.hits}`);
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(formatDebuggerBench(runDebuggerBench({ quick: process.argv.includes('--quick') })));
}
