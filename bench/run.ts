/**
 * `npm run bench`: runs every kernel in every selected engine, checks each
 * result against kernels.json, prints a markdown table and writes
 * bench/results/latest.{json,md}.
 *   --quick           small n and short sampling
 *   --only K1,K2      only these kernels
 *   --engines a,b     engines besides v8 (default: see engines/index.ts)
 *   --large / --no-large   include the large module's compile-speed run (default: full runs only)
 *   --record          re-measure the expected checksums in V8 and update kernels.json
 * Invariant: nothing is dropped silently: a failure is a FAILED cell, and the
 * process exits 1 when any measurement failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEngines, selectEngines, type Engine } from './engines/index.js';
import { checksumOf, kernelBytes, loadKernels, type Kernel } from './kernels.js';
import { measureLarge } from './large.js';
import { fullRun, measure, quickRun, type MeasureOptions } from './measure.js';
import { recordChecksums } from './record.js';
import { machineInfo, summarise, toMarkdown, type Measurement, type Report } from './report.js';
import { resultsDir } from './paths.js';
import { codeSectionSize } from './wasm-size.js';

interface Options {
  quick: boolean;
  only?: string[];
  engines: string[];
  large: boolean;
  record: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, engines: [...defaultEngines], large: false, record: false };
  let largeSet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    const list = (): string[] => value().split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only = list();
    else if (arg === '--engines') options.engines = list();
    else if (arg === '--large') { options.large = true; largeSet = true; }
    else if (arg === '--no-large') { options.large = false; largeSet = true; }
    else if (arg === '--record') options.record = true;
    else throw new Error(`unknown option ${arg} (options: --quick, --only K, --engines a,b, --large, --no-large, --record)`);
  }
  if (!largeSet) options.large = !options.quick && options.only === undefined;
  return options;
}

const log = (line: string): void => { process.stderr.write(line + '\n'); };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function measureOne(engine: Engine, kernel: Kernel, bytes: Uint8Array, quick: boolean, sampling: MeasureOptions): Promise<Measurement> {
  const n = quick ? kernel.quickN : kernel.n;
  const expected = quick ? kernel.expectedQuick : kernel.expected;
  const base = { kernel: kernel.name, engine: engine.name, n, codeBytes: codeSectionSize(bytes), expected };
  let compile;
  try {
    const loaded = await engine.load(bytes, kernel);
    compile = loaded.compile;
    // The first call checks the result (and warms up) before any timing.
    const checksum = checksumOf(loaded.run(n), kernel.result);
    if (checksum !== expected) {
      return { ...base, status: 'failed', checksum, error: `checksum ${checksum}, expected ${expected}`, ...(compile && { compile }) };
    }
    const timing = measure(`${engine.name}/${kernel.name}`, () => loaded.run(n), (r) => checksumOf(r as number | bigint, kernel.result) === expected, sampling);
    if (timing.wrongResults > 0) {
      return { ...base, status: 'failed', checksum, timing, error: `${timing.wrongResults} of ${timing.calls} calls returned a wrong checksum`, ...(compile && { compile }) };
    }
    return { ...base, status: 'ok', checksum, timing, ...(compile && { compile }) };
  } catch (error) {
    return { ...base, status: 'failed', error: describeError(error), ...(compile && { compile }) };
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.record) {
    await recordChecksums(log);
    return 0;
  }
  let kernels = loadKernels();
  if (options.only) {
    const unknown = options.only.filter((k) => !kernels.some((x) => x.name === k));
    if (unknown.length > 0) throw new Error(`unknown kernel(s) ${unknown.join(', ')}; known: ${kernels.map((k) => k.name).join(', ')}`);
    kernels = kernels.filter((k) => options.only!.includes(k.name));
  }
  const engines = selectEngines(options.engines);
  const sampling = options.quick ? quickRun : fullRun;
  const results: Measurement[] = [];
  const total = kernels.length * engines.length;
  for (const kernel of kernels) {
    const bytes = kernelBytes(kernel);
    for (const engine of engines) {
      const m = await measureOne(engine, kernel, bytes, options.quick, sampling);
      results.push(m);
      const what = m.status === 'ok'
        ? `${m.timing!.medianMs.toFixed(2)} ms median [${m.timing!.minMs.toFixed(2)}–${m.timing!.maxMs.toFixed(2)}], ${m.timing!.samples} samples`
        : `FAILED: ${m.error}`;
      log(`[${results.length}/${total}] ${kernel.name} n=${m.n} ${engine.name}: ${what}`);
    }
  }
  const report: Report = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    mode: options.quick ? 'quick' : 'full',
    engines: summarise(results, engines),
    results,
    extra: {},
  };
  if (options.large) {
    const large = await measureLarge(engines, log);
    report.extra['large module'] = large.markdown;
    report.extra['largeModule'] = large.data;
  }
  const markdown = toMarkdown(report);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'latest.md'), markdown);
  process.stdout.write(markdown);
  const failed = results.filter((r) => r.status === 'failed').length;
  if (failed > 0) log(`${failed} measurement(s) FAILED`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { log(`bench: ${describeError(error)}`); process.exitCode = 2; },
);
