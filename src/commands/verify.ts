import { collect } from '../cli/flags.js';
import type { CommandSpec } from '../cli/spec.js';
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER } from '../signing/constants.js';
import type { VerifyFlags } from './verify-run.js';

export const spec: CommandSpec = {
  name: 'verify',
  summary: "Verify a delivery's signature and explain why it fails",
  description:
    `verify a delivery's ${SIGNATURE_HEADER} against its raw body; exit 0 when valid, 1 with the reason and a ` +
    'diagnosis when not. Without --secret it tries PICTIFY_WEBHOOK_SECRET, else every stored secret of the profile',
  group: 'Signing & sending',
  options: [
    {
      flags: '--header <value>',
      description: `the ${SIGNATURE_HEADER} value (the "${SIGNATURE_HEADER}:" name may be included)`,
      required: true,
    },
    {
      flags: '--payload <@file|->',
      description: 'the raw body: @file, - for stdin, or literal text (default: stdin when piped)',
    },
    { flags: '--secret <secret>', description: 'secret to verify with; repeat for rotation', parse: collect },
    { flags: '--subscription <uid>', description: "verify with this subscription's stored secret" },
    {
      flags: '--tolerance <seconds>',
      description: `replay window (default ${DEFAULT_TOLERANCE_SECONDS}; 10m, 1h also work)`,
    },
    { flags: '--now <unix-seconds>', description: 'verify as if it were this time (default now)' },
  ],
  examples: [
    `pictify-hooks verify --header 't=1700000000,v1=…' --payload @body.json --secret whsec_…`,
    `pictify-hooks verify --header "$SIG" --payload - < body.json`,
    `pictify-hooks verify --header "$SIG" --payload @body.json --now 1700000000 --json`,
  ],
  run: async (ctx, _args, flags: VerifyFlags) => {
    const m = await import('./verify-run.js');
    return m.run(ctx, m.toOptions(flags));
  },
};
