// `help options`, `help environment` and `help exit-codes`: the reference tables, printed from the same data the CLI
// uses (the global options' declarations, the specs' `api` mark, the exit-code table).
import { Help } from 'commander';
import { EXIT_CODE_TABLE } from './exit-codes.js';
import type { ProgramSpec } from './spec.js';

const SECRET_COMMANDS = 'listen, verify, send, sign, check, replay';
/** In the table below: the commands whose spec says `api: true`, listed from the specs. */
const API_COMMANDS = { api: true } as const;

/** Words joined by ", " and wrapped before `width` columns, each further line indented by `indent`. */
function wrapList(words: readonly string[], width: number, indent: string): string {
  const lines = [''];
  for (const word of words) {
    const last = lines.length - 1;
    const next = lines[last] ? `${lines[last]}, ${word}` : word;
    if (next.length + indent.length < width || !lines[last]) lines[last] = next;
    else {
      lines[last] += ',';
      lines.push(word);
    }
  }
  return lines.join(`\n${indent}`);
}

function apiCommands(program: ProgramSpec): string[] {
  return program.commands.filter((c) => c.api).map((c) => c.name);
}

export const ENVIRONMENT: ReadonlyArray<{ name: string; meaning: string; appliesTo: string | typeof API_COMMANDS }> = [
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

export function environmentText(program: ProgramSpec): string {
  const width = Math.max(...ENVIRONMENT.map((e) => e.name.length));
  const lines = ENVIRONMENT.map(
    (e) =>
      `  ${e.name.padEnd(width)}  ${e.meaning}\n  ${' '.repeat(width)}  used by: ` +
      (typeof e.appliesTo === 'string' ? e.appliesTo : wrapList(apiCommands(program), 100, ' '.repeat(width + 13))),
  );
  return `Environment variables (a flag wins over its variable; a variable over the profile):\n\n${lines.join('\n')}\n`;
}

/** Every global option with its description, through commander's layout (wrapped at 80 columns). */
export function optionsText(program: ProgramSpec): string {
  const help = new Help();
  help.prepareContext({ helpWidth: 80 });
  const width = Math.max(...program.globals.map((o) => o.flags.length));
  const section = (options: ProgramSpec['globals']) =>
    options.map((o) => help.formatItem(o.flags, width, o.description, help)).join('\n');
  const general = program.globals.filter((o) => !o.group);
  const groups = [...new Set(program.globals.flatMap((o) => (o.group ? [o.group] : [])))];
  return [
    'Global options (every command accepts them, before or after its name):',
    '',
    section(general),
    ...groups.flatMap((group) => [
      '',
      help.boxWrap(
        `${group}, for the commands that call the Pictify API or the emulator: ${apiCommands(program).join(', ')}:`,
        80,
      ),
      '',
      section(program.globals.filter((o) => o.group === group)),
    ]),
    '',
  ].join('\n');
}

export const HELP_TOPICS: Record<string, (program: ProgramSpec) => string> = {
  options: optionsText,
  environment: environmentText,
  'exit-codes': exitCodesText,
};
