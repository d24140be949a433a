import { RENDER_TYPES } from '../../api/contract.js';
import { bool, oneOf, text, type FlagValues } from '../../cli/spec.js';

export const flags = {
  url: text('--url <url>', 'new target url'),
  templateId: text('--template-id <id>', "filter to this template ('' removes this filter)"),
  bindingId: text('--binding-id <id>', "filter to this binding ('' removes this filter)"),
  type: oneOf('--type <type>', 'filter to this render type', RENDER_TYPES),
  clearFilters: bool('--clear-filters', 'remove every filter (combine with the flags above to start afresh)'),
  status: oneOf('--status <status>', 'pause or resume deliveries', ['active', 'paused']),
};
export type UpdateOptions = FlagValues<typeof flags>;
