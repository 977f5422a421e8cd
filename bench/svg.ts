/**
 * latest.svg: a horizontal bar chart of each configuration's geometric-mean
 * ratio to V8 (log scale), single kernels as dots on the same row, with axis
 * labels and the date and machine. Hand-written SVG text, no dependency.
 * Invariant: every configuration gets a row; a failed one says FAILED in
 * place of its bar; all text from the report is XML-escaped.
 */
import { fmtRatio, machineLine } from './markdown.js';
import type { Report } from './report.js';

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Tick values 1, 2, 5, 10, 20, 50, … covering [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let decade = Math.floor(Math.log10(lo)); 10 ** decade <= hi * 1.0001; decade++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** decade;
      if (t >= lo * 0.9999 && t <= hi * 1.0001) ticks.push(Number(t.toPrecision(3)));
    }
  }
  return ticks;
}

export function toSvg(report: Report): string {
  const left = 200, right = 90, top = 64, row = 28, width = 960;
  const rows = report.engines;
  const values = report.results.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio]));
  const lo = Math.min(0.5, ...values.map((v) => v * 0.9));
  const hi = Math.max(2, ...values.map((v) => v * 1.1));
  const logLo = Math.log10(lo), logHi = Math.log10(hi);
  const plotW = width - left - right;
  const x = (v: number): number => left + ((Math.log10(v) - logLo) / (logHi - logLo)) * plotW;
  const height = top + rows.length * row + 70;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="24" font-size="16" font-weight="600">Time relative to V8's own WebAssembly (geometric mean over kernels)</text>`);
  out.push(`<text x="${left}" y="44" fill="#555">${xml(machineLine(report))}</text>`);
  const plotBottom = top + rows.length * row;
  for (const t of logTicks(lo, hi)) {
    const tx = x(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${plotBottom}" stroke="${t === 1 ? '#333' : '#ddd'}" stroke-width="1"/>`);
    out.push(`<text x="${tx}" y="${plotBottom + 18}" text-anchor="middle" fill="#333">${t}x</text>`);
  }
  out.push(`<text x="${left + plotW / 2}" y="${plotBottom + 42}" text-anchor="middle" fill="#333">ratio to V8 (log scale; 1x = V8, lower is faster; bar: geomean, dots: single kernels)</text>`);
  rows.forEach((e, i) => {
    const y = top + i * row;
    const mid = y + row / 2;
    out.push(`<text x="${left - 10}" y="${mid + 4}" text-anchor="end">${xml(e.engine)}</text>`);
    if (e.engine !== 'v8' && e.geomeanRatio === undefined) {
      const reason = e.firstError ? `: ${e.firstError.length > 70 ? e.firstError.slice(0, 69) + '…' : e.firstError}` : '';
      out.push(`<text x="${left + 6}" y="${mid + 4}" fill="#b00020" font-weight="600">FAILED${xml(reason)}</text>`);
      return;
    }
    const g = e.engine === 'v8' ? 1 : e.geomeanRatio!;
    const x0 = x(lo), x1 = x(g);
    const color = e.engine === 'v8' ? '#6b7280' : e.engine === 'wasm2js' ? '#9ca3af' : e.engine.startsWith('debug') ? '#d97706' : '#2563eb';
    out.push(`<rect x="${x0.toFixed(1)}" y="${y + 6}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${row - 12}" fill="${color}" opacity="0.85"/>`);
    for (const r of report.results) {
      if (r.engine === e.engine && r.ratio !== undefined && e.engine !== 'v8') {
        out.push(`<circle cx="${x(r.ratio).toFixed(1)}" cy="${mid}" r="2.5" fill="#111" opacity="0.55"><title>${xml(`${r.kernel}: ${fmtRatio(r.ratio)}`)}</title></circle>`);
      }
    }
    const partial = e.failed > 0 ? ` (${e.failed} FAILED)` : '';
    out.push(`<text x="${(Math.max(x1, ...report.results.filter((r) => r.engine === e.engine && r.ratio !== undefined).map((r) => x(r.ratio!))) + 8).toFixed(1)}" y="${mid + 4}" fill="${e.failed > 0 ? '#b00020' : '#111'}">${fmtRatio(g)}${partial}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
