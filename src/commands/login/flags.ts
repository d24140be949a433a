import { bool, type FlagValues } from '../../cli/spec.js';

export const flags = {
  apiKeyStdin: bool('--api-key-stdin', 'read the key from standard input (for CI)'),
  noVerify: bool('--no-verify', 'save the key without checking it with the API'),
};
export type LoginOptions = FlagValues<typeof flags>;
