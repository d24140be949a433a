import type { CommandSpec } from '../../cli/spec.js';
import type { RawFlags } from './run.js';

export const spec: CommandSpec = {
  name: 'emulator',
  summary:
    'Run a local Pictify API: subscriptions, signed deliveries with retries, a delivery log (use with PICTIFY_BASE_URL)',
  group: 'Emulator',
  options: [
    { flags: '--port <n>', description: 'port to listen on (0 picks a free one)', default: '4010' },
    { flags: '--host <host>', description: 'address to bind', default: '127.0.0.1' },
    {
      flags: '--data-dir <dir>',
      description: 'keep subscriptions, secrets and pending retries in this folder (default: in memory)',
    },
    {
      flags: '--retry-scale <factor>',
      description: 'multiply the retry delays (1 min, 5 min, 30 min, 2 h, 24 h), e.g. 0.001',
      default: '1',
    },
    {
      flags: '--allow-remote',
      description: 'also deliver to targets that are not loopback addresses (default: offline, loopback only)',
    },
    {
      flags: '--ready-file <file>',
      description: 'write the url to this file once listening (removed on exit), for scripts to wait on',
    },
  ],
  footer: 'The global --api-key pins the one key the emulator accepts; without it any Bearer key works.',
  examples: [
    'pictify-hooks emulator',
    'pictify-hooks emulator --port 0 --data-dir .emulator --retry-scale 0.001',
    'PICTIFY_BASE_URL=http://127.0.0.1:4010 PICTIFY_API_KEY=test pictify-hooks create --event render.completed --url http://127.0.0.1:3000',
  ],
  run: async (ctx, _args, flags: RawFlags) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(flags, ctx));
  },
};
