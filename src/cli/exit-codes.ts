// The one place that decides how a command ended: the exit code of every outcome, and the hint — naming a flag or a
// command — that goes with a domain error (domain errors carry data, not advice). Like gh's error mapping.
import { ApiError, CredentialsError, DomainError, InputError } from '../errors.js';
import { WebhookVerificationError } from '../signing/errors.js';
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

function domainCode(error: DomainError): number {
  if (error instanceof CredentialsError) return ExitCode.auth;
  if (error instanceof InputError) return ExitCode.usage;
  // A route refused to API keys (pause/resume) is not a bad key.
  const auth = error instanceof ApiError && (error.status === 401 || error.status === 403);
  if (auth && error.code !== 'action_refused') return ExitCode.auth;
  return ExitCode.failure;
}

/**
 * How an error ends the command. `advice` is the hint src/cli/domain-hints.ts found for a domain error; a CLI
 * error's own hint wins over it.
 */
export function outcomeOf(error: unknown, advice?: string): Outcome {
  const outcome = baseOutcome(error);
  if (outcome.message !== undefined) outcome.hint = outcome.hint ?? advice;
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
  if (error instanceof DomainError) return { code: domainCode(error), message: error.message };
  if (error instanceof WebhookVerificationError) return { code: ExitCode.failure, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: ExitCode.failure,
    message: `unexpected failure: ${message}`,
    hint: 'please report it with the command you ran',
  };
}
