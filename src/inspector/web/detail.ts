// The detail pane: signature panel, forward result, headers, body (pretty and byte-exact raw), and the actions:
// replay, edit and replay, copy as curl / send, diff against the previous delivery of the same event type.
import type { DeliveryDetail } from '../detail.js';
import type { DiffLine } from '../diff.js';
import type { DeliverySummary } from '../summary.js';
import { ApiError, getJson, postJson } from './api.js';
import { clear, h, time } from './dom.js';

export interface Info {
  mode: 'listen' | 'inspect';
  readOnly: boolean;
  store: string | null;
  stored: number;
  events: string[];
  secretLabels: string[];
  forwardTarget: string | null;
  allowRemoteReplay: boolean;
}

type Detail = DeliveryDetail & { seq: number; commands: { curl?: string; send?: string }; commandTarget: string };

const KIND_TEXT: Record<string, string> = {
  ok: '✓ verified',
  failed: '✗ failed',
  duplicate: 'duplicate',
  ignored: 'ignored',
};

function table(rows: Array<[string, Node | string | number | null | undefined]>): HTMLTableElement {
  return h(
    'table',
    {},
    ...rows
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v as Node | string))),
  );
}

function skewText(seconds: number | undefined): string | undefined {
  if (seconds === undefined) return undefined;
  if (seconds === 0) return '0 s (signed the second it arrived)';
  return seconds > 0
    ? `${seconds} s behind (signed ${seconds} s before it arrived)`
    : `${-seconds} s ahead (signed in the future)`;
}

function newDeliveryId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `del_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The editor starts from the stored body with a fresh data.deliveryId: an edited delivery is a new delivery. */
function editTemplate(detail: Detail): string {
  const text = detail.body.pretty ?? detail.body.raw;
  try {
    const value = JSON.parse(text) as { data?: Record<string, unknown> };
    if (value && typeof value.data === 'object' && value.data !== null && 'deliveryId' in value.data) {
      value.data.deliveryId = newDeliveryId();
    }
    return JSON.stringify(value, null, 2);
  } catch {
    return text;
  }
}

export class DetailPane {
  readonly #el: HTMLElement;
  #info: Info;
  #current: Detail | undefined;
  onOpen: (id: string) => void = () => undefined;

  constructor(el: HTMLElement, info: Info) {
    this.#el = el;
    this.#info = info;
  }

  set info(info: Info) {
    this.#info = info;
  }

  async show(id: string): Promise<void> {
    let detail: Detail;
    try {
      detail = await getJson<Detail>(`/api/deliveries/${encodeURIComponent(id)}`);
    } catch (error) {
      clear(this.#el);
      this.#el.appendChild(h('p', { class: 'result error' }, (error as Error).message));
      return;
    }
    this.#current = detail;
    clear(this.#el);
    this.#el.dataset.id = detail.id;
    this.#el.append(...this.#render(detail));
  }

  #render(d: Detail): Node[] {
    const verdict = d.kind === 'failed' ? `✗ ${d.verdict.reason ?? 'failed'}` : KIND_TEXT[d.kind];
    const nodes: Node[] = [
      h('h2', {}, d.event ?? '(no event)', ' ', h('span', { class: `badge ${d.kind}`, id: 'd-verdict' }, verdict)),
      h(
        'div',
        { class: 'sub mono' },
        `${d.id} · ${d.deliveryId ?? 'no delivery id'} · ${time(d.receivedAt)} · ${d.method} ${d.path} → ${d.status}`,
      ),
    ];
    if (d.replay) {
      const link = h('a', { href: '#', class: 'mono' }, d.replay.of);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        this.onOpen(d.replay!.of);
      });
      nodes.push(
        h('div', { class: 'sub' }, d.replay.edited ? 'edited copy of ' : `replay (${d.replay.mode}) of `, link),
      );
    }
    if (d.verdict.message) nodes.push(h('p', { class: `v-${d.kind}` }, d.verdict.message));
    if (d.verdict.warnings?.length)
      nodes.push(h('ul', { class: 'findings' }, ...d.verdict.warnings.map((w) => h('li', {}, w))));
    nodes.push(...this.#actions(d), ...this.#signature(d), ...this.#forward(d));
    nodes.push(h('h3', {}, 'Headers'), table(d.headers.map(([k, v]) => [k, v])));
    nodes.push(...this.#body(d), ...this.#copy(d));
    return nodes;
  }

  #signature(d: Detail): Node[] {
    const s = d.signature;
    const out: Node[] = [h('h3', {}, 'Signature')];
    out.push(
      h(
        'div',
        { id: 'signature' },
        table([
          ['header', s.header ?? '(none)'],
          [
            't',
            s.timestamp === undefined ? undefined : `${s.timestamp} (${new Date(s.timestamp * 1000).toISOString()})`,
          ],
          ...s.signatures.map((v, i): [string, string] => [`v1 #${i + 1}`, v]),
          ['clock skew', skewText(s.skewSeconds)],
          ['matched secret', s.matchedLabel ? `${s.matchedLabel}` : d.verdict.ok ? '(unlabelled secret)' : 'none'],
          ['verdict', d.verdict.ok ? 'valid' : (s.reason ?? d.verdict.reason)],
          ['why', s.message],
        ]),
        s.findings.length > 0
          ? h(
              'div',
              {},
              h('strong', {}, 'Diagnosis'),
              h(
                'ul',
                { class: 'findings', id: 'findings' },
                ...s.findings.map((f) => h('li', {}, h('code', {}, f.code), ' ', f.message)),
              ),
            )
          : null,
        s.diagnosisUnavailable ? h('p', { class: 'sub' }, s.diagnosisUnavailable) : null,
      ),
    );
    return out;
  }

  #forward(d: Detail): Node[] {
    if (!d.forward) return [];
    const f = d.forward;
    return [
      h('h3', {}, d.replay ? 'Answer from the target' : 'Forward result'),
      h(
        'div',
        { id: 'forward' },
        table([
          ['url', f.url],
          ['status', f.status],
          ['latency', `${f.latencyMs} ms`],
          ['error', f.error],
        ]),
        f.answer ? h('pre', {}, f.answer) : null,
      ),
    ];
  }

  #body(d: Detail): Node[] {
    const out: Node[] = [
      h('h3', {}, `Body · ${d.body.bytes} bytes${d.body.encoding === 'base64' ? ' · not UTF-8, shown as base64' : ''}`),
    ];
    if (d.body.omitted)
      return [
        ...out,
        h('p', { class: 'sub' }, 'The body was not kept (refused before it was read, or over --max-body).'),
      ];
    const pre = h('pre', { id: 'body' });
    const tabs = h('div', { class: 'tabs' });
    const show = (which: 'pretty' | 'raw') => {
      pre.textContent = which === 'pretty' && d.body.pretty !== undefined ? d.body.pretty : d.body.visible;
      pre.dataset.view = which;
      tabs.querySelectorAll('button').forEach((b) => b.classList.toggle('on', b.dataset.view === which));
    };
    for (const which of ['pretty', 'raw'] as const) {
      const b = h(
        'button',
        { type: 'button', 'data-view': which, disabled: which === 'pretty' && d.body.pretty === undefined },
        which,
      );
      b.addEventListener('click', () => show(which));
      tabs.appendChild(b);
    }
    show(d.body.pretty !== undefined ? 'pretty' : 'raw');
    return [...out, tabs, pre];
  }

  #copy(d: Detail): Node[] {
    const out: Node[] = [h('h3', {}, 'Copy')];
    const block = (label: string, id: string, text: string | undefined) => {
      if (text === undefined) return h('p', { class: 'sub' }, `${label}: not available for this body`);
      const button = h('button', { type: 'button' }, 'copy');
      button.addEventListener('click', () => {
        void navigator.clipboard?.writeText(text).then(
          () => (button.textContent = 'copied'),
          () => (button.textContent = 'select and copy'),
        );
      });
      return h('details', {}, h('summary', {}, label), button, h('pre', { id }, text));
    };
    out.push(block(`as curl (the stored request, untouched) → ${d.commandTarget}`, 'copy-curl', d.commands.curl));
    out.push(block('as pictify-hooks send (re-signed when run)', 'copy-send', d.commands.send));
    return out;
  }

  #actions(d: Detail): Node[] {
    const info = this.#info;
    const out: Node[] = [h('h3', {}, 'Actions')];
    const result = h('div', { class: 'result', id: 'action-result' });
    const target = h('input', {
      type: 'text',
      id: 'replay-target',
      placeholder: info.forwardTarget ?? 'http://127.0.0.1:4000/webhooks (loopback)',
      'aria-label': 'replay target URL',
    });
    const signWith = h('select', { id: 'sign-with', 'aria-label': 'sign with' });
    const labels = [...new Set([...(d.verdict.matchedLabel ? [d.verdict.matchedLabel] : []), ...info.secretLabels])];
    for (const label of labels) signWith.appendChild(h('option', { value: label }, `sign with ${label}`));
    if (labels.length === 0) signWith.appendChild(h('option', { value: '' }, 'no secret known'));
    const replayable = d.method === 'POST' && !d.body.omitted;
    const disabled = info.readOnly || !replayable;
    const send = async (mode: 'resigned' | 'as-is', body?: string) => {
      result.className = 'result';
      result.textContent = 'sending…';
      try {
        const payload: Record<string, unknown> = { mode, target: target.value.trim() || undefined };
        if (body !== undefined) payload.body = body;
        if (mode === 'resigned' && signWith.value) payload.secretLabel = signWith.value;
        const { delivery } = await postJson<{ delivery: DeliverySummary }>(
          `/api/deliveries/${encodeURIComponent(d.id)}/replay`,
          payload,
        );
        const answer =
          delivery.forward?.error ??
          `answered ${delivery.forward?.status ?? delivery.status} ` +
            `in ${Math.round(delivery.forward?.latencyMs ?? 0)} ms`;
        result.textContent = '';
        const link = h('a', { href: '#', class: 'mono', id: 'replay-link' }, delivery.id);
        link.addEventListener('click', (e) => {
          e.preventDefault();
          this.onOpen(delivery.id);
        });
        result.append(`sent → ${answer} · stored as `, link);
      } catch (error) {
        result.className = 'result error';
        result.textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : (error as Error).message;
      }
    };
    const button = (text: string, id: string, onClick: () => void, off = disabled) => {
      const b = h('button', { type: 'button', id, disabled: off }, text);
      b.addEventListener('click', onClick);
      return b;
    };
    const editor = h('textarea', {
      class: 'editor',
      id: 'editor',
      spellcheck: 'false',
      hidden: true,
      'aria-label': 'edited JSON body',
    });
    const sendEdited = button('send edited (re-signed)', 'send-edited', () => void send('resigned', editor.value));
    sendEdited.hidden = true;
    const diffOut = h('div', { class: 'diff', id: 'diff' });
    out.push(
      h(
        'div',
        { class: 'actions' },
        target,
        signWith,
        button('replay (re-signed)', 'replay-resigned', () => void send('resigned')),
        button('replay as-is', 'replay-as-is', () => void send('as-is')),
        button('edit and replay', 'edit-replay', () => {
          editor.hidden = !editor.hidden;
          sendEdited.hidden = editor.hidden;
          if (!editor.hidden && editor.value === '') editor.value = editTemplate(d);
        }),
        button(
          'diff with previous ' + (d.event ?? ''),
          'diff-previous',
          () => void this.#diff(d, diffOut),
          !d.previousId,
        ),
      ),
    );
    if (info.readOnly)
      out.push(
        h(
          'p',
          { class: 'sub' },
          'Read-only: this inspector browses a store. Run `pictify-hooks listen --ui` to replay.',
        ),
      );
    else if (!info.allowRemoteReplay)
      out.push(h('p', { class: 'sub' }, 'Replays go to loopback addresses (listen --allow-remote-replay lifts that).'));
    out.push(editor, sendEdited, result, diffOut);
    return out;
  }

  async #diff(d: Detail, el: HTMLElement): Promise<void> {
    clear(el);
    const diff = await getJson<{ previousId: string | null; lines: DiffLine[] | null; message?: string }>(
      `/api/deliveries/${encodeURIComponent(d.id)}/diff`,
    );
    if (diff.previousId === null) {
      el.appendChild(h('p', { class: 'sub' }, 'No earlier delivery of this event type.'));
      return;
    }
    el.appendChild(h('h3', {}, `Diff against ${diff.previousId}`));
    if (diff.lines === null) {
      el.appendChild(h('p', { class: 'sub' }, diff.message ?? 'too large to diff'));
      return;
    }
    const changed = diff.lines.filter((l) => l.op !== 'same').length;
    const pre = h('pre', {});
    for (const line of diff.lines) {
      const mark = line.op === 'added' ? '+ ' : line.op === 'removed' ? '- ' : '  ';
      pre.appendChild(h('span', { class: line.op }, `${mark}${line.text}\n`));
    }
    el.append(
      h('p', { class: 'sub' }, changed === 0 ? 'The bodies are identical.' : `${changed} changed line(s).`),
      pre,
    );
  }

  get current(): Detail | undefined {
    return this.#current;
  }
}
