// The flags plan, apply and import share, each declared once. Kept apart from subscriptions-as-code.ts: specs load
// on every --help, and this file imports no engine.
import { bool, text, type FlagValues } from '../../cli/spec.js';
import { DEFAULT_FILE } from '../../declarative/types.js';

export const fileFlags = {
  file: text('-f, --file <file>', `the subscriptions file (YAML or JSON; default ${DEFAULT_FILE})`),
  prune: bool('--prune', 'delete live subscriptions no name in the file claims (else they are listed as unmanaged)'),
};
export type FileOptions = FlagValues<typeof fileFlags>;
