// `sign`: prints the X-Pictify-Signature for a sample event or a given payload, optionally as a curl command.
import { createHash } from 'node:crypto';

import type { Context } from '../../cli/context.js';
import { buildDelivery, newDeliveryId, type SignedRequest } from '../../outbound/build.js';
import { composeEventBody, eventOfPayload, sampleTimeMs } from '../../outbound/compose.js';
import { UsageError } from '../../cli/errors.js';
import { type EventName } from '../../events/names.js';
import { present } from '../../cli/present.js';
import { SIGNATURE_HEADER } from '../../signing/constants.js';
import { parseSignatureHeader } from '../../signing/header.js';
import { readPayloadArg } from '../shared/payload-arg.js';
import { resolveDelivery, resolveSigningSecret } from '../shared/resolve-secrets.js';
import type { SignFlags } from './flags.js';

export const DEFAULT_SIGN_EVENT: EventName = 'render.completed';

/** The flags and the [event] argument. */
export type SignCommandOptions = SignFlags & { event?: EventName };

export async function run(ctx: Context, options: SignCommandOptions): Promise<void> {
  // --curl alone takes the subscription's stored url, as send --subscription does.
  const target = options.curl
    ? await resolveDelivery(ctx, {
        ...options,
        url: options.curl === true ? undefined : options.curl,
        urlFlag: '--curl <url>',
      })
    : undefined;
  const signing = target?.signing ?? (await resolveSigningSecret(ctx, options));
  // A pinned --timestamp makes the whole delivery reproducible: the sample's own times and its delivery id follow
  // it, so the same command prints the same header (for docs, fixtures, CI snapshots).
  const timestamp = options.timestamp ?? Math.floor(ctx.now() / 1000);
  const nowMs = sampleTimeMs(options.timestamp, ctx.now());
  const deliveryId =
    options.deliveryId ??
    (options.timestamp === undefined
      ? newDeliveryId()
      : derivedDeliveryId(options.timestamp, options.event ?? DEFAULT_SIGN_EVENT));
  const { body, event, generated } = await bodyToSign(ctx, options, { deliveryId, nowMs });
  const request = buildDelivery({
    body,
    secret: signing.secret,
    timestamp,
    event,
    deliveryId,
    sources: { event: options.event ? 'the event' : 'the "event" of --payload', deliveryId: '--delivery-id' },
  });
  const header = request.headers['x-pictify-signature'];
  if (target) return presentCurl(ctx, target.url, options.payload, request, { header, timestamp, deliveryId });

  const signed = {
    header,
    timestamp,
    signature: parseSignatureHeader(header).signatures[0],
    payload: body.toString('utf8'),
    event: event ?? null,
    deliveryId,
  };
  // The signature is worthless without the exact bytes it covers: a generated body is printed as it is (it is
  // our own JSON, whose escapes keep control characters out), not as a sanitised copy.
  present(ctx, signed, (d) => [`${SIGNATURE_HEADER}: ${d.header}`, ...(generated ? ['', signed.payload] : [])]);
}

/** --payload's bytes (its event read from it unless given), else the sample of the event, generated. */
async function bodyToSign(
  ctx: Context,
  options: SignCommandOptions,
  sample: { deliveryId: string; nowMs: number },
): Promise<{ body: Buffer; event: string | undefined; generated: boolean }> {
  if (options.payload !== undefined) {
    const body = await readPayloadArg(ctx, options.payload, '--payload');
    return { body, event: options.event ?? eventOfPayload(body), generated: false };
  }
  const event = options.event ?? DEFAULT_SIGN_EVENT;
  return { body: Buffer.from(composeEventBody(event, sample)), event, generated: true };
}

/** --curl: the signed delivery as a curl command (a --payload @file is referenced, not inlined). */
async function presentCurl(
  ctx: Context,
  target: URL,
  payload: string | undefined,
  request: SignedRequest,
  shown: { header: string; timestamp: number; deliveryId: string },
): Promise<void> {
  const url = target.href;
  const payloadFile = payload?.startsWith('@') ? payload.slice(1) : undefined;
  const { curlCommand } = await import('../../outbound/curl.js');
  const command = curlCommand({
    url,
    headers: request.headers,
    body: request.body,
    bodyFile: payloadFile && (await absolute(payloadFile)),
  });
  if (command === undefined) {
    throw new UsageError(
      'this payload is binary or holds control characters and cannot be inlined in a shell command',
      {
        hint: 'save it to a file and pass --payload @file',
      },
    );
  }
  // The command exactly as built (its quoting already keeps control bytes out of the terminal), not a copy.
  present(ctx, { command, url, ...shown }, () => command);
}

async function absolute(path: string): Promise<string> {
  const { resolve } = await import('node:path');
  return resolve(path);
}

function derivedDeliveryId(timestamp: number, event: string): string {
  return `del_${createHash('sha256').update(`${event}@${timestamp}`).digest('hex').slice(0, 24)}`;
}
