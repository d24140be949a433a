import { collect } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';
import type { SendFlags } from './run.js';

export const spec: CommandSpec = {
  name: 'send',
  summary: 'Sign sample events and POST them to a receiver (also a load test)',
  description:
    'sign sample events as Pictify does and POST them to a receiver; exit 1 when an answer misses --expect. ' +
    'With --count it becomes a load test: n deliveries, each with its own delivery id and signature',
  group: 'Signing & sending',
  arguments: [{ name: '[events...]', description: `events to send (${EVENT_NAMES.join(', ')})`, complete: 'events' }],
  options: [
    { flags: '--all', description: 'send one of every event' },
    { flags: '--url <url>', description: 'receiver url' },
    { flags: '--subscription <uid>', description: 'use the stored secret and target url of this subscription' },
    { flags: '--secret <secret>', description: 'webhook secret (default PICTIFY_WEBHOOK_SECRET)' },
    {
      flags: '--set <path=value>',
      description: 'override a field, e.g. data.templateId=tmpl_1 (JSON values); repeatable',
      parse: collect,
    },
    { flags: '--data <@file>', description: 'JSON object merged into data' },
    { flags: '--payload <@file|->', description: 'send these exact bytes instead of a sample' },
    {
      flags: '--timestamp <unix-seconds>',
      description: 'signature timestamp (default now; an old one tests replay protection)',
    },
    {
      flags: '--delivery-id <id>',
      description: 'use this delivery id instead of a fresh del_… (duplicate-delivery tests)',
    },
    { flags: '--header <name:value>', description: 'extra request header; repeatable; overrides ours', parse: collect },
    {
      flags: '--expect <status>',
      description: 'statuses that count as success: 2xx, 4xx, 401, or a comma list',
      default: '2xx',
    },
    { flags: '--count <n>', description: 'load mode: send n deliveries and print a summary' },
    { flags: '--concurrency <c>', description: 'load mode: deliveries in flight (default 10)' },
    {
      flags: '--timeout <duration>',
      description:
        'per-request timeout, e.g. 10s or 500ms; a bare number is seconds (it was ms before) (default 30s, as Pictify)',
    },
  ],
  examples: [
    'pictify-hooks send render.completed --url http://localhost:3000/webhooks --secret whsec_…',
    'pictify-hooks send --all --subscription wh_123',
    'pictify-hooks send render.completed --url http://localhost:3000/webhooks --set data.templateId=tmpl_1',
    "pictify-hooks send render.completed --url http://localhost:3000/webhooks --header 'X-Pictify-Signature: t=1,v1=00' --expect 401",
    'pictify-hooks send render.completed --url http://localhost:3000/webhooks --count 5000 --concurrency 32',
  ],
  run: async (ctx, [events]: [string[]], flags: SendFlags) => {
    const m = await import('./run.js');
    return m.run(ctx, m.parseSendFlags(events, flags));
  },
};
