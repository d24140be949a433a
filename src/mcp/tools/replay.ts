// replay_event: a stored delivery sent again, by the inspector's replay engine: re-signed now with the secret that
// verified it (same body, same delivery id: the receiver's dedupe is exercised), or as-is (its stale signature
// should be refused). Like the inspector, only to this machine unless the server runs with --allow-remote.
import { z } from 'zod';
import { replay, ReplayRefused } from '../../inspector/replay.js';
import { ENV_SOURCE, flagSource, type SourcedSecret } from '../../signing/secret-source.js';
import { storedSecrets } from '../secrets.js';
import { defineTool, secretField, storedIdField, urlField } from '../tool.js';
import { findStored } from './stored-events.js';
import { ANSWER_LIMIT } from './send.js';

export const replayEvent = defineTool({
  name: 'replay_event',
  title: 'Replay a received delivery',
  description:
    'Sends a stored delivery again to `to` (default: where listen forwarded it): re-signed now with the secret ' +
    'that verified it (or a given `secret`), or as-is with its original, by now stale, signature.',
  input: {
    id: storedIdField,
    to: urlField.optional().describe('receiver url (http or https; this machine unless --allow-remote)'),
    mode: z.enum(['resigned', 'as-is']).optional().describe('default resigned'),
    secret: secretField.optional(),
    timeoutSeconds: z.number().min(1).max(30).optional().describe('default 30'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { host }) {
    if (args.secret !== undefined && args.mode === 'as-is') {
      throw new Error('as-is resends the original signature: it cannot be combined with secret');
    }
    const source = await findStored(host, args.id);
    const given: SourcedSecret[] = args.secret === undefined ? [] : [{ secret: args.secret, source: flagSource() }];
    const secrets = async () => [
      ...given,
      ...(await storedSecrets(host).catch(() => [])),
      ...(host.envSecret ? [{ secret: host.envSecret, source: ENV_SOURCE }] : []),
    ];
    let sent;
    try {
      sent = await replay(
        source,
        { mode: args.mode ?? 'resigned', target: args.to, secretLabel: args.secret === undefined ? undefined : 'flag' },
        {
          secrets,
          forwardTarget: () => source.forward?.url,
          allowRemote: host.allowRemote,
          now: () => host.now(),
          timeoutMs: (args.timeoutSeconds ?? 30) * 1000,
        },
      );
    } catch (error) {
      if (error instanceof ReplayRefused) throw new Error(`${error.message} (${error.code})`, { cause: error });
      throw error;
    }
    const forward = sent.forward!;
    const ok = forward.status !== undefined && forward.status >= 200 && forward.status < 300;
    return {
      id: source.id,
      event: source.event,
      deliveryId: sent.deliveryId,
      to: forward.url,
      mode: sent.replay?.mode,
      ok,
      status: forward.status ?? null,
      latencyMs: forward.latencyMs,
      ...(forward.error ? { error: forward.error } : { answer: (forward.answer ?? '').slice(0, ANSWER_LIMIT) }),
      // What listen would say about the bytes and headers sent, with the secrets known here.
      verdict: sent.verdict,
    };
  },
});
