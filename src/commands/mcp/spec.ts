import { defineCommand } from '../../cli/spec.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'mcp',
  summary: 'A Model Context Protocol server on stdio: the same operations as tools, never a secret',
  description:
    'serve the webhook loop to an AI agent over the Model Context Protocol (stdio): subscriptions, test events, ' +
    'verification with a diagnosis, what listen stored, replay, receiver grading, emulator triggers. Signing ' +
    'secrets stay in the config and never appear in a tool result; the API key comes from the profile or the ' +
    'environment. The agent starts it: see docs/mcp.md for client configuration',
  group: 'Other',
  api: true,
  flags,
  examples: [
    'pictify-hooks mcp',
    'claude mcp add pictify-hooks -- npx pictify-hooks mcp',
    'PICTIFY_BASE_URL=http://127.0.0.1:4010 pictify-hooks mcp   # against the emulator',
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
