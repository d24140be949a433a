// What a command declares about itself, as plain data: main.ts builds commander from it, completion and help read
// it. A spec module is always loaded (top-level --help lists every command), so it holds no implementation: its
// `run` imports the command's module when the command actually runs.
import type { Context } from './context.js';

/** The headings of the top-level help, in the order shown. */
export const HELP_GROUPS = [
  'Subscriptions',
  'Secrets & auth',
  'Signing & sending',
  'Receiving',
  'Emulator',
  'Other',
] as const;
export type HelpGroup = (typeof HELP_GROUPS)[number];

/** What completion offers for a value: the event catalogue, or a fixed list of words. */
export type Completions = 'events' | readonly string[];

export interface ArgumentSpec {
  /** As commander writes it: `<uid>`, `[event]`, `[ids...]`. */
  name: string;
  description?: string;
  choices?: readonly string[];
  complete?: Completions;
}

export interface OptionSpec {
  /** As commander writes it: `-y, --yes`, `--event <event>`, `--no-store`. */
  flags: string;
  description: string;
  default?: string | boolean;
  choices?: readonly string[];
  /** May be given several times; the value is every occurrence, in order. */
  repeatable?: boolean;
  required?: boolean;
  hidden?: boolean;
  complete?: Completions;
  /** The heading this option is listed under in --help (see `grouped`); ungrouped options are under "Options". */
  group?: string;
}

// ---- flags: each declared once ----------------------------------------------------------------------------------
// A command's flags are one object of declarations (`bool`, `text`, `value`, `list`), keyed by the name `run` reads
// them by. main.ts gives commander each declaration's option and hands `run` the parsed values, so the run's options
// type is inferred (`FlagValues<typeof flags>`) and reading an undeclared flag does not compile.

/**
 * The values these flags take for text given in code, as if typed (`{ port: '0', subscribe: ['render.completed'] }`,
 * `true` for a boolean flag given): for a command that runs another with chosen flags (the demo runs listen).
 */
export function flagValues<F extends Flags>(
  flags: F,
  given: { [K in keyof F]?: string | string[] | true },
  ctx: FlagContext,
): FlagValues<F> {
  const values: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const typed = given[key];
    values[key] = typed === true ? true : flag.value(typed ?? flag.default, ctx);
  }
  return values as FlagValues<F>;
}

/** What a flag's parser may consult besides the text: the clock (`--since 2h`). */
export interface FlagContext {
  now(): number;
}

/** Text → value; throws a UsageError naming `flag` (the long name, e.g. `--port`) on bad input. */
export type FlagParser<V> = (text: string, flag: string, ctx: FlagContext) => V;

export interface Flag<V> extends OptionSpec {
  /** The typed value from what commander collected under this flag (undefined when not given). */
  value(raw: unknown, ctx: FlagContext): V;
}

export type Flags = Readonly<Record<string, Flag<unknown>>>;

/** The options `run` gets for these declarations. */
export type FlagValues<F extends Flags> = { -readonly [K in keyof F]: F[K] extends Flag<infer V> ? V : never };

type FlagExtra = Pick<OptionSpec, 'choices' | 'hidden' | 'complete' | 'required'>;
/** A flag that always has a value: a default (parsed like typed text) or required. */
type Always = FlagExtra & ({ default: string } | { required: true });

const longName = (flags: string) => /--[\w-]+/.exec(flags)?.[0] ?? flags;

/** `--fsync`, `-y, --yes`, `--no-store`: true when given. */
export function bool(flags: string, description: string, extra: Pick<OptionSpec, 'hidden'> = {}): Flag<boolean> {
  // commander stores `--no-x` as x = false.
  const given = /(^|[\s,])--no-/.test(flags) ? false : true;
  return { flags, description, ...extra, value: (raw) => raw === given };
}

/** `--path <path>`: the text as typed. */
export function text(flags: string, description: string, extra: Always): Flag<string>;
export function text(flags: string, description: string, extra?: FlagExtra): Flag<string | undefined>;
export function text(flags: string, description: string, extra: FlagExtra = {}): Flag<string | undefined> {
  return value(flags, description, (t) => t, extra);
}

/** `--port <n>`: the text parsed (with a parser from src/cli/flags.ts). */
export function value<V>(flags: string, description: string, parse: FlagParser<V>, extra: Always): Flag<V>;
export function value<V>(
  flags: string,
  description: string,
  parse: FlagParser<V>,
  extra?: FlagExtra,
): Flag<V | undefined>;
export function value<V>(
  flags: string,
  description: string,
  parse: FlagParser<V>,
  extra: FlagExtra & { default?: string } = {},
): Flag<V | undefined> {
  const flag = longName(flags);
  // Not a string: absent, or `false` from a `--no-x` sharing the name (`--store <file>` and `--no-store`).
  return {
    flags,
    description,
    ...extra,
    value: (raw, ctx) => (typeof raw === 'string' ? parse(raw, flag, ctx) : undefined),
  };
}

/** `--status <status>` with fixed choices (commander refuses others): one of them, typed as such. */
export function oneOf<const C extends readonly string[]>(
  flags: string,
  description: string,
  choices: C,
  extra: Pick<OptionSpec, 'hidden'> = {},
): Flag<C[number] | undefined> {
  return value(flags, description, (t) => t as C[number], { ...extra, choices });
}

/** `--secret <secret>`, repeatable: every value given, parsed, in order ([] when none). */
export function list<V = string>(
  flags: string,
  description: string,
  parse: FlagParser<V> = (t) => t as V,
  extra: FlagExtra = {},
): Flag<V[]> {
  const flag = longName(flags);
  return {
    flags,
    description,
    ...extra,
    repeatable: true,
    value: (raw, ctx) => (Array.isArray(raw) ? raw.map((t: string) => parse(t, flag, ctx)) : []),
  };
}

/**
 * These flags listed under one heading in --help (`...grouped('Forwarding', { forwardTo, routes })`): the heading is
 * written once per group, and each flag keeps its key and type.
 */
export function grouped<const F extends Flags>(heading: string, flags: F): F {
  const out: Record<string, Flag<unknown>> = {};
  for (const [key, flag] of Object.entries(flags)) out[key] = { ...flag, group: heading };
  return out as F;
}

/** The whole command tree, handed to a running command (completion reads it; commands never import the CLI). */
export interface ProgramSpec {
  globals: readonly OptionSpec[];
  commands: readonly CommandSpec[];
}

export interface Invocation {
  program: ProgramSpec;
  /** The command path as typed, e.g. ['secrets', 'show']. */
  path: readonly string[];
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Longer text for the command's own --help (default: the summary). */
  description?: string;
  group?: HelpGroup;
  /**
   * Calls the Pictify API (or the emulator's), so the API options (--api-key, --base-url, …) apply to it and its
   * subcommands: its --help points at them. Commands that never call the API do not mention them.
   */
  api?: boolean;
  aliases?: readonly string[];
  arguments?: readonly ArgumentSpec[];
  /** The command's own flags (see `bool`, `text`, `value`, `list` above). */
  flags?: Flags;
  examples?: readonly string[];
  /** Extra text after the examples. */
  footer?: string;
  subcommands?: readonly CommandSpec[];
  /**
   * Loads the implementation and runs it with the positional arguments (in declared order, a variadic one as an
   * array) and the parsed flags, keyed as declared. Absent on a command that only groups subcommands.
   */
  run?(ctx: Context, args: unknown[], options: object, invocation: Invocation): Promise<unknown>;
}

/** A command whose `run` gets its flags typed: `FlagValues<typeof flags>`. */
export interface CommandDefinition<F extends Flags> extends Omit<CommandSpec, 'flags' | 'run'> {
  flags?: F;
  run?(ctx: Context, args: unknown[], options: FlagValues<F>, invocation: Invocation): Promise<unknown>;
}

export function defineCommand<const F extends Flags = Record<never, never>>(
  definition: CommandDefinition<F>,
): CommandSpec {
  return definition as CommandSpec;
}
