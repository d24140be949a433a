import { defineCommand } from '../../cli/spec.js';
import { TUNNEL_NAMES } from '../../receiver/tunnel/providers/index.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'listen',
  summary: 'Receive deliveries locally: verify each one strictly, show it, store it, optionally forward it to your app',
  group: 'Receiving',
  api: true,
  flags,
  examples: [
    'pictify-hooks listen --port 3000 --secret whsec_…',
    'pictify-hooks listen --forward-to http://localhost:8080/webhooks/pictify',
    "pictify-hooks listen --route 'render.*=localhost:4000/renders' --forward-to localhost:4000/other",
    'pictify-hooks listen --port 0 --ready-file .listen-url --exit-after 6 --timeout 60s --json',
    `pictify-hooks listen --subscribe render.completed --tunnel ${TUNNEL_NAMES[0]} --write-env .env.local`,
    'pictify-hooks listen --forward-to http://localhost:8080/webhooks/pictify --ui',
  ],
  run: async (ctx, _args, options) => {
    const m = await import('./run.js');
    return m.run(ctx, m.toOptions(options));
  },
});
