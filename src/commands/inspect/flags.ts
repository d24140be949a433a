import { parsePort } from '../../cli/flags.js';
import { bool, text, value, type FlagValues } from '../../cli/spec.js';

export const flags = {
  store: text('--store <file>', 'event store file (default: events.jsonl in the config folder)'),
  uiPort: value('--ui-port <n>', 'port for the page on 127.0.0.1 (default 4141; 0 picks a free one)', parsePort),
  open: bool('--open', 'open the page in the default browser'),
  readyFile: text('--ready-file <file>', 'write the page’s url (with its token) to this file once ready'),
};
export type InspectOptions = FlagValues<typeof flags>;
