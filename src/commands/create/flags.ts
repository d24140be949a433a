import { PLATFORMS, RENDER_TYPES } from '../../api/contract.js';
import { parseEventName } from '../../cli/flags.js';
import { oneOf, text, value, type FlagValues } from '../../cli/spec.js';

export const flags = {
  event: value('--event <event>', 'event to subscribe to', parseEventName, { required: true, complete: 'events' }),
  url: text('--url <url>', 'where Pictify delivers the events', { required: true }),
  platform: oneOf('--platform <platform>', 'integration platform', PLATFORMS),
  templateId: text('--template-id <id>', 'only events of this template'),
  bindingId: text('--binding-id <id>', 'only events of this binding'),
  type: oneOf('--type <type>', 'only renders of this type', RENDER_TYPES),
};
export type CreateOptions = FlagValues<typeof flags>;
