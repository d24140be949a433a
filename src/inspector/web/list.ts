// The delivery list, virtualised: the server filters and pages (newest first, against a snapshot `until` so pages
// stay stable while deliveries arrive); the page keeps only the rows on screen in the DOM.
import type { ListPage } from '../delivery-index.js';
import type { DeliverySummary } from '../summary.js';
import { getJson } from './api.js';
import { byId, clear, h, time } from './dom.js';
import { ROW_HEIGHT_PX } from './layout.js';

const PAGE = 200;
const OVERSCAN = 10;

export interface ListFilterState {
  event: string;
  verdict: string;
  q: string;
}

export function verdictText(s: DeliverySummary): string {
  if (s.kind === 'ok') return '✓';
  if (s.kind === 'failed') return `✗ ${s.reason ?? 'failed'}`;
  return s.kind;
}

export function filterQuery(f: ListFilterState): string {
  const p = new URLSearchParams();
  if (f.event) p.set('event', f.event);
  if (f.verdict) p.set('verdict', f.verdict);
  if (f.q) p.set('q', f.q);
  return p.toString();
}

export class DeliveryList {
  readonly #viewport = byId<HTMLDivElement>('viewport');
  readonly #spacer = byId<HTMLDivElement>('spacer');
  readonly #rows = byId<HTMLDivElement>('rows');
  readonly #empty = byId<HTMLParagraphElement>('empty');
  #filter: ListFilterState = { event: '', verdict: '', q: '' };
  #until = -1;
  #total = 0;
  #stored = 0;
  #pages = new Map<number, DeliverySummary[]>();
  #loading = new Set<number>();
  #generation = 0;
  #selected: string | undefined;
  #frame = 0;
  onSelect: (id: string) => void = () => undefined;
  onCounts: (total: number, stored: number) => void = () => undefined;

  constructor() {
    this.#viewport.addEventListener('scroll', () => this.#schedule(), { passive: true });
    this.#rows.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
      if (row?.dataset.id) this.select(row.dataset.id);
    });
    this.#viewport.addEventListener('keydown', (e) => this.#key(e));
    window.addEventListener('resize', () => this.#schedule());
  }

  get filter(): ListFilterState {
    return this.#filter;
  }

  select(id: string): void {
    this.#selected = id;
    this.#render();
    this.onSelect(id);
  }

  /** A new filter: back to the top. */
  async setFilter(filter: ListFilterState): Promise<void> {
    this.#filter = filter;
    this.#viewport.scrollTop = 0;
    await this.reload();
  }

  /** Fetches the newest snapshot; rows already on screen stay where they are when the user has scrolled down. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const oldTotal = this.#total;
    const scrolled = this.#viewport.scrollTop > 0;
    const firstPage = Math.floor(this.#viewport.scrollTop / ROW_HEIGHT_PX / PAGE);
    const page = await getJson<ListPage>(`/api/deliveries?${filterQuery(this.#filter)}&limit=${PAGE}`);
    if (generation !== this.#generation) return;
    this.#until = page.until;
    this.#total = page.total;
    this.#stored = page.stored;
    this.#pages = new Map([[0, page.items]]);
    this.#loading.clear();
    this.#spacer.style.height = `${this.#total * ROW_HEIGHT_PX}px`;
    // New rows arrive on top: keep what the user is reading in place.
    if (scrolled && this.#total > oldTotal) this.#viewport.scrollTop += (this.#total - oldTotal) * ROW_HEIGHT_PX;
    if (firstPage > 0) void this.#load(firstPage);
    this.onCounts(this.#total, this.#stored);
    this.#render();
  }

  async #load(index: number): Promise<void> {
    if (this.#pages.has(index) || this.#loading.has(index)) return;
    this.#loading.add(index);
    const generation = this.#generation;
    const query = `${filterQuery(this.#filter)}&offset=${index * PAGE}&limit=${PAGE}&until=${this.#until}`;
    const page = await getJson<ListPage>(`/api/deliveries?${query}`);
    if (generation !== this.#generation) return;
    this.#loading.delete(index);
    this.#pages.set(index, page.items);
    this.#render();
  }

  #schedule(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #at(i: number): DeliverySummary | undefined {
    return this.#pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  }

  #render(): void {
    this.#empty.hidden = this.#total > 0;
    const top = this.#viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT_PX) - OVERSCAN);
    const last = Math.min(this.#total - 1, Math.ceil((top + this.#viewport.clientHeight) / ROW_HEIGHT_PX) + OVERSCAN);
    clear(this.#rows);
    for (let i = first; i <= last; i++) {
      const s = this.#at(i);
      if (!s) {
        void this.#load(Math.floor(i / PAGE));
        continue;
      }
      const row = this.#row(s);
      row.style.transform = `translateY(${i * ROW_HEIGHT_PX}px)`;
      this.#rows.appendChild(row);
    }
    if (this.#total > 0 && this.#rows.childElementCount > 0) performance.mark('inspector:rows-painted');
  }

  #row(s: DeliverySummary): HTMLDivElement {
    const forward = s.forward
      ? s.forward.error !== undefined
        ? `✗ ${s.forward.error}`
        : `→ ${s.forward.status ?? '?'}`
      : '';
    return h(
      'div',
      { class: `row${s.id === this.#selected ? ' selected' : ''}`, role: 'row', 'data-id': s.id, 'data-kind': s.kind },
      h('span', {}, time(s.receivedAt)),
      h('span', {}, s.event ?? '—'),
      h(
        'span',
        { title: s.deliveryId ?? '' },
        s.replayOf ? h('span', { class: 'replay-mark' }, s.edited ? '✎ ' : '↻ ') : null,
        s.deliveryId ?? '—',
      ),
      h('span', { class: `v-${s.kind}` }, verdictText(s)),
      h('span', {}, s.status),
      h('span', { title: s.forward?.url ?? '' }, forward),
      h('span', {}, s.forward ? `${Math.round(s.forward.latencyMs)} ms` : ''),
    );
  }

  #key(e: KeyboardEvent): void {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    let index = -1;
    for (let i = 0; i < this.#total; i++) if (this.#at(i)?.id === this.#selected) index = i;
    const next = this.#at(Math.max(0, Math.min(this.#total - 1, index + (e.key === 'ArrowDown' ? 1 : -1))));
    if (next) this.select(next.id);
  }
}
