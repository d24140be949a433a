// `sign`: prints the X-Pictify-Signature for a sample event or a given payload, optionally as a curl command.
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { buildDelivery, newDeliveryId } from '../outbound/build.js';
import { composeEventBody, eventOfPayload } from '../outbound/compose.js';
import { parseUnixSeconds } from '../outbound/options.js';
import { UsageError } from '../errors.js';
import { EVENT_NAMES, type EventName } from '../events/names.js';
import { printJson } from '../output/json.js';
import { SIGNATURE_HEADER } from '../signing/constants.js';
import { parseSignatureHeader } from '../signing/header.js';
import { examples, parseEventName, parseUrl, readPayloadArg } from './kit.js';
import { resolveSigningSecret } from './secret-source.js';

export const DEFAULT_SIGN_EVENT: EventName = 'render.completed';

export interface SignOptions {
  event?: EventName;
  /** `@file`, `-` or a literal body. */
  payload?: string;
  secret?: string;
  subscription?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  deliveryId?: string;
  curl?: URL;
}

export function register(program: Command, ctx: Context): void {
  const command = program
    .command('sign')
    .summary('Sign a payload the way Pictify does and print the X-Pictify-Signature header')
    .description(
      `sign a payload the way Pictify does and print the ${SIGNATURE_HEADER} header. Without <event> or --payload ` +
        `it signs a fresh ${DEFAULT_SIGN_EVENT} sample; a generated sample is printed after the header, since its ` +
        'exact bytes are what was signed',
    )
    .argument('[event]', `sample event to sign (${EVENT_NAMES.join(', ')}); default ${DEFAULT_SIGN_EVENT}`)
    .option('--payload <@file|->', 'sign these exact bytes instead of a sample (@file, - for stdin)')
    .option('--secret <secret>', 'webhook secret (default PICTIFY_WEBHOOK_SECRET)')
    .option('--subscription <uid>', 'use the stored secret of this subscription (and its url for --curl)')
    .option('--timestamp <unix-seconds>', 'signature timestamp (default now)')
    .option(
      '--delivery-id <id>',
      'delivery id of the generated sample (default: random; derived from --timestamp when that is given)',
    )
    .option('--curl <url>', 'print a ready-to-run curl command that posts the signed delivery to <url>')
    .action(async (event: string | undefined, flags: Record<string, string | boolean | undefined>) => {
      await run(ctx, {
        event: event === undefined ? undefined : parseEventName(event),
        payload: flags.payload as string | undefined,
        secret: flags.secret as string | undefined,
        subscription: flags.subscription as string | undefined,
        timestamp: flags.timestamp === undefined ? undefined : parseUnixSeconds(String(flags.timestamp), '--timestamp'),
        deliveryId: flags.deliveryId as string | undefined,
        curl: flags.curl === undefined ? undefined : parseUrl(String(flags.curl), '--curl'),
      });
    });
  examples(command, [
    'pictify-hooks sign --secret whsec_… render.completed',
    'pictify-hooks sign --payload @body.json --timestamp 1700000000',
    'pictify-hooks sign --subscription wh_123 batch.completed --curl http://localhost:3000/webhooks | sh',
    'pictify-hooks sign --json | jq -r .header',
  ]);
}

export async function run(ctx: Context, options: SignOptions): Promise<void> {
  const signing = await resolveSigningSecret(ctx, { secret: options.secret, subscription: options.subscription });
  // A pinned --timestamp makes the whole delivery reproducible: the sample's own times and its delivery id follow
  // it, so the same command prints the same header (for docs, fixtures, CI snapshots).
  const timestamp = options.timestamp ?? Math.floor(ctx.now() / 1000);
  const nowMs = options.timestamp === undefined ? ctx.now() : options.timestamp * 1000;
  const deliveryId =
    options.deliveryId ??
    (options.timestamp === undefined
      ? newDeliveryId()
      : derivedDeliveryId(options.timestamp, options.event ?? DEFAULT_SIGN_EVENT));

  let body: Buffer;
  let event: string | undefined = options.event;
  const generated = options.payload === undefined;
  if (options.payload !== undefined) {
    body = await readPayloadArg(ctx, options.payload, '--payload');
    event ??= eventOfPayload(body);
  } else {
    event ??= DEFAULT_SIGN_EVENT;
    body = Buffer.from(composeEventBody(event as EventName, { deliveryId, nowMs }));
  }

  const request = buildDelivery({ body, secret: signing.secret, timestamp, event, deliveryId });
  const header = request.headers['x-pictify-signature'];

  if (options.curl) {
    const url = options.curl.href;
    const payloadFile = options.payload?.startsWith('@') ? options.payload.slice(1) : undefined;
    const { curlCommand } = await import('../outbound/curl.js');
    const command = curlCommand({
      url,
      headers: request.headers,
      body,
      bodyFile: payloadFile && (await absolute(payloadFile)),
    });
    if (command === undefined) {
      throw new UsageError('this payload is binary and cannot be inlined in a shell command', {
        hint: 'save it to a file and pass --payload @file',
      });
    }
    if (ctx.globals.json) printJson(ctx, { command, url, header, timestamp, deliveryId });
    else ctx.out(command);
    return;
  }

  if (ctx.globals.json) {
    const { signatures } = parseSignatureHeader(header);
    printJson(ctx, {
      header,
      timestamp,
      signature: signatures[0],
      payload: body.toString('utf8'),
      event: event ?? null,
      deliveryId,
    });
    return;
  }
  ctx.out(`${SIGNATURE_HEADER}: ${header}`);
  if (generated) {
    // The signature is worthless without the exact bytes it covers.
    ctx.out('');
    ctx.out(body.toString('utf8'));
  }
}

async function absolute(path: string): Promise<string> {
  const { resolve } = await import('node:path');
  return resolve(path);
}

function derivedDeliveryId(timestamp: number, event: string): string {
  return `del_${createHash('sha256').update(`${event}@${timestamp}`).digest('hex').slice(0, 24)}`;
}
