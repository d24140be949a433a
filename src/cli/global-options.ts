// The options every command accepts (commander's program options). The API ones apply only to commands whose spec
// says `api: true`: the root help lists them under their own heading, a command's help names them only if it calls
// the API, and `help options` describes them all.
import type { OptionSpec } from './spec.js';

const API = 'API options';

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--profile <name>', description: 'config profile to use (env PICTIFY_PROFILE)' },
  { flags: '--json', description: 'machine-readable output on stdout' },
  { flags: '--no-color', description: 'disable colour (also NO_COLOR, TERM=dumb)' },
  {
    flags: '--api-key <key>',
    description: 'Pictify API key (env PICTIFY_API_KEY; prefer `login`, flags end up in shell history)',
    group: API,
  },
  {
    flags: '--base-url <url>',
    description: 'API base url (env PICTIFY_BASE_URL, default https://api.pictify.io)',
    group: API,
  },
  {
    flags: '--max-retry-wait <duration>',
    description: 'longest wait between API retries, e.g. 10s (env PICTIFY_MAX_RETRY_WAIT, default 30s)',
    group: API,
  },
  {
    flags: '--api-timeout <duration>',
    description:
      'how long one API attempt may take, e.g. 10s; a bare number is seconds (env PICTIFY_API_TIMEOUT, default 30s)',
    group: API,
  },
];

/** `--api-key`: the long names, for the one-line reminder in a command's help. */
const longNames = (options: readonly OptionSpec[]) => options.map((o) => /--[\w-]+/.exec(o.flags)![0]).join(', ');

/**
 * The short "Global options" block at the end of a command's options (gh's INHERITED FLAGS): names only, the API
 * ones only for a command that calls the API; `help options` has the descriptions.
 */
export function globalOptionsReminder(api: boolean): string {
  const general = GLOBAL_OPTIONS.filter((o) => !o.group);
  const lines = [`  ${longNames(general)}`];
  if (api) lines.push(`  ${longNames(GLOBAL_OPTIONS.filter((o) => o.group === API))}`);
  return `Global options (described in \`pictify-hooks help options\`):\n${lines.join('\n')}\n`;
}
