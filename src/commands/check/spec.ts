import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'check',
  summary:
    "Test a receiver's signature verification: valid, tampered, stale, malformed and replayed deliveries, graded",
  group: 'Signing & sending',
  arguments: [
    {
      name: '[url]',
      description: 'the receiver to test (only this url is contacted); default: the url of --subscription',
    },
  ],
  flags,
  examples: [
    'pictify-hooks check http://localhost:3000/webhooks/pictify --secret whsec_...',
    'pictify-hooks check https://staging.example.com/hooks --subscription wh_123 --junit report.xml',
    'pictify-hooks check --subscription sub_123',
    'pictify-hooks check http://localhost:3000/hooks --secret whsec_… --event render.completed --json',
  ],
  run: async (ctx, [url]: [string | undefined], options) => (await import('./run.js')).run(ctx, { url, ...options }),
});
