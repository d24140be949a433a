import type { CommandSpec } from '../../cli/spec.js';
import { PROFILE_KEYS } from '../../store/profile-keys.js';

const load = () => import('./run.js');
const KEYS = Object.keys(PROFILE_KEYS);
const key = { name: '<key>', description: KEYS.join('|'), complete: KEYS };

export const spec: CommandSpec = {
  name: 'config',
  summary: 'Read and change settings of the current profile',
  group: 'Secrets & auth',
  examples: [
    'pictify-hooks config list',
    'pictify-hooks config set base-url http://127.0.0.1:4010',
    'pictify-hooks --profile staging config get base-url',
  ],
  subcommands: [
    {
      name: 'get',
      summary: 'Print one setting',
      arguments: [key],
      examples: ['pictify-hooks config get base-url'],
      run: async (ctx, [k]: [string]) => (await load()).runGet(ctx, k),
    },
    {
      name: 'set',
      summary: 'Change one setting',
      arguments: [key, { name: '<value>' }],
      examples: ['pictify-hooks config set base-url http://127.0.0.1:4010'],
      run: async (ctx, [k, value]: [string, string]) => (await load()).runSet(ctx, k, value),
    },
    {
      name: 'unset',
      summary: 'Remove one setting',
      arguments: [key],
      examples: ['pictify-hooks config unset base-url'],
      run: async (ctx, [k]: [string]) => (await load()).runUnset(ctx, k),
    },
    {
      name: 'list',
      summary: 'Show every setting of the profile (API key masked)',
      examples: ['pictify-hooks config list --json'],
      run: async (ctx) => (await load()).runList(ctx),
    },
    {
      name: 'path',
      summary: 'Print where the config file is',
      examples: ['pictify-hooks config path'],
      run: async (ctx) => (await load()).runPath(ctx),
    },
  ],
};
