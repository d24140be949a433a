import type { CommandSpec } from '../../cli/spec.js';
import type { LoginOptions } from './run.js';

export const spec: CommandSpec = {
  name: 'login',
  summary: 'Store a Pictify API key in the current profile (checked with one API call first)',
  group: 'Secrets & auth',
  options: [
    { flags: '--api-key-stdin', description: 'read the key from standard input (for CI)' },
    { flags: '--no-verify', description: 'save the key without checking it with the API' },
  ],
  examples: [
    'pictify-hooks login',
    'echo "$PICTIFY_API_KEY" | pictify-hooks login --api-key-stdin',
    'pictify-hooks --profile staging login',
  ],
  run: async (ctx, _args, options: LoginOptions) => (await import('./run.js')).run(ctx, options),
};
