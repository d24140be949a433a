// The inspector page: loads the info, the first page of deliveries and the chart, then follows the live stream.
import type { Histogram } from '../delivery-index.js';
import { ApiError, getJson, streamUrl } from './api.js';
import { drawChart } from './chart.js';
import { DetailPane, type Info } from './detail.js';
import { byId, clear, h } from './dom.js';
import { DeliveryList, filterQuery, type ListFilterState } from './list.js';

performance.mark('inspector:start');

const list = new DeliveryList();
const detail = new DetailPane(byId('detail'), {
  mode: 'listen',
  readOnly: true,
  store: null,
  stored: 0,
  events: [],
  secretLabels: [],
  forwardTarget: null,
  allowRemoteReplay: false,
});
const chart = byId('chart') as unknown as SVGSVGElement;
const eventSelect = byId<HTMLSelectElement>('f-event');
const verdictSelect = byId<HTMLSelectElement>('f-verdict');
const search = byId<HTMLInputElement>('f-search');
const live = byId('live');
let knownEvents = new Set<string>();

list.onSelect = (id) => void detail.show(id);
detail.onOpen = (id) => list.select(id);
list.onCounts = (total, stored) => {
  byId('count').textContent = `${stored} stored`;
  byId('matching').textContent = total === stored ? '' : `${total} matching`;
};

async function loadInfo(): Promise<void> {
  const info = await getJson<Info>('/api/info');
  detail.info = info;
  byId('mode').textContent =
    info.mode === 'inspect' ? `read-only · ${info.store ?? ''}` : `listen · ${info.store ?? 'not stored'}`;
  const events = new Set(info.events);
  if (events.size !== knownEvents.size) {
    const chosen = eventSelect.value;
    while (eventSelect.options.length > 1) eventSelect.remove(1);
    for (const name of info.events) eventSelect.appendChild(h('option', { value: name }, name));
    eventSelect.value = chosen;
    knownEvents = events;
  }
}

async function loadChart(): Promise<void> {
  const histogram = await getJson<Histogram>(`/api/histogram?${filterQuery(list.filter)}`);
  drawChart(chart, byId('chart-range'), histogram);
}

function currentFilter(): ListFilterState {
  return { event: eventSelect.value, verdict: verdictSelect.value, q: search.value.trim() };
}

let filterTimer: ReturnType<typeof setTimeout> | undefined;
async function applyFilter(): Promise<void> {
  performance.mark('inspector:filter-start');
  await list.setFilter(currentFilter());
  performance.mark('inspector:filter-done');
  document.body.dataset.filtered = String(Date.now());
  void loadChart();
}
eventSelect.addEventListener('change', () => void applyFilter());
verdictSelect.addEventListener('change', () => void applyFilter());
search.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => void applyFilter(), 120);
});

// A burst of deliveries becomes a few reloads, not one per delivery.
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRefresh(): void {
  if (refreshTimer !== undefined) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void Promise.all([list.reload(), loadChart(), loadInfo()]);
  }, 150);
}

function follow(): void {
  const stream = new EventSource(streamUrl());
  stream.addEventListener('hello', (e) => {
    live.textContent = '● live';
    live.classList.add('on');
    // The store was still being indexed when the page loaded (event menu, chart, counts): it is whole now or will
    // say so with `indexed`. A reconnect may also have missed deliveries.
    if ((JSON.parse((e as MessageEvent<string>).data) as { complete?: boolean }).complete) scheduleRefresh();
  });
  stream.addEventListener('indexed', () => scheduleRefresh());
  stream.addEventListener('delivery', () => scheduleRefresh());
  stream.addEventListener('error', () => {
    // CLOSED: refused (too many pages open), and EventSource does not try again; else it is reconnecting.
    live.textContent = stream.readyState === EventSource.CLOSED ? 'not live (reload to retry)' : 'reconnecting…';
    live.classList.remove('on');
  });
}

async function start(): Promise<void> {
  try {
    await loadInfo();
    await list.setFilter(currentFilter());
    performance.mark('inspector:first-paint');
    document.body.dataset.ready = 'true';
    void loadChart();
    follow();
  } catch (error) {
    const pane = byId('detail');
    clear(pane);
    const message = error instanceof ApiError ? `${error.code}: ${error.message}` : (error as Error).message;
    pane.appendChild(h('p', { class: 'result error' }, message));
    document.body.dataset.ready = 'error';
  }
}

void start();
