// send_test_event: one signed sample to a receiver, as `send` posts it (same body, headers and signature), and
// what the receiver answered.
import { z } from 'zod';
import { EVENT_NAMES } from '../../events/names.js';
import { parseSetArgument } from '../../events/set.js';
import { buildDelivery, newDeliveryId } from '../../outbound/build.js';
import { composeEventBody } from '../../outbound/compose.js';
import { postDelivery } from '../../outbound/post.js';
import { secretLabel } from '../../signing/secret-source.js';
import { signingSecret } from '../secrets.js';
import { checkSignedTarget, parseToolUrl } from '../target.js';
import { dataField, defineTool, secretField, setField, uidField, urlField } from '../tool.js';

/** What a receiver's answer is cut to: enough for its error message. */
export const ANSWER_LIMIT = 4096;

export const sendTestEvent = defineTool({
  name: 'send_test_event',
  title: 'Send a signed test event',
  description:
    'Signs a sample event as Pictify does and POSTs it to a receiver; returns its status and answer. Signs with ' +
    "the stored secret of `subscription` (default url: that subscription's target), a given `secret`, or " +
    'PICTIFY_WEBHOOK_SECRET.',
  input: {
    event: z.enum(EVENT_NAMES),
    url: urlField.optional().describe('receiver url (http or https)'),
    subscription: uidField.optional(),
    secret: secretField.optional(),
    data: dataField.optional(),
    set: setField.optional(),
    timeoutSeconds: z.number().min(1).max(30).optional().describe('how long to wait for the answer (default 30)'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { host, signal }) {
    const signing = await signingSecret(host, args);
    const urlText = args.url ?? signing.targetUrl;
    if (urlText === undefined) throw new Error('no receiver url: pass url (or a subscription with a stored target)');
    const url = parseToolUrl(urlText, args.url === undefined ? 'the subscription’s target url' : 'url');
    checkSignedTarget(url, signing, host.allowRemote);
    const sets = (args.set ?? []).map((s) => parseSetArgument(s));
    const deliveryId = newDeliveryId();
    const nowMs = host.now();
    const body = composeEventBody(args.event, { deliveryId, nowMs, overrides: { data: args.data, sets } });
    const timestamp = Math.floor(nowMs / 1000);
    const request = buildDelivery({ body, secret: signing.secret, timestamp, event: args.event, deliveryId });
    const timeoutMs = (args.timeoutSeconds ?? 30) * 1000;
    const result = await postDelivery(url, request, { timeoutMs, maxBodyBytes: ANSWER_LIMIT, signal });
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    return {
      event: args.event,
      deliveryId,
      url: url.href,
      signedWith: secretLabel(signing.source),
      timestamp,
      ok,
      status: result.status ?? null,
      latencyMs: Math.round(result.latencyMs * 10) / 10,
      ...(result.error ? { error: result.error.message } : { answer: result.body }),
    };
  },
});
