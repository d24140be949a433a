import { parseEventName } from '../../cli/flags.js';
import type { CommandSpec } from '../../cli/spec.js';
import { EVENT_NAMES } from '../../events/names.js';
import type { RawCheckOptions } from './run.js';

export const spec: CommandSpec = {
  name: 'check',
  summary:
    "Test a receiver's signature verification: valid, tampered, stale, malformed and replayed deliveries, graded",
  group: 'Signing & sending',
  arguments: [{ name: '<url>', description: 'the receiver to test (only this url is contacted)' }],
  options: [
    {
      flags: '--secret <secret>',
      description: 'the signing secret the receiver expects (else PICTIFY_WEBHOOK_SECRET)',
    },
    { flags: '--subscription <uid>', description: 'use the stored secret of this subscription' },
    {
      flags: '--event <event>',
      description: `only this event for the valid cases and as the sample of the others (${EVENT_NAMES.join(', ')})`,
      parse: (v: string) => parseEventName(v, '--event'),
      complete: 'events',
    },
    {
      flags: '--timeout <duration>',
      description: 'per-request timeout, e.g. 10s or 500ms; a bare number is seconds (it was ms before) (default 30s)',
    },
    { flags: '--junit <file>', description: 'also write a JUnit XML report to <file> for CI' },
    { flags: '--request-gap <duration>', description: 'pause between requests', hidden: true },
  ],
  examples: [
    'pictify-hooks check http://localhost:3000/webhooks/pictify --secret whsec_...',
    'pictify-hooks check https://staging.example.com/hooks --subscription sub_123 --junit check-report.xml',
    'PICTIFY_WEBHOOK_SECRET=whsec_... pictify-hooks check http://localhost:3000/hooks --event render.completed --json',
  ],
  run: async (ctx, [url]: [string], raw: RawCheckOptions) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(url, raw));
  },
};
