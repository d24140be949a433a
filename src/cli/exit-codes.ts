// The one place that decides how a command ended: the exit code of every outcome, and the hint — naming a flag or a
// command — that goes with a domain error (domain errors carry data, not advice). Like gh's error mapping.
import { ApiError, ConfigError, DomainError } from '../errors.js';
import { CliError, ExitCode, SilentError } from './errors.js';

export const EXIT_CODE_TABLE: ReadonlyArray<{ code: number; meaning: string }> = [
  { code: ExitCode.ok, meaning: 'success' },
  {
    code: ExitCode.failure,
    meaning:
      'the operation failed: an API error, an unexpected status, an invalid signature, a failed check, ' +
      'a local item not found, a declined confirmation',
  },
  { code: ExitCode.usage, meaning: 'usage error: unknown command or flag, bad value, missing argument' },
  { code: ExitCode.auth, meaning: 'authentication missing or rejected (no API key, or the API answered 401/403)' },
  { code: ExitCode.interrupted, meaning: 'interrupted (Ctrl-C)' },
];

export interface Outcome {
  code: number;
  /** What to print after "error: "; absent when it has been shown already. */
  message?: string;
  hint?: string;
}

const COMMANDER_OK = new Set([
  'commander.helpDisplayed',
  'commander.help',
  'commander.version',
  'commander.executeSubCommandAsync',
]);

function domainOutcome(error: DomainError): Outcome {
  const auth = error instanceof ApiError && (error.status === 401 || error.status === 403);
  // A route refused to API keys (pause/resume) is not a bad key.
  if (auth && error.code !== 'action_refused') return { code: ExitCode.auth, message: error.message };
  const outcome: Outcome = { code: ExitCode.failure, message: error.message };
  if (error instanceof ConfigError) {
    outcome.hint = 'fix it by hand or move it aside (nothing was changed); `pictify-hooks config path` prints where';
  }
  return outcome;
}

/**
 * How an error ends the command. `advice` is the hint src/cli/api-hints.ts found for an API failure; an error's own
 * hint (modules that still phrase their advice) wins over both.
 */
export function outcomeOf(error: unknown, advice?: string): Outcome {
  const outcome = baseOutcome(error);
  const own = (error as { hint?: string } | null)?.hint;
  if (outcome.message !== undefined) outcome.hint = own ?? advice ?? outcome.hint;
  return outcome;
}

function isCommanderError(error: unknown): error is { code: string; exitCode: number } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

function baseOutcome(error: unknown): Outcome {
  // commander is require()d by main.ts (start-up); its errors are recognised by their code, not by importing it.
  if (isCommanderError(error)) {
    // commander has already printed its message (or the help/version text).
    if (COMMANDER_OK.has(error.code) || error.exitCode === 0) return { code: ExitCode.ok };
    return { code: ExitCode.usage };
  }
  if (error instanceof SilentError) return { code: error.exitCode };
  if (error instanceof CliError) return { code: error.exitCode, message: error.message, hint: error.hint };
  if (error instanceof DomainError) return domainOutcome(error);
  // The library's verification error (src/signing/errors.ts), matched by name so start-up does not load signing.
  if (error instanceof Error && error.name === 'WebhookVerificationError') {
    return {
      code: ExitCode.failure,
      message: error.message,
      hint: '`pictify-hooks verify --header … --payload @body.json` explains what differs',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: ExitCode.failure,
    message: `unexpected failure: ${message}`,
    hint: 'please report it with the command you ran',
  };
}
