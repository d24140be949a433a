// The node:http front: routing, Bearer auth, Idempotency-Key, persistence after changes, problem+json on
// every error, and one log line per request (method, path, status, ms — never headers, bodies or secrets).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PREFIX, handleControl, type ControlDeps } from './control-routes.js';
import { readBody, sendJson, sendProblem, type JsonAnswer } from './http-util.js';
import { ProblemError, notFound } from './problem.js';
import { sha256 } from './store.js';
import { COLLECTION_PATH as COLLECTION } from '../api/contract.js';
import { handleSubscriptions, isMutating } from './subscription-routes.js';

export interface HandlerDeps extends ControlDeps {
  /** When set, only this key is accepted; otherwise any non-empty Bearer key is. */
  apiKey?: string;
  log: (line: string) => void;
}

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? '');
  return match?.[1].trim() || undefined;
}

function sameKey(given: string, pinned: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(pinned);
  return a.length === b.length && timingSafeEqual(a, b);
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError(401, 'unauthorized', detail, undefined, {
    'www-authenticate': 'Bearer realm="pictify-emulator"',
  });
}

/** API routes always need a key; control routes only when the emulator pins one. */
function authenticate(req: IncomingMessage, deps: HandlerDeps, required: boolean): string {
  const key = bearer(req);
  if (deps.apiKey !== undefined) {
    if (!key) throw unauthorized('missing API key: send Authorization: Bearer <key>');
    if (!sameKey(key, deps.apiKey)) throw unauthorized('invalid API key: this emulator was started with --api-key');
    return key;
  }
  if (required && !key)
    throw unauthorized('missing API key: send Authorization: Bearer <key> (any key works on the emulator)');
  return key ?? '';
}

export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    res.on('finish', () =>
      deps.log(
        `${req.method} ${url.pathname}${url.search} ${res.statusCode} ${Math.round(performance.now() - started)}ms`,
      ),
    );
    route(req, url, deps).then(
      (answer) => sendJson(res, answer),
      (error: unknown) => {
        if (error instanceof ProblemError) return sendProblem(res, error, url.pathname);
        deps.log(`internal error on ${req.method} ${url.pathname}: ${(error as Error).message}`);
        sendProblem(
          res,
          new ProblemError(500, 'internal_error', 'the emulator failed to handle this request'),
          url.pathname,
        );
      },
    );
  };
}

async function route(req: IncomingMessage, url: URL, deps: HandlerDeps): Promise<JsonAnswer> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const segments = path.split('/').filter(Boolean).map(decodeSegment);

  if (path === COLLECTION || path.startsWith(`${COLLECTION}/`)) {
    const key = authenticate(req, deps, true);
    const body = await readBody(req);
    const request = { method, segments: segments.slice(1), query: url.searchParams, body };
    const idempotencyKey = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    if (typeof idempotencyKey === 'string' && idempotencyKey !== '') {
      const scope = sha256(`${key}\n${idempotencyKey}`);
      const bodyHash = sha256(body);
      const previous = deps.store.idempotencyRecord(scope, deps.now());
      if (previous) {
        if (previous.method !== method || previous.path !== path || previous.bodyHash !== bodyHash) {
          throw new ProblemError(
            422,
            'idempotency_key_reused',
            'this Idempotency-Key was already used with a different request; use a new key for a new request',
          );
        }
        return { status: previous.status, raw: previous.response, headers: { 'idempotent-replayed': 'true' } };
      }
      const answer = handleSubscriptions(deps.store, deps.now, request);
      const raw = JSON.stringify(answer.body);
      deps.store.addIdempotencyRecord({
        scope,
        method,
        path,
        bodyHash,
        status: answer.status,
        response: raw,
        createdAt: deps.now(),
      });
      await deps.store.save();
      return { ...answer, raw };
    }
    const answer = handleSubscriptions(deps.store, deps.now, request);
    if (isMutating(method)) await deps.store.save();
    return answer;
  }

  if (path.startsWith(`${CONTROL_PREFIX}/`) && segments.length === 2) {
    if (segments[1] !== 'health') authenticate(req, deps, false);
    const body = await readBody(req);
    return handleControl(deps, { method, name: segments[1], query: url.searchParams, body });
  }

  throw notFound(`no route ${method} ${path}; the API lives under ${COLLECTION}`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(`malformed path segment "${segment}"`);
  }
}
