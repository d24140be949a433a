// Request validation with field errors, so a client learns every bad field from one answer.
import { DEFAULT_LIMIT, MAX_LIMIT } from '../api/contract.js';
import { EVENT_NAMES, isEventName } from '../events/index.js';
import { validationProblem, type ProblemFieldError } from './problem.js';
import {
  PLATFORMS,
  RENDER_TYPES,
  SUBSCRIPTION_STATUSES,
  type Filters,
  type Platform,
  type SubscriptionStatus,
} from './types.js';

const FILTER_KEYS = ['templateId', 'bindingId', 'type'] as const;

export interface CreateInput {
  event: string;
  targetUrl: string;
  platform: Platform;
  filters: Filters;
}

export interface UpdateInput {
  targetUrl?: string;
  filters?: Filters;
  status?: 'active' | 'paused';
}

export interface ListQuery {
  event?: string;
  status?: string;
  platform?: string;
  page: number;
  limit: number;
}

type Errors = ProblemFieldError[];

function checkEvent(value: unknown, field: string, errors: Errors): string | undefined {
  if (value === undefined || value === null || value === '') {
    errors.push({ field, message: 'is required', code: 'required' });
    return undefined;
  }
  if (!isEventName(value)) {
    errors.push({ field, message: `must be one of ${EVENT_NAMES.join(', ')}`, code: 'invalid_enum' });
    return undefined;
  }
  return value;
}

function checkUrl(value: unknown, field: string, errors: Errors, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) errors.push({ field, message: 'is required', code: 'required' });
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ field, message: 'must be a string', code: 'invalid_type' });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    errors.push({ field, message: 'must be an absolute http(s) URL', code: 'invalid_url' });
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    errors.push({ field, message: 'must use http or https', code: 'invalid_url' });
    return undefined;
  }
  if (value.length > 2048) {
    errors.push({ field, message: 'must be at most 2048 characters', code: 'too_long' });
    return undefined;
  }
  return value;
}

function checkPlatform(value: unknown, errors: Errors): Platform {
  if (value === undefined || value === null) return 'custom';
  if (typeof value !== 'string' || !(PLATFORMS as readonly string[]).includes(value)) {
    errors.push({ field: 'platform', message: `must be one of ${PLATFORMS.join(', ')}`, code: 'invalid_enum' });
    return 'custom';
  }
  return value as Platform;
}

function checkFilters(value: unknown, errors: Errors): Filters | undefined {
  if (value === undefined) return undefined;
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'filters', message: 'must be an object', code: 'invalid_type' });
    return undefined;
  }
  const filters: Filters = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = `filters.${key}`;
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      errors.push({ field, message: `unknown filter; use ${FILTER_KEYS.join(', ')}`, code: 'unknown_field' });
      continue;
    }
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') {
      errors.push({ field, message: 'must be a non-empty string', code: 'invalid_type' });
      continue;
    }
    if (key === 'type' && !(RENDER_TYPES as readonly string[]).includes(v)) {
      errors.push({ field, message: `must be one of ${RENDER_TYPES.join(', ')}`, code: 'invalid_enum' });
      continue;
    }
    filters[key as (typeof FILTER_KEYS)[number]] = v;
  }
  return filters;
}

export function validateCreate(body: Record<string, unknown>): CreateInput {
  const errors: Errors = [];
  const event = checkEvent(body.event, 'event', errors);
  const targetUrl = checkUrl(body.targetUrl, 'targetUrl', errors, true);
  const platform = checkPlatform(body.platform, errors);
  const filters = checkFilters(body.filters, errors) ?? {};
  if (errors.length) throw validationProblem(errors);
  return { event: event!, targetUrl: targetUrl!, platform, filters };
}

export function validateUpdate(body: Record<string, unknown>): UpdateInput {
  const errors: Errors = [];
  const update: UpdateInput = {};
  if (body.targetUrl !== undefined) {
    const url = checkUrl(body.targetUrl, 'targetUrl', errors, true);
    if (url) update.targetUrl = url;
  }
  const filters = checkFilters(body.filters, errors);
  if (filters) update.filters = filters;
  if (body.status !== undefined) {
    if (body.status === 'active' || body.status === 'paused') update.status = body.status;
    else errors.push({ field: 'status', message: 'must be active or paused', code: 'invalid_enum' });
  }
  if (body.event !== undefined) {
    errors.push({ field: 'event', message: 'cannot be changed; create a new subscription', code: 'immutable' });
  }
  if (!errors.length && Object.keys(update).length === 0) {
    errors.push({ field: 'body', message: 'give at least one of targetUrl, filters, status', code: 'required' });
  }
  if (errors.length) throw validationProblem(errors);
  return update;
}

function positiveInt(raw: string | null, field: string, fallback: number, errors: Errors): number {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    errors.push({ field, message: 'must be a whole number of at least 1', code: 'invalid_number' });
    return fallback;
  }
  return Number(raw);
}

export function validateListQuery(params: URLSearchParams): ListQuery {
  const errors: Errors = [];
  const query: ListQuery = {
    page: positiveInt(params.get('page'), 'page', 1, errors),
    // Over-large limits are clamped, as paginated APIs usually do, rather than refused.
    limit: Math.min(positiveInt(params.get('limit'), 'limit', DEFAULT_LIMIT, errors), MAX_LIMIT),
  };
  const event = params.get('event');
  if (event) query.event = checkEvent(event, 'event', errors);
  const status = params.get('status');
  if (status) {
    if ((SUBSCRIPTION_STATUSES as readonly string[]).includes(status)) query.status = status as SubscriptionStatus;
    else
      errors.push({
        field: 'status',
        message: `must be one of ${SUBSCRIPTION_STATUSES.join(', ')}`,
        code: 'invalid_enum',
      });
  }
  const platform = params.get('platform');
  if (platform) query.platform = checkPlatform(platform, errors);
  if (errors.length) throw validationProblem(errors);
  return query;
}
