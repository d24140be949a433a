import { bool, text, type FlagValues } from '../../cli/spec.js';

export const flags = {
  store: text('--store <file>', 'event store listen writes (default: events.jsonl in the config folder)'),
  allowRemote: bool(
    '--allow-remote',
    'let signed test events, checks and replays go to other hosts, not only this machine',
  ),
};
export type McpOptions = FlagValues<typeof flags>;
