import { bool, text, type FlagValues } from '../../cli/spec.js';

export const flags = {
  output: text('-o, --output <file>', 'where to write it (default pictify-hooks.yaml; - for stdout)'),
  force: bool('--force', 'overwrite an existing file'),
};
export type ImportOptions = FlagValues<typeof flags>;
