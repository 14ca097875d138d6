// Figures and tables for bench/run.js: medians over rounds, Markdown tables (so a run's output can
// be pasted into bench/README.md as it is), number formatting.

/** Median of a list of numbers (the mean of the middle two for an even count); NaN when empty. */
export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** A Markdown table; columns after the first are right-aligned. */
export function markdownTable(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

export const fixed = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
export const ratio = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
export const thousands = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
/** Latency in ms with three significant figures, so 0.312 and 14.2 both read well. */
export const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3)) : '–');
