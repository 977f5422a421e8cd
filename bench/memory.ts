/**
 * Memory overhead per configuration (levels and presets included): runs
 * memory-probe.js in a fresh `node --expose-gc` per configuration and adds
 * the loaded code (import-graph.ts) of the entry points it uses.
 * Invariant: a probe that crashes, times out or prints no result is a failed
 * row with the reason, never a missing one.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Engine } from './engines/index.js';
import { configurationCode } from './import-graph.js';
import type { KernelMemory, ProbeResult } from './memory-probe.js';
import { projectRoot } from './paths.js';

const execFileAsync = promisify(execFile);
const probeScript = join(dirname(fileURLToPath(import.meta.url)), 'memory-probe.js');

/** One configuration's memory figures, in bytes. */
export interface MemoryRow {
  config: string;
  status: 'ok' | 'failed';
  error?: string;
  info?: Record<string, string>;
  /** Median over kernels of the heap one instance retains. */
  heapPerInstance?: number;
  /** Lowest and highest over kernels. */
  heapRange?: [number, number];
  heapAfterCall?: number;
  external?: number;
  firstHeap?: number;
  kernels?: KernelMemory[];
  /** Package entries this configuration loads and their JavaScript's total size (undefined: none of ours). */
  loadedEntries?: string[];
  loadedCodeBytes?: number;
  loadedFiles?: number;
  loadedMissing?: string[];
}

export function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Turns a probe's output into a row (pure: tested with fixed input). */
export function memoryRow(probe: ProbeResult): MemoryRow {
  const row: MemoryRow = { config: probe.config, status: probe.status };
  if (probe.error !== undefined) row.error = probe.error;
  if (probe.info) row.info = probe.info;
  if (probe.status === 'ok' && probe.kernels.length > 0) {
    const heaps = probe.kernels.map((k) => k.heap);
    row.heapPerInstance = medianOf(heaps);
    row.heapRange = [Math.min(...heaps), Math.max(...heaps)];
    row.heapAfterCall = medianOf(probe.kernels.map((k) => k.heapAfterCall));
    row.external = medianOf(probe.kernels.map((k) => k.external));
    if (probe.firstHeap !== undefined) row.firstHeap = probe.firstHeap;
    row.kernels = probe.kernels;
  }
  return row;
}

async function runProbe(config: string, kernels: readonly string[], repeat: number): Promise<ProbeResult> {
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', probeScript, config, kernels.join(','), String(repeat)], { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
    const last = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as ProbeResult;
  } catch (error) {
    const e = error as { stderr?: string; message?: string; killed?: boolean };
    const reason = e.killed ? 'timed out after 300 s' : (e.stderr?.trim().split('\n')[0] || e.message?.split('\n')[0] || String(error));
    return { config, status: 'failed', error: `memory probe failed: ${reason}`, kernels: [] };
  }
}

/** Probes each configuration in its own process, one after another. */
export async function measureMemory(configs: readonly Engine[], kernels: readonly string[], repeat: number, log: (line: string) => void, step: (k: number, total: number, what: string) => void): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const [i, engine] of configs.entries()) {
    step(i + 1, configs.length, `memory × ${engine.name}`);
    const row = memoryRow(await runProbe(engine.name, kernels, repeat));
    if (engine.entries) {
      try {
        const { entries, graph } = configurationCode(engine.entries, projectRoot);
        row.loadedEntries = entries;
        row.loadedCodeBytes = graph.bytes;
        row.loadedFiles = graph.files.length;
        if (graph.missing.length > 0) row.loadedMissing = graph.missing;
      } catch (error) {
        row.loadedMissing = [`import graph: ${error instanceof Error ? error.message : String(error)}`];
      }
    }
    rows.push(row);
    const kb = (b: number | undefined): string => (b === undefined ? '?' : (b / 1024).toFixed(1) + ' KB');
    const code = row.loadedCodeBytes === undefined ? 'none of ours' : kb(row.loadedCodeBytes);
    log(`memory ${engine.name}: ${row.status === 'ok' ? `heap/instance ${kb(row.heapPerInstance)}, loaded code ${code}` : `FAILED: ${row.error}`}`);
  }
  return rows;
}
