// What the inspector's JSON API answers with, apart from HTTP: the run's info, a delivery's detail (diagnosis, copy
// commands) and its diff against the previous one of its event, and a replay.
import { secretLabel } from '../signing/secret-source.js';
import type { EventRecord } from '../store/event-store-record.js';
import { ANSWER_WINDOW_MS } from '../api/contract.js';
import { copyCommands } from './copy-commands.js';
import { deliveryDetail, prettyBody } from './detail.js';
import { lineDiff } from './diff.js';
import { replay, ReplayRefused, type ReplayInput } from './replay.js';
import type { InspectorOptions } from './options.js';

/** Where a delivery was received, when that was this machine (a stored Host header is sender-controlled). */
function receivedOn(record: EventRecord): string {
  const host = record.headers.host;
  if (typeof host === 'string' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i.test(host)) {
    return `http://${host}${record.path.startsWith('/') ? record.path : '/'}`;
  }
  return 'http://127.0.0.1:3000/';
}

export class InspectorApi {
  readonly #options: InspectorOptions;
  readonly #publish: (record: EventRecord) => void;

  /** `publish` indexes a replay's record and pushes it to the open pages. */
  constructor(options: InspectorOptions, publish: (record: EventRecord) => void) {
    this.#options = options;
    this.#publish = publish;
  }

  get readOnly(): boolean {
    return this.#options.mode === 'inspect';
  }

  async info() {
    const options = this.#options;
    const secrets = await options.secrets();
    return {
      mode: options.mode,
      readOnly: this.readOnly,
      store: options.storePath,
      stored: options.index.size,
      events: options.index.eventNames(),
      secretLabels: secrets.flatMap((s) => (s.source ? [secretLabel(s.source)] : [])),
      forwardTarget: options.forwardTarget?.(null) ?? null,
      allowRemoteReplay: Boolean(options.allowRemoteReplay),
    };
  }

  async detail(id: string) {
    const { index, forwardTarget } = this.#options;
    const found = await index.get(id);
    if (!found) return undefined;
    const previous = await index.previousOfSameEvent(id);
    const view = deliveryDetail(found.record, await this.#diagnoseSecrets(), previous);
    const target = forwardTarget?.(found.record.event) ?? receivedOn(found.record);
    return { ...view, seq: found.seq, commands: copyCommands(found.record, target), commandTarget: target };
  }

  async diff(id: string) {
    const { index } = this.#options;
    const found = await index.get(id);
    if (!found) return undefined;
    const previous = await index.previousOfSameEvent(id);
    if (!previous) return { previousId: null, lines: [] };
    const text = (r: EventRecord) =>
      prettyBody(r) ?? (r.bodyEncoding === 'utf8' ? r.body : `(binary, base64)\n${r.body}`);
    const lines = lineDiff(text(previous), text(found.record));
    return lines === undefined
      ? { previousId: previous.id, lines: null, message: 'the bodies are too large to diff here' }
      : { previousId: previous.id, lines };
  }

  /** Sends a stored delivery again, stores and publishes what came back. */
  async replay(id: string, input: ReplayInput): Promise<EventRecord> {
    const options = this.#options;
    const found = await options.index.get(id);
    if (!found) throw new ReplayRefused(404, 'not_found', `no stored delivery ${id}`);
    const record = await replay(found.record, input, {
      secrets: options.secrets,
      forwardTarget: (event) => options.forwardTarget?.(event),
      allowRemote: Boolean(options.allowRemoteReplay),
      now: options.now ?? Date.now,
      toleranceSeconds: options.toleranceSeconds,
      timeoutMs: options.replayTimeoutMs ?? ANSWER_WINDOW_MS,
    });
    if (options.append) await options.append(record);
    this.#publish(record);
    return record;
  }

  async #diagnoseSecrets() {
    const [verifying, known] = await Promise.all([this.#options.secrets(), this.#options.knownSecrets()]);
    return { verifying, known, toleranceSeconds: this.#options.toleranceSeconds };
  }
}
