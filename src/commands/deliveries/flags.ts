import { parseCount } from '../../cli/flags.js';
import { text, value, type FlagValues } from '../../cli/spec.js';

export const flags = {
  subscription: text('--subscription <uid>', 'only this subscription'),
  limit: value('--limit <n>', 'show the last n attempts', (v, f) => parseCount(v, f, { max: 2000 }), { default: '50' }),
};
export type DeliveriesOptions = FlagValues<typeof flags>;
