// The event catalogue: what each event carries, with a sample payload as Pictify would send it.
import { z } from 'zod';
import { buildSampleEvent } from '../../events/build.js';
import { DOCUMENTED_FIELDS } from '../../events/fields.js';
import { EVENT_NAMES } from '../../events/names.js';
import { defineTool } from '../tool.js';

export const listEventTypes = defineTool({
  name: 'list_event_types',
  title: 'List webhook event types',
  description: 'Every event Pictify delivers, with its documented fields and a sample payload (the envelope).',
  input: { event: z.enum(EVENT_NAMES).optional().describe('only this event') },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ event }, { host }) {
    return (event ? [event] : EVENT_NAMES).map((name) => ({
      name,
      fields: DOCUMENTED_FIELDS[name],
      sample: buildSampleEvent(name, { deliveryId: 'del_sample', now: host.now() }),
    }));
  },
});
