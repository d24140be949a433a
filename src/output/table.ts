// Plain aligned columns (like gh): no borders, so output pastes cleanly and greps well.
// Widths ignore ANSI escapes so coloured cells line up.

const ANSI = /\x1b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

export function renderTable(
  headers: string[],
  rows: string[][],
  options: { style?: (h: string) => string } = {},
): string {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
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
