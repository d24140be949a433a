import { parseCount, parseDuration, parseHttpUrl, parseUnixSeconds } from '../../cli/flags.js';
import { bool, list, text, value, type FlagValues } from '../../cli/spec.js';

const MAX_SEND_TIMEOUT_MS = 3_600_000;

// --set, --header and --expect are parsed by the run (their parsers live with the outbound code they feed).
export const flags = {
  all: bool('--all', 'send one of every event'),
  url: value('--url <url>', 'receiver url', parseHttpUrl),
  subscription: text('--subscription <uid>', 'use the stored secret and target url of this subscription'),
  secret: text('--secret <secret>', 'webhook secret (default PICTIFY_WEBHOOK_SECRET)'),
  set: list('--set <path=value>', 'override a field, e.g. data.templateId=tmpl_1 (JSON values); repeatable'),
  /** `@file`: a JSON object merged into data. */
  data: text('--data <@file>', 'JSON object merged into data'),
  /** `@file` or `-`: sent verbatim. */
  payload: text('--payload <@file|->', 'send these exact bytes instead of a sample'),
  timestamp: value(
    '--timestamp <unix-seconds>',
    'signature timestamp (default now; an old one tests replay protection)',
    parseUnixSeconds,
  ),
  deliveryId: text('--delivery-id <id>', 'use this delivery id instead of a fresh del_… (duplicate-delivery tests)'),
  header: list('--header <name:value>', 'extra request header; repeatable; overrides ours'),
  expect: text('--expect <status>', 'statuses that count as success: 2xx, 4xx, 401, or a comma list', {
    default: '2xx',
  }),
  /** Load mode when set. */
  count: value('--count <n>', 'load mode: send n deliveries and print a summary', (v, f) =>
    parseCount(v, f, { max: 10_000_000 }),
  ),
  concurrency: value('--concurrency <c>', 'load mode: deliveries in flight (default 10)', (v, f) =>
    parseCount(v, f, { max: 10_000 }),
  ),
  timeoutMs: value(
    '--timeout <duration>',
    'per-request timeout, e.g. 10s or 500ms; a bare number is seconds (it was ms before) (default 30s, as Pictify)',
    (v, f) => parseDuration(v, f, { max: MAX_SEND_TIMEOUT_MS }),
  ),
};
export type SendFlags = FlagValues<typeof flags>;
