// The one place that decides how a command ended: the exit code of every outcome, and the hint — naming a flag or a
// command — that goes with a domain error (domain errors carry data, not advice). Like gh's error mapping.
import { CommanderError } from 'commander';
import { ApiError, ConfigError, DomainError, VerificationError } from '../errors.js';
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

export const AUTH_HINT = 'run `pictify-hooks login`, or set PICTIFY_API_KEY';

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

function apiOutcome(error: ApiError): Outcome {
  const status = error.status;
  // A route refused to API keys (pause/resume) is not a bad key.
  if ((status === 401 || status === 403) && error.code !== 'action_refused') {
    return { code: ExitCode.auth, message: error.message, hint: AUTH_HINT };
  }
  const hint =
    status === undefined
      ? 'check your network and the API address (--base-url or PICTIFY_BASE_URL)'
      : status === 404
        ? 'check the uid with `pictify-hooks list`'
        : status === 429
          ? 'wait a minute; --max-retry-wait sets how long pictify-hooks waits between retries'
          : status >= 500
            ? 'the API is having trouble; try again in a minute'
            : undefined;
  return { code: ExitCode.failure, message: error.message, hint };
}

function domainOutcome(error: DomainError): Outcome {
  let outcome: Outcome = { code: ExitCode.failure, message: error.message };
  if (error instanceof ApiError) outcome = apiOutcome(error);
  else if (error instanceof ConfigError) {
    outcome.hint = 'fix it by hand or move it aside (nothing was changed); `pictify-hooks config path` prints where';
  } else if (error instanceof VerificationError) {
    outcome.hint = '`pictify-hooks verify --header … --payload @body.json` explains what differs';
  }
  // Modules that still phrase their own advice know the situation best.
  return error.hint ? { ...outcome, hint: error.hint } : outcome;
}

export function outcomeOf(error: unknown): Outcome {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help/version text).
    if (COMMANDER_OK.has(error.code) || error.exitCode === 0) return { code: ExitCode.ok };
    return { code: ExitCode.usage };
  }
  if (error instanceof SilentError) return { code: error.exitCode };
  if (error instanceof CliError) return { code: error.exitCode, message: error.message, hint: error.hint };
  if (error instanceof DomainError) return domainOutcome(error);
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: ExitCode.failure,
    message: `unexpected failure: ${message}`,
    hint: 'please report it with the command you ran',
  };
}
