import { bool, text, type FlagValues } from '../../cli/spec.js';
import { fileFlags } from '../shared/subscriptions-as-code-flags.js';

export const flags = {
  ...fileFlags,
  yes: bool('-y, --yes', 'do not ask for confirmation (needed without a terminal)'),
  secretEnv: text(
    '--secret-env <file>',
    'also write each new secret as PICTIFY_WEBHOOK_SECRET_<NAME>=… to this env file (0600)',
  ),
};
export type ApplyOptions = FlagValues<typeof flags>;
