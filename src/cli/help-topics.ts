// `help exit-codes` and `help environment`: the reference tables, printed from the same data the CLI uses.
import { EXIT_CODE_TABLE } from './exit-codes.js';

const SECRET_COMMANDS = 'listen, verify, send, sign, check, replay';
const API_COMMANDS = 'create, list, get, update, delete, pause, resume, login, trigger, deliveries';

export const ENVIRONMENT: ReadonlyArray<{ name: string; meaning: string; appliesTo: string }> = [
  {
    name: 'PICTIFY_API_KEY',
    meaning: "the Pictify API key (after --api-key, before the profile's key)",
    appliesTo: API_COMMANDS,
  },
  {
    name: 'PICTIFY_BASE_URL',
    meaning: "the API address, e.g. the emulator's http://127.0.0.1:4010 (after --base-url)",
    appliesTo: API_COMMANDS,
  },
  {
    name: 'PICTIFY_PROFILE',
    meaning: 'the config profile to use (after --profile; default "default")',
    appliesTo: 'every command',
  },
  {
    name: 'PICTIFY_WEBHOOK_SECRET',
    meaning: 'the webhook secret when no --secret is given (before the stored secrets)',
    appliesTo: SECRET_COMMANDS,
  },
  {
    name: 'PICTIFY_MAX_RETRY_WAIT',
    meaning: 'longest wait between API retries, e.g. 10s (after --max-retry-wait; default 30s)',
    appliesTo: API_COMMANDS,
  },
  {
    name: 'PICTIFY_API_TIMEOUT',
    meaning: 'how long one API attempt may take, e.g. 10s (after --api-timeout; default 30s)',
    appliesTo: API_COMMANDS,
  },
  {
    name: 'PICTIFY_HOOKS_CONFIG_DIR',
    meaning: "the folder of the config file and the event store (default: the platform's config folder)",
    appliesTo: 'every command',
  },
  { name: 'NO_COLOR', meaning: 'any value turns colour off (as --no-color does)', appliesTo: 'every command' },
  {
    name: 'FORCE_COLOR',
    meaning: 'colour even when not writing to a terminal; 0 or false turns it off',
    appliesTo: 'every command',
  },
  { name: 'TERM', meaning: '"dumb" turns colour off', appliesTo: 'every command' },
  {
    name: 'PICTIFY_HOOKS_DEBUG',
    meaning: 'any value prints the stack of an unexpected failure',
    appliesTo: 'every command',
  },
];

export function exitCodesText(): string {
  const lines = EXIT_CODE_TABLE.map(({ code, meaning }) => `  ${String(code).padStart(3)}  ${meaning}`);
  return `Exit codes (the same for every command):\n\n${lines.join('\n')}\n`;
}

export function environmentText(): string {
  const width = Math.max(...ENVIRONMENT.map((e) => e.name.length));
  const lines = ENVIRONMENT.map(
    (e) => `  ${e.name.padEnd(width)}  ${e.meaning}\n  ${' '.repeat(width)}  used by: ${e.appliesTo}`,
  );
  return `Environment variables (a flag wins over its variable; a variable over the profile):\n\n${lines.join('\n')}\n`;
}

export const HELP_TOPICS: Record<string, () => string> = {
  'exit-codes': exitCodesText,
  environment: environmentText,
};
