import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'login',
  summary: 'Store a Pictify API key in the current profile (checked with one API call first)',
  group: 'Secrets & auth',
  api: true,
  flags,
  examples: [
    'pictify-hooks login',
    'echo "$PICTIFY_API_KEY" | pictify-hooks login --api-key-stdin',
    'pictify-hooks --profile staging login',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
