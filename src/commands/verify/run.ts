// `verify`: checks an X-Pictify-Signature against a payload and, when it fails, explains why (diagnose).

import type { Context } from '../../cli/context.js';
import { SilentError, UsageError } from '../../cli/errors.js';
import { present, presentNote } from '../../cli/present.js';
import { printable } from '../../text/printable.js';
import { SIGNATURE_HEADER, type VerificationReason } from '../../signing/index.js';
import { verifyExplained } from '../../signing/verify-explained.js';
import { readPayloadArg } from '../shared/payload-arg.js';
import { describeSource } from '../../signing/secret-source.js';
import type { VerifyCommandOptions } from './flags.js';
import { resolveSigningSecret, resolveVerifyingSecrets, untriedStoredSecrets } from '../shared/resolve-secrets.js';

const HEADER_NAME = /^\s*x-pictify-signature\s*:\s*/i;

export async function run(ctx: Context, options: VerifyCommandOptions): Promise<void> {
  const header = options.header.replace(HEADER_NAME, '');
  const payload = await readPayload(ctx, options.payload);
  const secrets =
    options.subscription === undefined
      ? await resolveVerifyingSecrets(ctx, options.secrets)
      : [await resolveSigningSecret(ctx, { subscription: options.subscription, secret: options.secrets?.[0] })];
  const now = options.now ?? ctx.now() / 1000;
  const known = await untriedStoredSecrets(ctx, secrets);
  const verdict = verifyExplained({ payload, header, secrets, known, now, toleranceSeconds: options.toleranceSeconds });
  const hint = verdict.reason && HINTS[verdict.reason];

  const result = {
    valid: verdict.valid,
    ...(verdict.reason ? { reason: verdict.reason, message: verdict.message } : {}),
    ...(verdict.matched ? { matched: verdict.matched } : {}),
    timestamp: verdict.timestamp,
    findings: verdict.findings,
  };
  // The findings quote the pasted header and payload: sanitised like any delivery text.
  present(ctx, result, (d, s) =>
    d.valid ? `${s.green('valid')} (matched ${printable(describeSource(verdict.matchedSource))})` : undefined,
  );
  if (!verdict.valid) {
    presentNote(ctx, { ...result, hint }, (d, s) => [
      `${s.red('invalid')}: ${d.reason} — ${d.message}`,
      ...d.findings.map((finding) => `  - ${finding.message} [${finding.code}]`),
      ...(d.hint ? [`hint: ${d.hint}`] : []),
    ]);
  }
  if (!verdict.valid) throw new SilentError();
}

/** The library reports what is wrong; what to do about it, in this command's terms, is said here. */
const HINTS: Partial<Record<VerificationReason, string>> = {
  missing_header: `pass the ${SIGNATURE_HEADER} value with --header, exactly as delivered`,
  timestamp_too_old:
    "replays and long-queued deliveries are refused: send the event again, check this machine's clock (NTP), " +
    'or widen the window for testing with --tolerance',
  timestamp_in_future: "the sender's clock or this machine's clock is wrong: synchronise them (NTP)",
};

async function readPayload(ctx: Context, value: string | undefined): Promise<Buffer> {
  const fromStdin = value === undefined || value === '-';
  if (value === undefined && !(ctx.io.stdin && !ctx.io.stdinIsTTY)) {
    throw new UsageError('--payload is required', {
      hint: 'pass --payload @body.json, or pipe the raw body on stdin with --payload -',
    });
  }
  const payload = value === undefined ? await ctx.readStdin() : await readPayloadArg(ctx, value, '--payload');
  // Nothing to verify is a usage mistake (an empty pipe, an empty file), not an invalid signature.
  if (payload.length === 0 && (fromStdin || value!.startsWith('@'))) {
    throw new UsageError(`no payload: ${fromStdin ? 'standard input was empty' : `${value!.slice(1)} is empty`}`, {
      hint: 'pipe the raw body exactly as received, or pass --payload @body.json',
    });
  }
  return payload;
}
