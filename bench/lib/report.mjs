// Figures as rows: each one is measured against a baseline taken in the same run (a ratio and a target), or on its
// own (an absolute target). A figure that could not be measured is an error row, and makes the bench exit 1.

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Run-to-run spread: (max − min) / median, as a percentage. */
export function spreadPct(values) {
  if (values.length < 2) return 0;
  const m = median(values);
  return m === 0 ? 0 : ((Math.max(...values) - Math.min(...values)) / m) * 100;
}

function meets(value, op, target) {
  return op === '<=' ? value <= target : value >= target;
}

/**
 * value/baseline compared with `target` (op '<=' or '>='). `runs` holds every measured run of both sides, so the
 * table can show the spread and results.json keeps the raw numbers.
 */
export function ratioRow({ id, figure, against, unit, value, baseline, op, target, runs, notes = [] }) {
  const ratio = value / baseline;
  const valid = Number.isFinite(ratio) && ratio > 0;
  return {
    id,
    figure,
    against,
    unit,
    value,
    baseline,
    ratio: valid ? ratio : null,
    target: `${op} ${target}×`,
    status: !valid ? 'ERROR' : meets(ratio, op, target) ? 'MET' : 'MISS',
    runs,
    notes: valid ? notes : [...notes, `not measurable: value ${value}, baseline ${baseline}`],
  };
}

export function absoluteRow({ id, figure, unit, value, op, target, runs, notes = [] }) {
  const valid = Number.isFinite(value) && value > 0;
  return {
    id,
    figure,
    against: '—',
    unit,
    value,
    baseline: null,
    ratio: null,
    target: `${op} ${target} ${unit}`,
    status: !valid ? 'ERROR' : meets(value, op, target) ? 'MET' : 'MISS',
    runs,
    notes,
  };
}

export function errorRow({ id, figure, against = '', error }) {
  return {
    id,
    figure,
    against,
    unit: '',
    value: null,
    baseline: null,
    ratio: null,
    target: '',
    status: 'ERROR',
    notes: [String(error?.stack ?? error)],
  };
}

/** A figure this build cannot have yet (a feature not landed): said plainly, not an error. */
export function naRow({ id, figure, reason }) {
  return {
    id,
    figure,
    against: '',
    unit: '',
    value: null,
    baseline: null,
    ratio: null,
    target: '',
    status: 'N/A',
    notes: [reason],
  };
}

/** A figure reported without a target (e.g. modules loaded). */
export function infoRow({ id, figure, unit, value, runs, notes = [], spread }) {
  return {
    id,
    figure,
    against: '—',
    unit,
    value,
    baseline: null,
    ratio: null,
    target: '',
    status: 'INFO',
    runs,
    notes,
    spread,
  };
}

function fmt(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit === 'ms') return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
  if (unit === 'MiB') return `${value.toFixed(1)} MiB`;
  if (unit === '/s') return `${Math.round(value).toLocaleString('en-US')}/s`;
  if (unit === 'µs') return `${value.toFixed(0)} µs`;
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit) return `${value} ${unit}`;
  return `${value}`;
}

/** The table as Markdown, so the README shows exactly what the bench printed. */
export function renderTable(rows) {
  const header = ['figure', 'pictify-hooks', 'baseline (same run)', 'ratio', 'target', 'result', 'spread'];
  const lines = rows.map((r) => [
    r.figure,
    fmt(r.value, r.unit),
    r.baseline === null ? '—' : `${fmt(r.baseline, r.unit)} (${r.against})`,
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target || '—',
    r.bound ? `${r.status} (generator-bound)` : r.status,
    r.spread ?? '—',
  ]);
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => String(l[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

/** Interquartile range as a percentage of the median: the spread of a long series without its outliers. */
export function iqrPct(values) {
  const m = median(values);
  return m === 0 ? 0 : ((quantile(values, 0.75) - quantile(values, 0.25)) / m) * 100;
}
