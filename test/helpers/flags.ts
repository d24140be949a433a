// Parses an argv the way the CLI does and returns the command's typed options without running it (main.ts's
// runF seam): the table tests of a command's flags (test/commands/<name>.flags.test.ts) use it.
import { buildProgram } from '../../src/cli/main.js';
import { createContext } from '../../src/cli/node-context.js';
import type { Flags, FlagValues } from '../../src/cli/spec.js';
import { FIXED_NOW } from './cli.js';

export interface Parsed<F extends Flags> {
  /** The command run, e.g. ['secrets', 'show']. */
  path: readonly string[];
  args: unknown[];
  options: FlagValues<F>;
}

/** `flags` only types the answer: the declarations of the command argv names. */
export async function parseArgv<F extends Flags>(_flags: F, argv: string[]): Promise<Parsed<F>> {
  const sink = { write: () => true };
  const ctx = createContext({ io: { stdout: sink, stderr: sink }, env: {}, now: () => FIXED_NOW });
  let parsed: Parsed<F> | undefined;
  const usage: string[] = [];
  const program = buildProgram(ctx, {
    onUsageError: (text) => usage.push(text.trim()),
    runF: async (_spec, _ctx, args, options, invocation) => {
      parsed = { path: invocation.path, args, options: options as FlagValues<F> };
    },
  });
  try {
    await program.parseAsync(['node', 'pictify-hooks', ...argv]);
  } catch (error) {
    // commander's own errors (unknown option, bad choice) as the line it would print; ours (UsageError) as thrown.
    if (usage.length > 0) throw new Error(usage.join('\n'), { cause: error });
    throw error;
  }
  if (!parsed) throw new Error(`${argv.join(' ')}: no command ran`);
  return parsed;
}

/** The typed options alone. */
export async function optionsOf<F extends Flags>(flags: F, argv: string[]): Promise<FlagValues<F>> {
  return (await parseArgv(flags, argv)).options;
}
