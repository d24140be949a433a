// /_emulator/*: what the real API does not have but a local one needs — raise an event, read the delivery log,
// reset for tests, and a health check for scripts waiting on start-up.
import { InputError } from '../errors.js';
import { applySet, buildSampleEvent, EVENT_NAMES, isEventName, parseSetArgument } from '../events/index.js';
import type { DeliveryEngine } from './delivery.js';
import { parseJsonObject, type JsonAnswer } from './http-util.js';
import { ProblemError, notFound, validationProblem } from './problem.js';
import type { EmulatorStore } from './store.js';

export const CONTROL_PREFIX = '/_emulator';
const DEFAULT_LOG_LIMIT = 100;

export interface ControlDeps {
  store: EmulatorStore;
  engine: DeliveryEngine;
  now: () => number;
  /** How long POST /_emulator/events waits for first attempts before answering. */
  triggerWaitMs: number;
}

function methodNotAllowed(method: string, allowed: string): ProblemError {
  return new ProblemError(405, 'method_not_allowed', `${method} is not allowed here; use ${allowed}`, undefined, {
    allow: allowed,
  });
}

export async function handleControl(
  deps: ControlDeps,
  req: { method: string; name: string; query: URLSearchParams; body: Buffer },
): Promise<JsonAnswer> {
  const { method, name } = req;
  switch (name) {
    case 'health':
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return { status: 200, body: { ok: true, emulator: 'pictify-hooks', persistent: deps.store.persistent } };
    case 'events':
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      return trigger(deps, req.body, req.query);
    case 'deliveries':
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return deliveryLog(deps, req.query);
    case 'reset':
      if (method !== 'POST') throw methodNotAllowed(method, 'POST');
      deps.engine.reset();
      deps.store.reset();
      await deps.store.save();
      return { status: 200, body: { reset: true } };
    default:
      throw notFound(`no route ${method} ${CONTROL_PREFIX}/${name}`);
  }
}

/** `{event, data?, set?}`: the catalogue sample, `data` merged over its data, then each `set` path applied. */
export function buildTriggeredEvent(
  body: Record<string, unknown>,
  nowMs: number,
): { event: string; envelope: { data: Record<string, unknown> } & Record<string, unknown> } {
  const event = body.event;
  if (!isEventName(event)) {
    throw validationProblem([
      {
        field: 'event',
        message: event === undefined ? 'is required' : `must be one of ${EVENT_NAMES.join(', ')}`,
        code: event === undefined ? 'required' : 'invalid_enum',
      },
    ]);
  }
  const envelope = buildSampleEvent(event, { now: nowMs }) as unknown as { data: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  if (body.data !== undefined) {
    if (body.data === null || typeof body.data !== 'object' || Array.isArray(body.data)) {
      throw validationProblem([{ field: 'data', message: 'must be an object', code: 'invalid_type' }]);
    }
    Object.assign(envelope.data, body.data);
  }
  for (const [path, raw] of setPairs(body.set)) {
    try {
      applySet(envelope, path, raw);
    } catch (error) {
      if (error instanceof InputError)
        throw validationProblem([{ field: `set.${path}`, message: error.message, code: 'invalid_path' }]);
      throw error;
    }
  }
  if (envelope.data === null || typeof envelope.data !== 'object' || Array.isArray(envelope.data)) {
    throw validationProblem([{ field: 'set.data', message: 'data must stay an object', code: 'invalid_type' }]);
  }
  return { event, envelope };
}

/** `set` as `["data.type=gif", …]` (the CLI's --set) or `{"data.type": "gif", …}` with JSON values. */
function setPairs(set: unknown): [string, string][] {
  if (set === undefined || set === null) return [];
  if (Array.isArray(set)) {
    return set.map((item) => {
      if (typeof item !== 'string')
        throw validationProblem([
          { field: 'set', message: 'items must be "path=value" strings', code: 'invalid_type' },
        ]);
      try {
        const { path, raw } = parseSetArgument(item);
        return [path, raw];
      } catch (error) {
        throw validationProblem([{ field: 'set', message: (error as Error).message, code: 'invalid_format' }]);
      }
    });
  }
  if (typeof set === 'object')
    return Object.entries(set as Record<string, unknown>).map(([path, value]) => [path, JSON.stringify(value)]);
  throw validationProblem([
    { field: 'set', message: 'must be an array of "path=value" or an object', code: 'invalid_type' },
  ]);
}

async function trigger(deps: ControlDeps, raw: Buffer, query: URLSearchParams): Promise<JsonAnswer> {
  const { event, envelope } = buildTriggeredEvent(parseJsonObject(raw), deps.now());
  const waitParam = query.get('wait');
  const waitMs =
    waitParam !== null && /^\d+$/.test(waitParam)
      ? Math.min(Number(waitParam), deps.triggerWaitMs)
      : deps.triggerWaitMs;
  const deliveries = await deps.engine.trigger(event, envelope, waitMs);
  return { status: 202, body: { event, matched: deliveries.length, deliveries } };
}

function deliveryLog(deps: ControlDeps, query: URLSearchParams): JsonAnswer {
  const subscription = query.get('subscription') || undefined;
  const limitRaw = query.get('limit');
  if (limitRaw !== null && (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1)) {
    throw validationProblem([
      { field: 'limit', message: 'must be a whole number of at least 1', code: 'invalid_number' },
    ]);
  }
  const limit = limitRaw === null ? DEFAULT_LOG_LIMIT : Number(limitRaw);
  const deliveries = deps.store.attempts().filter((a) => !subscription || a.subscription === subscription);
  const pending = deps.store
    .deliveries()
    .filter((d) => d.state === 'pending' && (!subscription || d.subscription === subscription))
    .map((d) => ({
      deliveryId: d.deliveryId,
      subscription: d.subscription,
      event: d.event,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt === undefined ? null : new Date(d.nextAttemptAt).toISOString(),
    }));
  return { status: 200, body: { deliveries: deliveries.slice(-limit), total: deliveries.length, pending } };
}
