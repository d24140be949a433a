// Replay from the page: resend a stored delivery (re-signed with the secret that verified it, or as-is), or an
// edited copy of its JSON (always re-signed), to the forward target or a typed URL; the result is stored as a new
// delivery linked to its source. Posting and signing are outbound's; the verdict is the receiver's own judge.
import { buildDelivery, newDeliveryId, type SignedRequest } from '../outbound/build.js';
import { postDelivery, type PostResult } from '../outbound/post.js';
import { checkBody } from '../receiver/judge.js';
import { secretLabel, type SourcedSecret } from '../signing/secret-source.js';
import { effectiveTolerance } from '../signing/index.js';
import {
  decodeBody,
  encodeBody,
  newEventId,
  storedEventName,
  type EventRecord,
  type ForwardRecord,
} from '../store/event-store-record.js';
import { resendHeaders } from '../outbound/resend-headers.js';
import { headerValueProblem } from '../outbound/header-value.js';

export interface ReplayInput {
  mode: 'resigned' | 'as-is';
  /** A URL typed in the page; omitted: the forward target. */
  target?: string;
  /** Edited JSON text: sent re-signed instead of the stored body. */
  body?: string;
  /** Sign with this secret (by label) instead of the one that verified the source. */
  secretLabel?: string;
}

export interface ReplayContext {
  secrets(): Promise<readonly SourcedSecret[]>;
  /** Where listen forwards this event, when it forwards at all. */
  forwardTarget(event: string | null): string | undefined;
  allowRemote: boolean;
  now(): number;
  toleranceSeconds?: number;
  timeoutMs: number;
}

/** A refusal the API answers with this status and message. */
export class ReplayRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Loopback by its address or the one name every resolver keeps local (`x.localhost` may go to DNS: refused). */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function replayTarget(source: EventRecord, input: ReplayInput, ctx: ReplayContext): URL {
  const text = input.target?.trim() || ctx.forwardTarget(source.event);
  if (!text) {
    throw new ReplayRefused(400, 'no_target', 'listen forwards nowhere: type the URL to send it to');
  }
  let url: URL;
  try {
    // A scheme-less loopback target (localhost:4000/x) means http, as everywhere else.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new ReplayRefused(400, 'invalid_target', `not a URL: ${text.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ReplayRefused(400, 'invalid_target', `only http and https URLs, got ${url.protocol}`);
  }
  if (!ctx.allowRemote && !isLoopbackHostname(url.hostname)) {
    throw new ReplayRefused(
      403,
      'remote_target',
      `${url.host} is not on this machine: replays go to loopback addresses ` +
        'unless listen runs with --allow-remote-replay',
    );
  }
  return url;
}

function editedBody(text: unknown): { bytes: Buffer; parsed: Record<string, unknown> } {
  if (typeof text !== 'string') throw new ReplayRefused(400, 'invalid_body', 'the edited body must be text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ReplayRefused(400, 'invalid_json', `the edited body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ReplayRefused(400, 'invalid_json', 'the edited body must be a JSON object (an event envelope)');
  }
  return { bytes: Buffer.from(text, 'utf8'), parsed: parsed as Record<string, unknown> };
}

async function signingSecret(source: EventRecord, input: ReplayInput, ctx: ReplayContext): Promise<SourcedSecret> {
  const label = input.secretLabel ?? source.verdict.matchedLabel;
  const secrets = await ctx.secrets();
  const secret =
    label === undefined
      ? undefined
      : secrets.find((s) => s.source && secretLabel(s.source) === label && s.secret.length > 0);
  if (secret) return secret;
  if (label === undefined) {
    throw new ReplayRefused(
      409,
      'no_secret',
      `${source.id} never verified (${source.verdict.reason ?? 'no verdict'}): ` +
        'choose the secret to sign it with, or resend it as-is',
    );
  }
  throw new ReplayRefused(409, 'no_secret', `the secret labelled ${label} is not known to this listen any more`);
}

type Edited = ReturnType<typeof editedBody>;

/** Builds, sends and records one replay. Returns the new record (not yet stored: the caller stores it). */
export async function replay(source: EventRecord, input: ReplayInput, ctx: ReplayContext): Promise<EventRecord> {
  if (source.bodyOmitted || source.method !== 'POST') {
    throw new ReplayRefused(
      409,
      'not_replayable',
      `${source.id} was refused before its body was read: nothing to send`,
    );
  }
  const url = replayTarget(source, input, ctx);
  const edited = input.body !== undefined ? editedBody(input.body) : undefined;
  const mode = edited ? 'resigned' : input.mode;
  const nowMs = ctx.now();
  const request =
    mode === 'as-is'
      ? { body: decodeBody(source), headers: sendable(resendHeaders(source), 'the stored') }
      : resignedRequest(source, edited, await signingSecret(source, input, ctx), nowMs);
  const result = await postDelivery(url, request, { timeoutMs: ctx.timeoutMs, maxBodyBytes: 4096 });
  // What listen itself would have said about these bytes and headers, now.
  const secrets = await ctx.secrets();
  const outcome = checkBody(
    {
      secrets: secrets.filter((s) => s.secret.length > 0),
      toleranceSeconds: effectiveTolerance(ctx.toleranceSeconds),
      maxBodyBytes: Infinity,
      strict: false,
    },
    request.headers,
    request.body,
    nowMs,
  );
  const encoded = encodeBody(request.body);
  return {
    id: newEventId(nowMs),
    receivedAt: new Date(nowMs).toISOString(),
    method: 'POST',
    path: url.pathname + url.search,
    remoteAddress: null,
    headers: request.headers,
    body: encoded.body,
    bodyEncoding: encoded.bodyEncoding,
    bodyBytes: request.body.length,
    status: result.status ?? (result.error?.kind === 'timeout' ? 504 : 502),
    verdict: outcome.verdict,
    event: outcome.event ?? source.event,
    deliveryId: outcome.deliveryId ?? request.headers['x-pictify-delivery-id'] ?? null,
    forward: forwardRecord(url, result),
    replay: { of: source.id, mode, edited: edited !== undefined },
  };
}

/**
 * The headers, if every value can go on the wire: a CR/LF (an edit) or a C1 character (a stored header: Node
 * reads header bytes as latin1, so a 0x9b byte is U+009B) is refused with where it came from. `whose`: "the
 * edited", "the stored".
 */
function sendable<T extends Record<string, string | undefined>>(headers: T, whose: string): T {
  for (const [name, value] of Object.entries(headers)) {
    const problem = value === undefined ? undefined : headerValueProblem(name, value, `${whose} ${name} header`);
    if (problem) throw new ReplayRefused(400, 'invalid_header_value', `${problem}: it cannot be sent as it is`);
  }
  return headers;
}

/** The stored body, or the page's edit, signed now; an edit is a new delivery, a replay the same one. */
function resignedRequest(
  source: EventRecord,
  edited: Edited | undefined,
  secret: SourcedSecret,
  nowMs: number,
): SignedRequest {
  const data = edited?.parsed.data as Record<string, unknown> | undefined;
  const ids = sendable(
    {
      'x-pictify-event': edited
        ? typeof edited.parsed.event === 'string'
          ? edited.parsed.event
          : (source.event ?? undefined)
        : storedEventName(source),
      // An edit's id is the one the page put in data.deliveryId (else a new one); a replay keeps the source's.
      'x-pictify-delivery-id': edited
        ? typeof data?.deliveryId === 'string' && data.deliveryId !== ''
          ? data.deliveryId
          : newDeliveryId()
        : (source.deliveryId ?? newDeliveryId()),
    },
    edited ? 'the edited' : 'the stored',
  );
  return buildDelivery({
    body: edited ? edited.bytes : decodeBody(source),
    secret: secret.secret,
    timestamp: Math.floor(nowMs / 1000),
    event: ids['x-pictify-event'],
    deliveryId: ids['x-pictify-delivery-id'],
  });
}

/** Where the replay went and what came back, as a stored record's `forward`. */
function forwardRecord(url: URL, result: PostResult): ForwardRecord {
  const forward: ForwardRecord = { url: url.toString(), latencyMs: Math.round(result.latencyMs * 10) / 10 };
  if (result.status !== undefined) forward.status = result.status;
  if (result.error) forward.error = result.error.message;
  if (result.body !== '') forward.answer = result.body;
  return forward;
}
