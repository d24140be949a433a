import { MAX_LIMIT, PLATFORMS, RENDER_TYPES, SUBSCRIPTION_STATUSES } from '../../api/contract.js';
import { parseCount, parseEventName } from '../../cli/flags.js';
import { bool, oneOf, text, value, type FlagValues } from '../../cli/spec.js';

export const flags = {
  event: value('--event <event>', 'only this event', parseEventName, { complete: 'events' }),
  status: oneOf('--status <status>', 'only this status', SUBSCRIPTION_STATUSES),
  platform: oneOf('--platform <platform>', 'only this platform', PLATFORMS),
  templateId: text('--template-id <id>', 'only subscriptions filtered to this template'),
  bindingId: text('--binding-id <id>', 'only subscriptions filtered to this binding'),
  type: oneOf('--type <type>', 'only subscriptions filtered to this render type', RENDER_TYPES),
  url: text('--url <substring>', 'only target urls containing this'),
  all: bool('--all', 'fetch every page'),
  limit: value('--limit <n>', `page size (1-${MAX_LIMIT})`, (v, f) => parseCount(v, f, { max: MAX_LIMIT })),
  page: value('--page <n>', 'page number', (v, f) => parseCount(v, f)),
};
export type ListOptions = FlagValues<typeof flags>;
