// The command list. Start-up loads only the command that runs: the others are stubs carrying the name, summary and
// arguments that the top-level --help lists, so `pictify-hooks --help` stays near bare Node. A test keeps this
// list identical to what each module registers.
import { Option, type Command } from 'commander';
import type { Context } from '../cli/context.js';

type Register = (program: Command, ctx: Context) => void;
interface CommandModule {
  register: Register;
}

export interface CommandEntry {
  name: string;
  aliases?: string[];
  /** As shown in help: `<uid>`, `[events...]`. */
  args?: string;
  /** The command takes options (help shows `[options]`). */
  options?: boolean;
  summary: string;
  /** Modules may register several commands (pause and resume); `module` groups them. */
  module: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'create',
    options: true,
    summary: 'Create a webhook subscription and store its signing secret',
    module: 'create',
    load: () => import('./create.js'),
  },
  {
    name: 'list',
    aliases: ['ls'],
    options: true,
    summary: 'List webhook subscriptions',
    module: 'list',
    load: () => import('./list.js'),
  },
  { name: 'get', args: '<uid>', summary: 'Show one subscription', module: 'get', load: () => import('./get.js') },
  {
    name: 'update',
    args: '<uid>',
    options: true,
    summary: "Change a subscription's url, filters or status",
    module: 'update',
    load: () => import('./update.js'),
  },
  {
    name: 'delete',
    aliases: ['rm'],
    args: '<uid>',
    options: true,
    summary: 'Delete a subscription and its stored secret',
    module: 'delete',
    load: () => import('./delete.js'),
  },
  {
    name: 'pause',
    args: '<uid>',
    summary: 'Stop deliveries to a subscription',
    module: 'pause-resume',
    load: () => import('./pause-resume.js'),
  },
  {
    name: 'resume',
    args: '<uid>',
    summary: 'Restart deliveries to a paused subscription',
    module: 'pause-resume',
    load: () => import('./pause-resume.js'),
  },
  {
    name: 'secrets',
    summary: 'Manage the stored signing secrets of subscriptions',
    module: 'secrets',
    load: () => import('./secrets.js'),
  },
  {
    name: 'login',
    options: true,
    summary: 'Store a Pictify API key in the current profile',
    module: 'login',
    load: () => import('./login.js'),
  },
  {
    name: 'config',
    summary: 'Read and change settings of the current profile',
    module: 'config',
    load: () => import('./config.js'),
  },
  {
    name: 'sign',
    args: '[event]',
    options: true,
    summary: 'Sign a payload the way Pictify does and print the X-Pictify-Signature header',
    module: 'sign',
    load: () => import('./sign.js'),
  },
  {
    name: 'verify',
    options: true,
    summary: "Verify a delivery's signature and explain why it fails",
    module: 'verify',
    load: () => import('./verify.js'),
  },
  {
    name: 'send',
    args: '[events...]',
    options: true,
    summary: 'Sign sample events and POST them to a receiver (also a load test)',
    module: 'send',
    load: () => import('./send.js'),
  },
  {
    name: 'listen',
    options: true,
    summary:
      'Receive deliveries locally: verify each one strictly, show it, store it, optionally forward it to your app',
    module: 'listen',
    load: () => import('./listen.js'),
  },
  {
    name: 'events',
    summary: 'Show the deliveries `listen` stored',
    module: 'events',
    load: () => import('./events.js'),
  },
  {
    name: 'replay',
    args: '[ids...]',
    options: true,
    summary: 'Send stored deliveries again: re-signed with a fresh timestamp, or --as-is',
    module: 'replay',
    load: () => import('./replay.js'),
  },
  {
    name: 'check',
    args: '<url>',
    options: true,
    summary:
      "Test a receiver's signature verification: valid, tampered, stale, malformed and replayed deliveries, graded",
    module: 'check',
    load: () => import('./check.js'),
  },
  {
    name: 'emulator',
    options: true,
    summary:
      'Run a local Pictify API: subscriptions, signed deliveries with retries, a delivery log (use with PICTIFY_BASE_URL)',
    module: 'emulator',
    load: () => import('./emulator.js'),
  },
  {
    name: 'trigger',
    args: '<event>',
    options: true,
    summary: 'Raise an event on the local emulator: it signs and delivers it to every matching subscription',
    module: 'trigger',
    load: () => import('./trigger.js'),
  },
  {
    name: 'deliveries',
    options: true,
    summary: "Show the local emulator's delivery log: every attempt, its answer, latency and next retry",
    module: 'deliveries',
    load: () => import('./deliveries.js'),
  },
  {
    name: 'demo',
    summary:
      'Run the whole webhook loop on this machine, offline: emulator → subscriptions → deliveries → listen → replay',
    module: 'demo',
    load: () => import('./demo.js'),
  },
  {
    name: 'completion',
    args: '<shell>',
    summary: 'Print a shell completion script (commands, flags and event names)',
    module: 'completion',
    load: () => import('./completion.js'),
  },
];

/** Global options that take a value, so the command name is found after them. */
const GLOBALS_WITH_VALUE = new Set(['--profile', '--api-key', '--base-url', '--max-retry-wait', '--api-timeout']);

/** The commands named on the command line (`help <cmd>` names one too). */
export function invokedCommands(args: readonly string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (GLOBALS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    names.push(arg);
    if (arg !== 'help') break;
  }
  return names;
}

function addStub(program: Command, entry: CommandEntry): void {
  const stub = program.command(entry.name).summary(entry.summary);
  for (const alias of entry.aliases ?? []) stub.alias(alias);
  if (entry.args) stub.arguments(entry.args);
  // A hidden option makes the listing say `[options]`, as the real command's would.
  if (entry.options) stub.addOption(new Option('--options-placeholder').hideHelp());
}

/**
 * Registers the modules of the commands in `argv` for real and stubs for the rest; `all` loads every module
 * (completion, tests).
 */
export async function registerCommands(program: Command, ctx: Context, argv: readonly string[] | 'all'): Promise<void> {
  const wanted = argv === 'all' ? undefined : new Set(invokedCommands(argv));
  const load = COMMANDS.filter((e) => !wanted || wanted.has(e.name) || e.aliases?.some((a) => wanted.has(a)));
  const modules = new Map(await Promise.all(load.map(async (e) => [e.module, await e.load()] as const)));
  const registered = new Set<string>();
  for (const entry of COMMANDS) {
    const module = modules.get(entry.module);
    if (!module) addStub(program, entry);
    else if (!registered.has(entry.module)) {
      registered.add(entry.module);
      module.register(program, ctx);
    }
  }
}
