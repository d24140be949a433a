// trigger_event: asks the running emulator (the base url) to raise an event; it delivers a signed copy to every
// matching active subscription, as Pictify would, and answers with the first attempts' outcome.
import { z } from 'zod';
import { EVENT_NAMES } from '../../events/names.js';
import { parseSetArgument } from '../../events/set.js';
import { dataField, defineTool, setField } from '../tool.js';

export const triggerEvent = defineTool({
  name: 'trigger_event',
  title: 'Trigger an event in the emulator',
  description:
    'With the local emulator (`pictify-hooks emulator`, PICTIFY_BASE_URL pointing at it): raises an event, ' +
    'delivered signed to every active subscription whose filters match; returns each first attempt.',
  input: { event: z.enum(EVENT_NAMES), data: dataField.optional(), set: setField.optional() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { host }) {
    const set = args.set ?? [];
    for (const item of set) parseSetArgument(item);
    return host.emulator({
      method: 'POST',
      path: '/_emulator/events',
      body: { event: args.event, ...(args.data && { data: args.data }), set },
    });
  },
});
