// Plain aligned columns (like gh): no borders, so output pastes cleanly and greps well.
// Widths ignore ANSI escapes so coloured cells line up.

const ANSI = /\x1b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export interface TableOptions {
  style?: (h: string) => string;
  /**
   * Fit rows in this many columns: the `shrink` columns (in that order, each down to its header's width or 8) are
   * cut with an ellipsis. Their cells must carry no styling; full values belong in --json.
   */
  maxWidth?: number;
  shrink?: readonly number[];
}

export function renderTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  if (options.maxWidth !== undefined) {
    let excess = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) - options.maxWidth;
    for (const i of options.shrink ?? []) {
      if (excess <= 0) break;
      const cut = Math.min(excess, widths[i] - Math.max(visibleLength(headers[i]), 8));
      if (cut <= 0) continue;
      widths[i] -= cut;
      excess -= cut;
      rows = rows.map((r) => r.map((cell, j) => (j === i ? truncate(cell, widths[i]) : cell)));
    }
  }
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  const head = line(headers.map((h) => h.toUpperCase()));
  return [options.style ? options.style(head) : head, ...rows.map(line)].join('\n');
}

/** Cuts a string to `max` visible characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
