// Entry point: builds a fresh commander program per call from the command specs, runs it against a Context, and is
// the one place that turns outcomes into exit codes (0 ok · 1 failed · 2 usage · 4 auth · 130 interrupted).
import { Argument, Command, CommanderError, Help, Option } from 'commander';
import type { Context, ContextInit } from './context.js';
import { createContext } from './node-context.js';
import type { CommandSpec, Invocation, OptionSpec, ProgramSpec } from './spec.js';
import { CliError, ExitCode, UsageError } from './errors.js';
import { outcomeOf } from './exit-codes.js';
import { COMMAND_SPECS } from '../commands/index.js';
import { GLOBAL_OPTIONS, globalOptionsReminder } from './global-options.js';
import { loadStyles } from '../output/style.js';

/**
 * A flag no command knows, as data: main() words it with a "did you mean" from `candidates` (suggest.ts is loaded
 * only then, so --help does not pay for it).
 */
class UnknownOptionError extends UsageError {
  constructor(
    readonly flag: string,
    readonly candidates: readonly string[],
  ) {
    super(`unknown option ${flag}`);
  }
}

/**
 * commander's Command with our unknown-option error. commander reports a missing required option before an unknown
 * one, so `create --evnt x` said "required option --event"; required options are therefore checked in preAction
 * (see checkRequired), after commander has looked for unknown ones.
 */
class PictifyCommand extends Command {
  override createCommand(name?: string): Command {
    return new PictifyCommand(name);
  }

  // commander calls this with the first unknown option (`--evnt` or `--evnt=value`) of the command being run.
  unknownOption(flag: string): never {
    // This command's options, then its parents' (the global ones).
    const commands: Command[] = [this];
    for (let parent = this.parent; parent; parent = parent.parent) commands.push(parent);
    const options = commands.flatMap((c) => c.options.filter((o) => !o.hidden));
    const candidates = ['--help', ...options.flatMap((o) => (o.long ? [o.long] : []))];
    const long = flag.startsWith('--');
    throw new UnknownOptionError(long ? flag.split('=')[0] : flag, long ? candidates : []);
  }
}

/** Options a spec marks `required`: checked by checkRequired, not by commander (see PictifyCommand). */
const requiredOptions = new WeakSet<Option>();

function checkRequired(action: Command): void {
  for (let command: Command | null = action; command; command = command.parent) {
    for (const option of command.options) {
      if (requiredOptions.has(option) && command.getOptionValue(option.attributeName()) === undefined)
        command.error(`error: required option '${option.flags}' not specified`, {
          code: 'commander.missingMandatoryOptionValue',
        });
    }
  }
}

/** The `help <topic>` pages (help-topics.ts, loaded when asked for). */
const HELP_TOPIC_SUMMARIES: Record<string, string> = {
  options: 'the global options (--json, --api-key, …)',
  environment: 'every environment variable, where it applies',
  'exit-codes': 'what each exit code means',
};

/** The end of the top-level help: a first session's commands, then where to read on. */
const ROOT_EXAMPLES = [
  'pictify-hooks demo                         # the whole loop on this machine, offline',
  'pictify-hooks emulator --port 4010 &       # a local Pictify API',
  'export PICTIFY_BASE_URL=http://127.0.0.1:4010',
  'pictify-hooks create --event render.completed --url http://127.0.0.1:3000/webhooks',
  'pictify-hooks listen --port 3000 --forward-to localhost:4000/webhooks &',
  'pictify-hooks trigger render.completed     # emulator → listen → your app',
];
const LEARN_MORE = [
  ['pictify-hooks <command> --help', "a command's flags and examples"],
  ...Object.entries(HELP_TOPIC_SUMMARIES).map(([name, summary]) => [`pictify-hooks help ${name}`, summary]),
  ['docs/*.md in the repository', 'commands, receiving, tunnels, CI, library'],
];

export const PROGRAM: ProgramSpec = { globals: GLOBAL_OPTIONS, commands: COMMAND_SPECS };

/** A repeatable option's occurrences, as typed (the declaration parses each). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) option.argParser(collect);
  if (spec.required) requiredOptions.add(option);
  if (spec.hidden) option.hideHelp();
  if (spec.group) option.helpGroup(`${spec.group}:`);
  return option;
}

/**
 * Runs a command with its parsed flags. The default loads and runs the implementation; a test passes its own to get
 * the typed options of an argv without running anything (gh's runF).
 */
export type RunF = (
  spec: CommandSpec,
  ctx: Context,
  args: unknown[],
  options: Record<string, unknown>,
  invocation: Invocation,
) => Promise<unknown>;

const runSpec: RunF = (spec, ctx, args, options, invocation) => spec.run!(ctx, args, options, invocation);

/** Each declared flag's value, keyed as declared (commander keeps them under its camelCase attribute names). */
function readFlags(spec: CommandSpec, command: Command, ctx: Context): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(spec.flags ?? {})) {
    options[key] = flag.value(command.getOptionValue(new Option(flag.flags).attributeName()), ctx);
  }
  return options;
}

const specOf = new WeakMap<Command, CommandSpec>();
const hydrated = new WeakSet<Command>();

/**
 * Registers what the command list and dispatch need: name, summary, group, aliases, arguments, action. Options and
 * help text are added by `hydrate` only for the command commander is about to run (or show help for), so start-up
 * does not build a hundred options that will not be used.
 */
function addCommand(parent: Command, spec: CommandSpec, ctx: Context, path: readonly string[], runF: RunF): void {
  const command = parent.command(spec.name).description(spec.description ?? spec.summary);
  specOf.set(command, spec);
  if (spec.description) command.summary(spec.summary);
  if (spec.group) command.helpGroup(spec.group);
  for (const alias of spec.aliases ?? []) command.alias(alias);
  for (const arg of spec.arguments ?? []) {
    const argument = new Argument(arg.name, arg.description);
    if (arg.choices) argument.choices(arg.choices);
    command.addArgument(argument);
  }
  if (spec.subcommands?.length) {
    command.hook('preSubcommand', (_command, sub) => hydrate(sub));
    for (const sub of spec.subcommands) addCommand(command, sub, ctx, [...path, sub.name], runF);
  }
  if (spec.run) {
    // commander calls back with the positional arguments, then its options, then the command itself.
    command.action(async (...params: unknown[]) => {
      await runF(spec, ctx, params.slice(0, -2), readFlags(spec, command, ctx), { program: PROGRAM, path });
    });
  }
}

function hydrate(command: Command): void {
  const spec = specOf.get(command);
  if (!spec || hydrated.has(command)) return;
  hydrated.add(command);
  for (const flag of Object.values(spec.flags ?? {})) command.addOption(toOption(flag));
  if (spec.footer) command.addHelpText('after', `\n${spec.footer}`);
  if (spec.examples?.length) {
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((l) => `  $ ${l}`).join('\n')}\n`);
  }
}

/** `list|ls [options]` in the command list, from the spec (the options themselves are added on demand). */
function subcommandTerm(command: Command): string {
  const spec = specOf.get(command);
  const args = (spec?.arguments ?? []).map((a) => a.name).join(' ');
  return [
    command.name() + (command.aliases()[0] ? `|${command.aliases()[0]}` : ''),
    Object.keys(spec?.flags ?? {}).length ? '[options]' : '',
    args,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * commander's help, and under a command's own options the names of the global ones it takes (not their 15 lines
 * on every page: `help options` describes them).
 */
function formatHelp(command: Command, helper: Help): string {
  const text = Help.prototype.formatHelp.call(helper, command, helper);
  if (!command.parent) return text;
  let api = false;
  for (let c: Command | null = command; c && !api; c = c.parent) api = specOf.get(c)?.api === true;
  return `${text}\n${globalOptionsReminder(api)}`;
}

/** `help [command...]`: the help of any command, nested ones included, or a topic; an unknown one exits 2. */
function addHelpCommand(program: Command, ctx: Context): void {
  program.helpCommand(false);
  const width = Math.max(...LEARN_MORE.map(([term]) => term.length));
  program.addHelpText(
    'after',
    `\nExamples:\n${ROOT_EXAMPLES.map((l) => `  $ ${l}`).join('\n')}\n` +
      `\nLearn more:\n${LEARN_MORE.map(([term, what]) => `  ${term.padEnd(width)}  ${what}`).join('\n')}\n`,
  );
  program
    .command('help')
    .argument('[command...]', `a command, or a topic: ${Object.keys(HELP_TOPIC_SUMMARIES).join(', ')}`)
    .description(`display help for a command, or a topic (${Object.keys(HELP_TOPIC_SUMMARIES).join(', ')})`)
    .helpGroup('Other')
    .action(async (path: string[]) => {
      if (path.length === 1 && Object.hasOwn(HELP_TOPIC_SUMMARIES, path[0])) {
        const { HELP_TOPICS } = await import('./help-topics.js');
        return void ctx.io.stdout.write(HELP_TOPICS[path[0]](PROGRAM));
      }
      let target = program;
      for (const [i, name] of path.entries()) {
        const next = target.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next || next.name() === 'help') {
          throw new UsageError(`unknown command "${path.slice(0, i + 1).join(' ')}"`, {
            hint: `see \`pictify-hooks --help\`; topics: ${Object.keys(HELP_TOPIC_SUMMARIES).join(', ')}`,
          });
        }
        hydrate(next);
        target = next;
      }
      target.outputHelp();
    });
}

export interface ProgramHooks {
  /** Receives commander's usage errors instead of stderr. */
  onUsageError?: (text: string) => void;
  runF?: RunF;
}

export function buildProgram(ctx: Context, { onUsageError, runF = runSpec }: ProgramHooks = {}): Command {
  const program = new PictifyCommand('pictify-hooks');
  program
    .description(
      'Pictify webhooks from the terminal and CI: subscriptions, secrets, listen, sign, send, verify, replay, check.',
    )
    .version(ctx.version, '-v, --version', 'print the version');
  for (const option of GLOBAL_OPTIONS) program.addOption(toOption(option));
  program
    .exitOverride()
    .configureHelp({ subcommandTerm, formatHelp })
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      // commander's usage errors, as one line that says where to look, like ours. They echo the unknown option or
      // argument, which may come from a script fed with untrusted text: main() prints them through the sanitiser.
      outputError: (s, write) => (onUsageError ? onUsageError(s) : write(`${usageLine(s)}\n`)),
    })
    .hook('preSubcommand', (_program, sub) => hydrate(sub))
    .hook('preAction', async (_program, action) => {
      checkRequired(action);
      ctx.globals = action.optsWithGlobals();
      if (ctx.color || ctx.stderrColor) await loadStyles();
    });
  for (const spec of COMMAND_SPECS) addCommand(program, spec, ctx, [spec.name], runF);
  addHelpCommand(program, ctx);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests run it in-process. */
export async function main(argv: string[], init: ContextInit | Context = {}): Promise<number> {
  const ctx = 'io' in init && 'config' in init ? (init as Context) : createContext(init as ContextInit);
  const usageErrors: string[] = [];
  // `--version --json` (in either order, nothing else): the version as JSON, as every other --json answer is.
  // commander prints --version as soon as it sees it, before --json is read.
  const args = argv.slice(2);
  if (args.includes('--json') && args.some((a) => a === '-v' || a === '--version')) {
    if (args.every((a) => ['-v', '--version', '--json'].includes(a))) {
      ctx.io.stdout.write(`${JSON.stringify({ version: ctx.version })}\n`);
      return ExitCode.ok;
    }
  }
  try {
    await buildProgram(ctx, { onUsageError: (text) => usageErrors.push(text) }).parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    // Domain errors carry data, not advice: the advice is loaded only when there is an error to advise on.
    const advise = error instanceof Error && !(error as { hint?: string }).hint && !(error instanceof CommanderError);
    const hint =
      error instanceof UnknownOptionError
        ? await suggestionFor(error)
        : advise
          ? (await import('./domain-hints.js')).domainHint(error)
          : undefined;
    const outcome = outcomeOf(error, hint);
    const debug = ctx.env.PICTIFY_HOOKS_DEBUG && error instanceof Error && !(error instanceof CliError) && error.stack;
    // The one error printer: messages echo API error bodies, stored paths, ids and unknown flags, so they leave
    // through the sanitiser (loaded only when there is something to print: --help and --version end here too).
    if (usageErrors.length === 0 && !outcome.message && !debug) return outcome.code;
    const { printable } = await import('../text/printable.js');
    for (const text of usageErrors) ctx.err(printable(usageLine(text)));
    if (outcome.message) ctx.err(printable(`error: ${outcome.message}${outcome.hint ? ` — ${outcome.hint}` : ''}`));
    if (debug) ctx.err(printable(debug, { keepNewlines: true }));
    return outcome.code;
  }
}

/**
 * commander's usage error as one line that says where to look, like ours; its "(Did you mean x?)" becomes
 * "— did you mean x?".
 */
function usageLine(text: string): string {
  const line = text.trimEnd().replace(/\s*\n\s*/g, ' ');
  const suggested = / \(Did you mean (.+)\?\)$/.exec(line);
  return suggested ? `${line.slice(0, suggested.index)} — did you mean ${suggested[1]}?` : `${line} — see --help`;
}

async function suggestionFor(error: UnknownOptionError): Promise<string> {
  const { closest } = await import('./suggest.js');
  // Compared without the dashes every candidate shares, which would make any long flag "close" to any other.
  const match = closest(
    error.flag.replace(/^--/, ''),
    error.candidates.map((c) => c.slice(2)),
  );
  return match === undefined ? 'see --help' : `did you mean --${match}?`;
}
