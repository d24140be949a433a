import { bool, list, text, type FlagValues } from '../../cli/spec.js';

export const flags = {
  set: list(
    '--set <path=value>',
    'override a field of the sample event (JSON values), e.g. data.templateId=tmpl_1; repeatable',
  ),
  data: text('--data <@file|-|json>', 'JSON object merged over the sample event data'),
  noWait: bool('--no-wait', 'answer at once instead of waiting for the first delivery attempts'),
};
export type TriggerFlags = FlagValues<typeof flags>;
