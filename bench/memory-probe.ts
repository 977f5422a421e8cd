/**
 * The memory probe, run as a child process per configuration (memory.ts
 * starts it with --expose-gc): heap retained by one instance, measured as
 * V8 heap deltas around instantiation (after full GCs) on each kernel.
 * Invariant: one configuration per process, so code loaded and compiled for
 * one configuration never counts for another; the first instantiation (which
 * also pays one-time costs such as lazily compiling the runtime's functions)
 * is reported apart from the steady per-instance figures. Prints one JSON line.
 */
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { engineByName } from './engines/index.js';
import { kernelBytes, loadKernels } from './kernels.js';

/** One kernel's deltas, in bytes. */
export interface KernelMemory {
  kernel: string;
  /** V8 heap retained after instantiation. */
  heap: number;
  /** V8 heap retained after one call with the quick n. */
  heapAfterCall: number;
  /** process.memoryUsage().external retained after instantiation (linear memory, buffers). */
  external: number;
}

export interface ProbeResult {
  config: string;
  status: 'ok' | 'failed';
  error?: string;
  info?: Record<string, string>;
  /** Heap retained by the very first instance, one-time costs included. */
  firstHeap?: number;
  kernels: KernelMemory[];
}


interface Snapshot { heap: number; external: number }

function snapshot(gc: () => void): Snapshot {
  gc();
  gc();
  return { heap: getHeapStatistics().used_heap_size, external: process.memoryUsage().external };
}

/** `repeat`: instances held at once per kernel; figures are per instance. */
export async function probe(config: string, kernelNames: readonly string[], repeat = 8): Promise<ProbeResult> {
  const REPEAT = repeat;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory probe needs node --expose-gc');
  const engine = engineByName(config);
  if (engine === undefined) throw new Error(`unknown configuration ${config}`);
  const kernels = loadKernels().filter((k) => kernelNames.includes(k.name));
  if (kernels.length === 0) throw new Error(`no known kernel among ${kernelNames.join(', ')}`);
  const result: ProbeResult = { config, status: 'ok', kernels: [] };
  try {
    // The first instance: includes what the configuration compiles lazily once per process.
    const first = kernels[0]!;
    const firstBytes = kernelBytes(first);
    const before = snapshot(gc);
    let loaded: Awaited<ReturnType<typeof engine.load>> | undefined = await engine.load(firstBytes, first);
    loaded.run(first.quickN);
    result.firstHeap = snapshot(gc).heap - before.heap;
    if (loaded.info) result.info = loaded.info;
    loaded.dispose?.();
    loaded = undefined;
    for (const kernel of kernels) {
      const bytes = kernelBytes(kernel);
      // A discarded warm-up first, then REPEAT instances held at once: single deltas are
      // dominated by GC and lazy-compilation noise, the average of several is not.
      (await engine.load(bytes, kernel)).dispose?.();
      const base = snapshot(gc);
      const held: Awaited<ReturnType<typeof engine.load>>[] = [];
      for (let i = 0; i < REPEAT; i++) {
        held.push(await engine.load(bytes, kernel));
        // Attached configurations own global hooks; only one may hold them at a time.
        held[i]!.dispose?.();
      }
      const afterLoad = snapshot(gc);
      for (const h of held) h.run(kernel.quickN);
      const afterCall = snapshot(gc);
      held.length = 0;
      result.kernels.push({
        kernel: kernel.name,
        heap: (afterLoad.heap - base.heap) / REPEAT,
        heapAfterCall: (afterCall.heap - base.heap) / REPEAT,
        external: (afterLoad.external - base.external) / REPEAT,
      });
    }
  } catch (error) {
    result.status = 'failed';
    result.error = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [config, kernels, repeat] = process.argv.slice(2);
  if (config === undefined || kernels === undefined) {
    process.stderr.write('usage: node --expose-gc dist/bench/memory-probe.js CONFIGURATION KERNEL[,KERNEL…] [REPEAT]\n');
    process.exitCode = 2;
  } else {
    probe(config, kernels.split(','), repeat === undefined ? undefined : Number(repeat)).then(
      (r) => { process.stdout.write(JSON.stringify(r) + '\n'); },
      (error: unknown) => { process.stderr.write(`memory probe: ${error instanceof Error ? error.message : String(error)}\n`); process.exitCode = 2; },
    );
  }
}
