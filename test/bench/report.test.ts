/**
 * The bench report's pure parts, from fixed input: geometric means and
 * spreads, ratios to V8, failed configurations shown as FAILED (never left
 * out), the per-level comparison with the seed's estimates and its verdicts,
 * markdown, SVG and the README splice. No timing is measured here.
 */
import { describe, expect, it } from 'vitest';
import { SEED_ESTIMATES, cumulativeMemoryKB, memoryVerdict, runtimeVerdict, verdict } from '../../bench/levels.js';
import { README_END, README_START, readmeSection, spliceReadme, toMarkdown } from '../../bench/markdown.js';
import { memoryRow, type MemoryRow } from '../../bench/memory.js';
import { compareLevels, geomean, spread, summarise, type Measurement, type Report } from '../../bench/report.js';
import { logTicks, toSvg } from '../../bench/svg.js';

function ok(kernel: string, engine: string, medianMs: number, minMs = medianMs, maxMs = medianMs, jsBytes?: number): Measurement {
  return {
    kernel, engine, n: 10, codeBytes: 1024, expected: '1', status: 'ok', checksum: '1',
    timing: { medianMs, minMs, maxMs, samples: 3, calls: 3, wrongResults: 0, sampleMs: [minMs, medianMs, maxMs] },
    compile: { ms: 2, ...(jsBytes !== undefined && { detail: { jsBytes } }) },
  };
}
function failed(kernel: string, engine: string, error: string): Measurement {
  return { kernel, engine, n: 10, codeBytes: 1024, expected: '1', status: 'failed', error };
}

const configs = [
  { name: 'v8', description: "V8's own" },
  { name: 'native', description: 'compiled' },
  { name: 'native-debug@inspection', description: 'level inspection' },
  { name: 'native-debug@control', description: 'level control' },
  { name: 'native-debug@static', description: 'level static' },
];

function fixture(): Report {
  const results = [
    ok('a', 'v8', 10, 9, 12), ok('b', 'v8', 20, 19, 22),
    ok('a', 'native', 20, 18, 30, 5000), ok('b', 'native', 20, 20, 24, 3000),
    ok('a', 'native-debug@inspection', 21.4), ok('b', 'native-debug@inspection', 21.6),
    ok('a', 'native-debug@control', 40), ok('b', 'native-debug@control', 30),
    failed('a', 'native-debug@static', 'level option not supported by this build'), failed('b', 'native-debug@static', 'level option not supported by this build'),
  ];
  const engines = summarise(results, configs);
  const memory: MemoryRow[] = [
    { config: 'native', status: 'ok', heapAfterCall: 100 * 1024, heapPerInstance: 90 * 1024, heapRange: [80 * 1024, 100 * 1024], loadedCodeBytes: 500 * 1024, loadedEntries: ['.'], loadedFiles: 40 },
    { config: 'native-debug@inspection', status: 'ok', heapAfterCall: 124 * 1024, heapPerInstance: 120 * 1024, loadedCodeBytes: 510 * 1024, loadedEntries: ['.'], loadedFiles: 41 },
    { config: 'native-debug@control', status: 'ok', heapAfterCall: 300 * 1024, heapPerInstance: 290 * 1024 },
    { config: 'native-debug@static', status: 'failed', error: 'level option not supported by this build' },
  ];
  return {
    date: '2026-11-24T10:00:00.000Z',
    machine: { cpu: 'Test CPU <x>', cores: 2, platform: 'linux', node: 'v20', v8: '11' },
    mode: 'quick', engines, results, memory, levels: compareLevels(results, engines, memory), extra: {},
  };
}

describe('bench statistics', () => {
  it('geomean is the geometric mean and refuses empty or non-positive input', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
    expect(geomean([3])).toBeCloseTo(3, 12);
    expect(geomean([])).toBeUndefined();
    expect(geomean([1, 0])).toBeUndefined();
  });

  it('spread gives the lowest and highest value', () => {
    expect(spread([3, 1, 2])).toEqual([1, 3]);
    expect(spread([])).toBeUndefined();
  });

  it('summarise computes ratios to V8 in the same run with their sample spread', () => {
    const report = fixture();
    const a = report.results.find((r) => r.kernel === 'a' && r.engine === 'native')!;
    expect(a.ratio).toBe(2);
    expect(a.ratioMin).toBe(1.8);
    expect(a.ratioMax).toBe(3);
    const native = report.engines.find((e) => e.engine === 'native')!;
    expect(native.geomeanRatio).toBeCloseTo(Math.sqrt(2 * 1), 12);
    expect(native.ratioRange).toEqual([1, 2]);
    expect(native.kernelsInGeomean).toBe(2);
    expect(native.jsBytesPerKB).toBe(4000);
    expect(native.compileMsPerKB).toBe(2);
  });

  it('a configuration that failed everywhere keeps its summary row with the reason', () => {
    const s = fixture().engines.find((e) => e.engine === 'native-debug@static')!;
    expect(s.failed).toBe(2);
    expect(s.geomeanRatio).toBeUndefined();
    expect(s.firstError).toBe('level option not supported by this build');
  });
});

describe('seed estimates', () => {
  it('hold the seed figures and say "no estimate" for eval and modify', () => {
    expect(SEED_ESTIMATES.map((e) => e.level)).toEqual(['static', 'inspection', 'control', 'eval', 'modify']);
    expect(SEED_ESTIMATES.find((e) => e.level === 'inspection')!.runtimePercent).toEqual({ low: 5, high: 10 });
    expect(cumulativeMemoryKB('static')).toBe(8);
    expect(cumulativeMemoryKB('control')).toBe(8 + 16 + 32);
    expect(cumulativeMemoryKB('eval')).toBeUndefined();
    expect(runtimeVerdict('eval', 12)).toBe('no estimate');
    expect(memoryVerdict('modify', 12)).toBe('no estimate');
  });

  it('verdicts compare against the range widened by the tolerance', () => {
    expect(verdict(7, { low: 5, high: 10 }, 0)).toBe('within');
    expect(verdict(11, { low: 5, high: 10 }, 0)).toBe('above');
    expect(verdict(11, { low: 5, high: 10 }, 2)).toBe('within');
    expect(verdict(1, { low: 5, high: 10 }, 2)).toBe('below');
    expect(verdict(undefined, { low: 5, high: 10 }, 2)).toBe('not measured');
    expect(runtimeVerdict('static', 2)).toBe('within');
    expect(runtimeVerdict('static', 20)).toBe('above');
    expect(runtimeVerdict('control', 2)).toBe('below');
  });

  it('compareLevels measures each level against native in the same run, line by line', () => {
    const levels = fixture().levels!;
    expect(levels.map((l) => l.level)).toEqual(['static', 'inspection', 'control']);
    const inspection = levels.find((l) => l.level === 'inspection')!;
    // level/native: 21.4/20 and 21.6/20 → geomean ≈ 1.07.
    expect(inspection.runtimePercent).toBeCloseTo((Math.sqrt(1.07 * 1.08) - 1) * 100, 9);
    expect(inspection.runtimeVerdict).toBe('within');
    expect(inspection.heapOverNativeKB).toBe(24);
    expect(inspection.codeOverNativeKB).toBe(10);
    expect(inspection.memoryVerdict).toBe('within');
    const control = levels.find((l) => l.level === 'control')!;
    expect(control.runtimePercent).toBeCloseTo((Math.sqrt(2 * 1.5) - 1) * 100, 9);
    expect(control.runtimeVerdict).toBe('above');
    expect(control.heapOverNativeKB).toBe(200);
    expect(control.memoryVerdict).toBe('above');
    const stat = levels.find((l) => l.level === 'static')!;
    expect(stat.status).toBe('failed');
    expect(stat.error).toMatch(/level option not supported/);
    expect(stat.runtimeVerdict).toBe('not measured');
  });
});

describe('bench markdown, SVG and README', () => {
  it('markdown shows a failed configuration as FAILED in every table, with its reason', () => {
    const md = toMarkdown(fixture());
    const summaryRow = md.split('\n').find((l) => l.startsWith('| native-debug@static |'))!;
    expect(summaryRow).toContain('FAILED (2 of 2)');
    expect(md).toContain('- `native-debug@static` (2 of 2 kernels): level option not supported by this build');
    const kernelRow = md.split('\n').find((l) => l.startsWith('| a | 10 | 1.00x |'))!;
    expect(kernelRow.split('|').map((c) => c.trim())).toContain('FAILED');
    expect(md).toMatch(/\| static \| 0% \| FAILED: level option not supported/);
    expect(md).toMatch(/\| inspection \| 5–10% \| \+7\.5% \[\+7\.0%–\+8\.0%\] \(2 kernels\) \| within \| 24 KB \| \+24\.0 KB \| \+10\.0 KB \| within \|/);
    expect(md).toContain('| native-debug@static | FAILED: level option not supported by this build |');
  });

  it('markdown cells carry the median with its min–max spread and the ratio with its spread', () => {
    const md = toMarkdown(fixture());
    expect(md).toContain('2.00x [1.80–3.00]');
    expect(md).toContain('20.0 ms [18.0–30.0]');
    expect(md).toContain('2026-11-24 10:00 UTC · Test CPU <x> (2 cores)');
  });

  it('the SVG has a row per configuration, FAILED in place of a bar, escaped text and log ticks', () => {
    const svg = toSvg(fixture());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const c of configs) expect(svg).toContain(`>${c.name}</text>`);
    expect(svg).toMatch(/>FAILED: level option not supported by this build<\/text>/);
    expect(svg).toContain('Test CPU &lt;x&gt;');
    expect(svg).not.toContain('<x>');
    expect(svg).toContain('>1x</text>');
    expect(logTicks(0.5, 30)).toEqual([0.5, 1, 2, 5, 10, 20]);
  });

  it('the README splice replaces only the text between the markers', () => {
    const before = `# Title\n\nintro\n\n${README_START}\nold table\n${README_END}\n\n## Next\nkept\n`;
    const after = spliceReadme(before, readmeSection(fixture()));
    expect(after.startsWith('# Title\n\nintro\n\n' + README_START + '\n')).toBe(true);
    expect(after.endsWith(`${README_END}\n\n## Next\nkept\n`)).toBe(true);
    expect(after).not.toContain('old table');
    expect(after).toContain('2026-11-24 10:00 UTC');
    expect(() => spliceReadme('# no markers\n', 'x')).toThrow(/bench:start/);
  });

  it('memoryRow summarises a probe by median and range, and keeps a failed probe failed', () => {
    const row = memoryRow({ config: 'native', status: 'ok', firstHeap: 5000, kernels: [
      { kernel: 'a', heap: 300, heapAfterCall: 400, external: 10 },
      { kernel: 'b', heap: 100, heapAfterCall: 200, external: 30 },
      { kernel: 'c', heap: 200, heapAfterCall: 300, external: 20 },
    ] });
    expect(row.heapPerInstance).toBe(200);
    expect(row.heapRange).toEqual([100, 300]);
    expect(row.heapAfterCall).toBe(300);
    expect(row.external).toBe(20);
    const bad = memoryRow({ config: 'x', status: 'failed', error: 'boom', kernels: [] });
    expect(bad).toEqual({ config: 'x', status: 'failed', error: 'boom' });
  });
});
