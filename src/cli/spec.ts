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
  /** Turns the text into the value (from src/cli/flags.ts); a repeatable option gets the values so far. */
  parse?(value: string, previous: unknown): unknown;
  required?: boolean;
  hidden?: boolean;
  complete?: Completions;
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
  aliases?: readonly string[];
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  examples?: readonly string[];
  /** Extra text after the examples. */
  footer?: string;
  subcommands?: readonly CommandSpec[];
  /**
   * Loads the implementation and runs it with the positional arguments (in declared order, a variadic one as an
   * array) and the parsed options. Absent on a command that only groups subcommands.
   */
  run?(ctx: Context, args: unknown[], options: object, invocation: Invocation): Promise<unknown>;
}
