// verify_signature: the one verify path, and on a mismatch diagnose's findings (a stripped prefix, a re-serialized
// body, a stale timestamp, another subscription's secret…), as `verify` reports them.
import { z } from 'zod';
import { namedForMessages } from '../../signing/secret-source.js';
import { verifyExplained } from '../../signing/verify-explained.js';
import { storedSecrets, verifyingSecrets } from '../secrets.js';
import { defineTool, MAX_PAYLOAD_CHARS, secretField, uidField } from '../tool.js';

const HEADER_NAME = /^\s*x-pictify-signature\s*:\s*/i;

export const verifySignatureTool = defineTool({
  name: 'verify_signature',
  title: 'Verify a webhook signature',
  description:
    'Checks an X-Pictify-Signature header against the raw body exactly as received, with the stored secret of ' +
    '`subscription`, a given `secret`, or else the stored secrets of the API in use; when it fails, explains why.',
  input: {
    header: z.string().min(1).max(8192).describe('the X-Pictify-Signature value, e.g. t=…,v1=…'),
    payload: z.string().max(MAX_PAYLOAD_CHARS).describe('the raw request body, byte for byte (UTF-8)'),
    subscription: uidField.optional(),
    secret: secretField.optional(),
    toleranceSeconds: z.number().int().min(1).max(31_536_000).optional().describe('default 300'),
    now: z.number().int().min(0).optional().describe('unix seconds to verify at (default: now)'),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, { host }) {
    const secrets = await verifyingSecrets(host, args);
    const tried = new Set(secrets.map((s) => s.secret));
    const known = (await storedSecrets(host, { allApis: true }).catch(() => [])).filter((s) => !tried.has(s.secret));
    const verdict = verifyExplained({
      payload: Buffer.from(args.payload, 'utf8'),
      header: args.header.replace(HEADER_NAME, ''),
      secrets,
      known,
      now: args.now ?? host.now() / 1000,
      toleranceSeconds: args.toleranceSeconds,
    });
    return {
      valid: verdict.valid,
      ...(verdict.reason ? { reason: verdict.reason, message: verdict.message } : {}),
      ...(verdict.matched ? { matched: verdict.matched } : {}),
      triedSecrets: namedForMessages(secrets).map((s) => s.label ?? 'the secret'),
      timestamp: verdict.timestamp,
      findings: verdict.findings,
    };
  },
});
