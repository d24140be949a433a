import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'emulator',
  summary:
    'Run a local Pictify API: subscriptions, signed deliveries with retries, a delivery log (use with PICTIFY_BASE_URL)',
  group: 'Emulator',
  api: true,
  flags,
  footer: 'The global --api-key pins the one key the emulator accepts; without it any Bearer key works.',
  examples: [
    'pictify-hooks emulator',
    'pictify-hooks emulator --port 0 --data-dir .emulator --retry-scale 0.001',
    'export PICTIFY_BASE_URL=http://127.0.0.1:4010 PICTIFY_API_KEY=test',
    'pictify-hooks create --event render.completed --url http://127.0.0.1:3000/webhooks',
  ],
  // The global --api-key (not PICTIFY_API_KEY) pins the one key the emulator accepts.
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, { ...options, apiKey: ctx.globals.apiKey }),
});
