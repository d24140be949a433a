// Entry point: builds a fresh commander program per call, runs it against a Context, and is the one place that
// turns outcomes into exit codes (0 ok · 1 failed · 2 usage · 4 auth · 130 interrupted).
import { Command, CommanderError } from 'commander';
import { createContext, type Context, type ContextInit } from './context.js';
import { CliError, ExitCode } from '../errors.js';
import { registerCommands } from '../commands/index.js';
import { loadStyles } from '../output/style.js';

/** `commands`: the argv to register real commands for (the rest are help stubs), or 'all'. */
export async function buildProgram(ctx: Context, commands: readonly string[] | 'all' = 'all'): Promise<Command> {
  const program = new Command('pictify-hooks');
  program
    .description(
      'Pictify webhooks from the terminal and CI: subscriptions, secrets, listen, sign, send, verify, replay, check.',
    )
    .version(ctx.version, '-v, --version', 'print the version')
    .option('--profile <name>', 'config profile to use (env PICTIFY_PROFILE)')
    .option('--api-key <key>', 'Pictify API key (env PICTIFY_API_KEY; prefer `login`, flags end up in shell history)')
    .option('--base-url <url>', 'API base url (env PICTIFY_BASE_URL, default https://api.pictify.io)')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'disable colour (also NO_COLOR, TERM=dumb)')
    .option(
      '--max-retry-wait <duration>',
      'longest wait between API retries, e.g. 10s (env PICTIFY_MAX_RETRY_WAIT, default 30s)',
    )
    .option(
      '--api-timeout <duration>',
      'how long one API attempt may take, e.g. 10s; a bare number is seconds (env PICTIFY_API_TIMEOUT, default 30s)',
    )
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      // commander's usage errors, as one line that says where to look, like ours.
      outputError: (s, write) => write(`${s.trimEnd().replace(/\s*\n\s*/g, ' ')} — see --help\n`),
    })
    .hook('preAction', async (_program, action) => {
      ctx.globals = action.optsWithGlobals();
      if (ctx.color || ctx.stderrColor) await loadStyles();
    });
  await registerCommands(program, ctx, commands);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests run it in-process. */
export async function main(argv: string[], init: ContextInit | Context = {}): Promise<number> {
  const ctx = 'io' in init && 'config' in init ? (init as Context) : createContext(init as ContextInit);
  try {
    const program = await buildProgram(ctx, argv.slice(2));
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    // API errors carry data, not advice: the advice is loaded only when there is an error to advise on.
    const hint = error instanceof CliError && !error.hint ? (await import('./api-hints.js')).apiHint(error) : undefined;
    return exitCodeFor(error, ctx, hint);
  }
}

function exitCodeFor(error: unknown, ctx: Context, extraHint?: string): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help/version text).
    if (
      ['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.executeSubCommandAsync'].includes(
        error.code,
      )
    ) {
      return ExitCode.ok;
    }
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CliError) {
    const hint = error.hint ?? extraHint;
    if (error.message) ctx.err(`error: ${error.message}${hint ? ` — ${hint}` : ''}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.err(`error: unexpected failure: ${message} — please report it with the command you ran`);
  if (ctx.env.PICTIFY_HOOKS_DEBUG && error instanceof Error && error.stack) ctx.err(error.stack);
  return ExitCode.failure;
}
