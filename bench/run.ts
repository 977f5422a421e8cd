/**
 * `npm run bench`: runs every kernel in every configuration (engines/index.ts)
 * and again in native and native-debug@control after memory grows (growth.ts),
 * checks each result against kernels.json, probes memory per configuration and
 * preset, and writes bench/results/latest.{json,md,svg}; prints the markdown.
 *   --quick           small n, short sampling, fewer memory samples
 *   --only K1,K2      only these kernels
 *   --engines a,b     configurations besides v8 (default: all; see engines/index.ts)
 *   --large / --no-large   include the large module's compile-speed run (default: full runs only)
 *   --no-memory       skip the memory probes
 *   --record          re-measure the expected checksums in V8 and update kernels.json
 *   --readme          only rewrite README.md's bench section from results/latest.json
 * Invariant: nothing is dropped silently: a failure is a FAILED cell, and the
 * process exits 1 when any measurement failed.
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultEngines, memoryOnlyEngines, selectEngines, type CompileInfo, type Engine } from './engines/index.js';
import { entryGraphs } from './import-graph.js';
import { checksumOf, kernelBytes, loadKernels, runSize, type Kernel } from './kernels.js';
import { growthMarkdown, measureGrowth, type GrowthRow } from './growth.js';
import { measureLarge } from './large.js';
import { measureParallel, parallelMarkdown } from './parallel.js';
import { readmeSection, spliceReadme, toMarkdown } from './markdown.js';
import { fullRun, measure, quickRun, type MeasureOptions } from './measure.js';
import { measureMemory } from './memory.js';
import { Progress } from './progress.js';
import { recordChecksums } from './record.js';
import { compareLevels, machineInfo, summarise, type Measurement, type Report } from './report.js';
import { projectRoot, resultsDir } from './paths.js';
import { toSvg } from './svg.js';
import { codeSectionSize } from './wasm-size.js';

interface Options {
  quick: boolean;
  only?: string[];
  engines: string[];
  large: boolean;
  memory: boolean;
  record: boolean;
  readme: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { quick: false, engines: [...defaultEngines], large: false, memory: true, record: false, readme: false };
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
    else if (arg === '--no-memory') options.memory = false;
    else if (arg === '--record') options.record = true;
    else if (arg === '--readme') options.readme = true;
    else throw new Error(`unknown option ${arg} (options: --quick, --only K, --engines a,b, --large, --no-large, --no-memory, --record, --readme)`);
  }
  if (!largeSet) options.large = !options.quick && options.only === undefined;
  return options;
}

const progress = new Progress();
const log = (line: string): void => { progress.log(line); };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function measureOne(engine: Engine, kernel: Kernel, bytes: Uint8Array, quick: boolean, sampling: MeasureOptions): Promise<Measurement> {
  const { n, expected } = runSize(kernel, quick);
  const base = { kernel: kernel.name, engine: engine.name, n, codeBytes: codeSectionSize(bytes), expected };
  let compile: CompileInfo | undefined, info: Record<string, string> | undefined, dispose: (() => void) | undefined;
  const extra = (): object => ({ ...(compile && { compile }), ...(info && { info }) });
  try {
    const loaded = await engine.load(bytes, kernel);
    ({ compile, info, dispose } = loaded);
    // The first call checks the result (and warms up) before any timing.
    const checksum = checksumOf(loaded.run(n), kernel.result);
    if (checksum !== expected) {
      return { ...base, status: 'failed', checksum, error: `checksum ${checksum}, expected ${expected}`, ...extra() };
    }
    const timing = measure(`${engine.name}/${kernel.name}`, () => loaded.run(n), (r) => checksumOf(r as number | bigint, kernel.result) === expected, sampling);
    if (timing.wrongResults > 0) {
      return { ...base, status: 'failed', checksum, timing, error: `${timing.wrongResults} of ${timing.calls} calls returned a wrong checksum`, ...extra() };
    }
    return { ...base, status: 'ok', checksum, timing, ...extra() };
  } catch (error) {
    return { ...base, status: 'failed', error: describeError(error), ...extra() };
  } finally {
    dispose?.();
  }
}

function updateReadme(): void {
  const report = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as Report;
  const path = join(projectRoot, 'README.md');
  writeFileSync(path, spliceReadme(readFileSync(path, 'utf8'), readmeSection(report)));
  log(`updated ${path} from the ${report.mode} run of ${report.date}`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.record) {
    await recordChecksums(log);
    return 0;
  }
  if (options.readme) {
    updateReadme();
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
      progress.step(results.length + 1, total, `${kernel.name} × ${engine.name}`);
      const m = await measureOne(engine, kernel, bytes, options.quick, sampling);
      results.push(m);
      const what = m.status === 'ok'
        ? `${m.timing!.medianMs.toFixed(2)} ms median [${m.timing!.minMs.toFixed(2)}–${m.timing!.maxMs.toFixed(2)}], ${m.timing!.samples} samples`
        : `FAILED: ${m.error}`;
      log(`[${results.length}/${total}] ${kernel.name} n=${m.n} ${engine.name}: ${what}`);
    }
  }
  const grown: GrowthRow[] = await measureGrowth(engines, kernels, results, options.quick, sampling, log);
  const summaries = summarise(results, engines);
  const report: Report = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    mode: options.quick ? 'quick' : 'full',
    engines: summaries,
    results,
    extra: grown.length > 0 ? { 'memory growth': growthMarkdown(grown), memoryGrowth: grown } : {},
  };
  if (options.memory) {
    // Presets are probed whenever wasmflip's native configuration is (they are variations of it).
    const configs = [...engines, ...(engines.some((e) => e.name === 'native') ? memoryOnlyEngines : [])];
    const memoryKernels = (options.quick ? kernels.slice(0, 3) : kernels).map((k) => k.name);
    report.memory = await measureMemory(configs, memoryKernels, options.quick ? 4 : 8, log, (k, n, what) => progress.step(k, n, what));
  }
  report.entries = entryGraphs(projectRoot).map(({ files: _files, ...rest }) => rest);
  report.levels = compareLevels(results, summaries, report.memory);
  if (options.large) {
    const large = await measureLarge(engines, log);
    report.extra['large module'] = large.markdown;
    report.extra['largeModule'] = large.data;
    log('large module: parallel compile, inline against one worker…');
    const parallel = measureParallel(1, 7);
    report.extra['parallel compile'] = parallelMarkdown(parallel);
    report.extra['parallelCompile'] = parallel;
  }
  progress.done();
  const markdown = toMarkdown(report);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(resultsDir, 'latest.md'), markdown);
  writeFileSync(join(resultsDir, 'latest.svg'), toSvg(report));
  process.stdout.write(markdown);
  const failed = [...results, ...grown, ...(report.memory ?? [])].filter((r) => r.status === 'failed').length;
  log(`wrote ${join(resultsDir, 'latest.{json,md,svg}')} (${(progress.elapsedMs / 1000).toFixed(0)} s); README: node dist/bench/run.js --readme`);
  if (failed > 0) log(`${failed} measurement(s) FAILED`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { progress.done(); log(`bench: ${describeError(error)}`); process.exitCode = 2; },
);
