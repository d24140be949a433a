import { defineCommand } from '../../cli/spec.js';
import { SIGNATURE_HEADER } from '../../signing/constants.js';
import { flags } from './flags.js';

export const spec = defineCommand({
  name: 'verify',
  summary: "Verify a delivery's signature and explain why it fails",
  description:
    `verify a delivery's ${SIGNATURE_HEADER} against its raw body; exit 0 when valid, 1 with the reason and a ` +
    "diagnosis when not. Without --secret it tries PICTIFY_WEBHOOK_SECRET, else the profile's stored secrets of the API in use",
  group: 'Signing & sending',
  flags,
  examples: [
    `pictify-hooks verify --header 't=1700000000,v1=…' --payload @body.json --secret whsec_…`,
    `pictify-hooks verify --header "$SIG" --payload - < body.json`,
    `pictify-hooks verify --header "$SIG" --payload @body.json --now 1700000000 --json`,
  ],
  run: async (ctx, _args, options) => (await import('./run.js')).run(ctx, options),
});
