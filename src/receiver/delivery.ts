// What happens to a checked request: dedupe by its keys (in-flight copies included), forward, record, store *before*
// the answer, answer, report. One instance per receiver; nothing here reads the clock except through `now`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventStore } from '../store/event-store.js';
import {
  encodeBody,
  newEventId,
  redactHeaders,
  type EventRecord,
  type ForwardRecord,
} from '../store/event-store-record.js';
import { deliveryKeys } from '../signing/delivery-keys.js';
import type { Claim, DeliveryClaims } from './delivery-claims.js';
import type { Forwarder } from './forward.js';
import { duplicateOutcome, ignoredOutcome, rejection } from './judge.js';
import type { Router } from './route.js';
import { SELF_TEST_HEADER } from './tunnel/marker.js';
import type { Answer, CheckOutcome } from './types.js';

export interface ReceiverStats {
  received: number;
  verified: number;
  rejected: number;
  duplicates: number;
  forwarded: number;
  forwardFailed: number;
  stored: number;
  storeFailed: number;
  /** Requests cut with 408 because their body did not arrive in time. */
  timedOut: number;
}

export function emptyStats(): ReceiverStats {
  return {
    received: 0,
    verified: 0,
    rejected: 0,
    duplicates: 0,
    forwarded: 0,
    forwardFailed: 0,
    stored: 0,
    storeFailed: 0,
    timedOut: 0,
  };
}

export interface DeliveryDeps {
  stats: ReceiverStats;
  claims: DeliveryClaims;
  router: Router;
  forwarder?: Forwarder;
  store: EventStore | null;
  onDelivery?: (record: EventRecord, payload: unknown) => void;
  /** listen --events: verified deliveries of other events are answered 200, marked ignored, not forwarded. */
  acceptEvent?: (event: string | null) => boolean;
  /** Whether the receiver is closing (answers then ask the client to close the connection). */
  closing(): boolean;
}

const JSON_TYPE = 'application/json';

/** A first copy's outcome, answer and forwarding record, once it has been taken. */
interface Taken {
  outcome: CheckOutcome;
  answer: Answer;
  forward: ForwardRecord | null;
}

export class DeliveryHandler {
  readonly #d: DeliveryDeps;
  /** The store's rotations already reflected in the claims' generations. */
  #rotations = 0;

  constructor(deps: DeliveryDeps) {
    this.#d = deps;
  }

  /**
   * Never rejects: a failure answers 500. `ended` runs once, when the request is done with (one promise per request
   * instead of a catch/finally chain on top of this one).
   */
  async complete(
    req: IncomingMessage,
    res: ServerResponse,
    outcome: CheckOutcome,
    body: Buffer,
    bodyOmitted: boolean,
    receivedAtMs: number,
    ended: () => void,
  ): Promise<void> {
    const { stats, claims } = this.#d;
    let answer: Answer = outcome.answer;
    let forward: ForwardRecord | null = null;
    let keys: string[] | null = null;
    /** Set while this request is the first copy of its delivery: it must settle, whatever happens. */
    let claimed: string[] | null = null;
    let accepted = false;
    try {
      if (outcome.verdict.ok) {
        stats.verified += 1;
        keys = deliveryKeys({ deliveryId: outcome.deliveryId, verifiedSignatures: outcome.signatures ?? [] });
        const deduped = this.#dedupe(outcome, keys);
        outcome = deduped instanceof Promise ? await deduped : deduped;
        if (outcome.verdict.duplicate) {
          answer = outcome.answer;
          stats.duplicates += 1;
          accepted = answer.status < 300;
        } else {
          claimed = keys;
          const taken = this.#take(req, outcome, body);
          ({ outcome, answer, forward } = taken instanceof Promise ? await taken : taken);
          // Only what the app took, and the store kept, counts as seen: a sender retrying after a 502 or a
          // store failure must get through again.
          accepted = answer.status < 300;
        }
      } else {
        stats.rejected += 1;
      }

      const record = toRecord(req, outcome, answer, forward, body, bodyOmitted, receivedAtMs);
      // What a later listen reads back from the store to know this delivery: only an acknowledged one's keys.
      if (accepted && keys !== null && keys.length > 0) record.dedupeKeys = keys;
      const { store } = this.#d;
      if (store) {
        try {
          await store.append(record);
          stats.stored += 1;
          // The rotation that made room for this record deleted the oldest file: its keys go too.
          if (store.rotations !== this.#rotations) this.#rotated(store.rotations);
        } catch (error) {
          answer = this.#notStored(record, outcome, error);
          accepted = false;
        }
      }
      if (claimed !== null) {
        claims.settle(claimed, accepted ? answer.status : null);
        claimed = null;
      } else if (accepted && keys !== null) {
        // A copy under another delivery id: that id now names this delivery too.
        claims.remember(keys);
      }
      this.send(res, answer);
      this.#report(record, outcome.payload);
    } catch (error) {
      this.fail(res, error);
    } finally {
      if (claimed !== null) claims.settle(claimed, null);
      ended();
    }
  }

  /**
   * The outcome once dedupe has had its say: a duplicate's, or this one's as the first copy (which must then be
   * settled). Synchronous for the usual delivery; only a copy of one still in flight waits.
   */
  #dedupe(outcome: CheckOutcome, keys: string[]): CheckOutcome | Promise<CheckOutcome> {
    return keys.length === 0 ? outcome : this.#byClaim(outcome, keys, this.#d.claims.claim(keys));
  }

  #rotated(rotations: number): void {
    for (; this.#rotations < rotations; this.#rotations++) this.#d.claims.accepted.advance();
  }

  /** A copy of a delivery in flight waits for the first's outcome; if the first was not taken, it claims again. */
  #byClaim(outcome: CheckOutcome, keys: string[], claim: Claim): CheckOutcome | Promise<CheckOutcome> {
    if (claim === 'first') return outcome;
    if (claim === 'seen') return duplicateOutcome(outcome);
    return claim.then((firstStatus) => {
      if (firstStatus === null) return this.#byClaim(outcome, keys, this.#d.claims.claim(keys));
      const duplicate = duplicateOutcome(outcome);
      duplicate.answer = { ...duplicate.answer, status: firstStatus };
      return duplicate;
    });
  }

  /**
   * What a first copy gets: ignored (not one of listen's --events), the app's answer (forwarding), or ours. Only a
   * forwarding receiver waits here: the usual delivery goes on to the store in the same turn.
   */
  #take(req: IncomingMessage, outcome: CheckOutcome, body: Buffer): Taken | Promise<Taken> {
    if (this.#d.acceptEvent && !this.#d.acceptEvent(outcome.event)) {
      const ignored = ignoredOutcome(outcome);
      return { outcome: ignored, answer: ignored.answer, forward: null };
    }
    const target = this.#target(req, outcome);
    if (target === undefined) return { outcome, answer: outcome.answer, forward: null };
    return this.#forward(target, req, outcome, body);
  }

  /** Not written means not acknowledged: the record says so, and a 500 makes the sender try again. */
  #notStored(record: EventRecord, outcome: CheckOutcome, error: unknown): Answer {
    this.#d.stats.storeFailed += 1;
    const failed = rejection('store_failed', (error as Error).message, outcome);
    record.status = failed.answer.status;
    delete record.dedupeKeys;
    // Not acknowledged, so not a success anywhere: not in --exit-after, not remembered as seen.
    record.verdict = failed.verdict;
    return failed.answer;
  }

  /** Where to pass this delivery on, if anywhere. listen's own self-test through the tunnel is never passed on. */
  #target(req: IncomingMessage, outcome: CheckOutcome): string | undefined {
    if (!this.#d.forwarder || req.headers[SELF_TEST_HEADER]) return undefined;
    return this.#d.router.target(outcome.event);
  }

  async #forward(target: string, req: IncomingMessage, outcome: CheckOutcome, body: Buffer): Promise<Taken> {
    const { forwarder, stats } = this.#d;
    const result = await forwarder!.send(target, req.headers, body);
    if (result.record.error !== undefined) stats.forwardFailed += 1;
    else stats.forwarded += 1;
    return { outcome, answer: result.answer, forward: result.record };
  }

  #report(record: EventRecord, payload: unknown): void {
    if (!this.#d.onDelivery) return;
    try {
      this.#d.onDelivery(record, payload);
    } catch {
      // A reporting failure must not take the receiver down.
    }
  }

  send(res: ServerResponse, answer: Answer): void {
    if (res.destroyed) return;
    const headers: Record<string, string | number> = {
      'content-type': answer.headers?.['content-type'] ?? JSON_TYPE,
      'content-length': Buffer.byteLength(answer.body),
    };
    if (answer.headers?.allow) headers.allow = answer.headers.allow;
    if (this.#d.closing()) headers.connection = 'close';
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  fail(res: ServerResponse, error: unknown): void {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ error: 'internal_error', message: (error as Error).message }));
    }
  }
}

// Deliveries under load arrive many to a millisecond: the last one's timestamp text is reused (toISOString is
// about a microsecond, a measurable share of a delivery's own cost).
let lastIsoMs = NaN;
let lastIso = '';
function isoAt(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

function toRecord(
  req: IncomingMessage,
  outcome: CheckOutcome,
  answer: Answer,
  forward: ForwardRecord | null,
  body: Buffer,
  bodyOmitted: boolean,
  receivedAtMs: number,
): EventRecord {
  const encoded = bodyOmitted
    ? { body: '', bodyEncoding: 'utf8' as const }
    : outcome.bodyText !== undefined
      ? { body: outcome.bodyText, bodyEncoding: 'utf8' as const }
      : encodeBody(body);
  const record: EventRecord = {
    id: newEventId(receivedAtMs),
    receivedAt: isoAt(receivedAtMs),
    method: req.method ?? '',
    path: req.url ?? '/',
    remoteAddress: req.socket.remoteAddress ?? null,
    headers: redactHeaders(req.headers),
    body: encoded.body,
    bodyEncoding: encoded.bodyEncoding,
    bodyBytes: body.length,
    status: answer.status,
    verdict: outcome.verdict,
    event: outcome.event,
    deliveryId: outcome.deliveryId,
    forward,
  };
  if (bodyOmitted) record.bodyOmitted = true;
  return record;
}
