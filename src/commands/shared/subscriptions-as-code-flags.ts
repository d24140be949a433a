// The flags plan, apply and import share. Kept apart from subscriptions-as-code.ts: specs load on every --help,
// and this file imports no engine.
import { DEFAULT_FILE } from '../../declarative/types.js';

export interface FileOptions {
  file?: string;
  prune?: boolean;
}

export const FILE_OPTION = {
  flags: '-f, --file <file>',
  description: `the subscriptions file (YAML or JSON; default ${DEFAULT_FILE})`,
};

export const PRUNE_OPTION = {
  flags: '--prune',
  description: 'delete live subscriptions no name in the file claims (else they are listed as unmanaged)',
};
