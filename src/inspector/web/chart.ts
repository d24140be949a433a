// Deliveries over time by verdict: one stacked bar per time bucket, so a burst of 401s or a silent gap shows at a
// glance. Plain SVG built through the DOM.
import type { Histogram } from '../delivery-index.js';
import type { VerdictKind } from '../summary.js';
import { clear, svg } from './dom.js';

const ORDER: VerdictKind[] = ['ok', 'duplicate', 'ignored', 'failed'];

export function drawChart(el: SVGSVGElement, rangeEl: HTMLElement, histogram: Histogram): void {
  clear(el);
  const width = Math.max(el.clientWidth, 300);
  const height = Math.max(el.clientHeight, 40);
  el.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const { buckets } = histogram;
  el.appendChild(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }));
  if (buckets.length === 0) {
    rangeEl.textContent = '';
    return;
  }
  let peak = 1;
  for (const b of buckets) peak = Math.max(peak, b.ok + b.failed + b.duplicate + b.ignored);
  const slot = width / Math.max(buckets.length, 30);
  const barWidth = Math.max(1, slot - 1);
  buckets.forEach((bucket, i) => {
    let y = height;
    for (const kind of ORDER) {
      const n = bucket[kind];
      if (n === 0) continue;
      const h = Math.max(1, ((height - 2) * n) / peak);
      y -= h;
      const rect = svg('rect', { x: i * slot, y, width: barWidth, height: h, class: kind });
      const title = svg('title', {});
      title.textContent = `${new Date(histogram.startMs + i * histogram.bucketMs).toLocaleTimeString()}: ${n} ${kind}`;
      rect.appendChild(title);
      el.appendChild(rect);
    }
  });
  const start = new Date(histogram.startMs);
  const end = new Date(histogram.startMs + buckets.length * histogram.bucketMs);
  const per = formatBucket(histogram.bucketMs);
  rangeEl.textContent = `${start.toLocaleString()} – ${end.toLocaleTimeString()} · ${per} per bar · peak ${peak}`;
}

function formatBucket(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}
