import type { CommandSpec } from '../../cli/spec.js';

export const spec: CommandSpec = {
  name: 'logout',
  summary: 'Remove the API key from the current profile',
  group: 'Secrets & auth',
  examples: ['pictify-hooks logout', 'pictify-hooks --profile staging logout'],
  run: async (ctx) => (await import('../auth/run.js')).runLogout(ctx),
};
