// `replay`: sends stored deliveries again. By default re-signed with a fresh timestamp and the secret that verified
// them (same body, same delivery id, so the receiver's dedupe is exercised); `--as-is` resends the original headers
// untouched, to prove a receiver rejects a stale replay.

import type { Context } from '../../cli/context.js';
import { FailureError, UsageError } from '../../cli/errors.js';
import { present, presentItem, presentNote } from '../../cli/present.js';
import { symbols } from '../../output/style.js';
import { decodeBody, storedEventName, type EventRecord } from '../../store/event-store-record.js';
import { parseHttpUrl } from '../../cli/flags.js';
import { checkHeaders } from '../../outbound/header-value.js';
import { resendHeaders } from '../../outbound/resend-headers.js';
import { parseTarget, type Target } from '../../outbound/target.js';
import type { SignedRequest } from '../../outbound/build.js';
import type { PostResult } from '../../outbound/post.js';
import { profileName } from '../shared/profile-name.js';
import { findOrThrow } from '../events/run.js';
import { describeSource, sourceFromLabel, type SecretSource } from '../../signing/secret-source.js';
import { resolveSigningSecret, type SigningSecret } from '../shared/resolve-secrets.js';
import type { ReplayFlags } from './flags.js';

/** The flags checked together, with the ids and --to parsed (the demo builds one directly). */
export type ReplayOptions = Omit<Partial<ReplayFlags>, 'to' | 'timeoutMs'> & {
  ids: string[];
  to?: Target;
  timeoutMs: number;
};

/** Beyond this many, replay --all without a terminal to ask on needs --yes. */
export const REPLAY_ALL_UNASKED_MAX = 10;

/**
 * Where a delivery goes when --to is not given: only somewhere the user configured, i.e. the --forward-to/--route
 * target listen recorded. Never the stored Host header or path: the sender chose those (`127.1:…`, `evil@…`).
 */
function defaultTarget(record: EventRecord): Target | undefined {
  const url = record.forward?.url;
  if (!url) return undefined;
  try {
    return parseTarget(url, `the forward target stored with ${record.id}`);
  } catch {
    return undefined;
  }
}

/** What --as-is resends: the stored headers minus hop-by-hop and redacted ones, refused if one would inject. */
function storedHeaders(record: EventRecord): Record<string, string> {
  const headers = resendHeaders(record);
  checkHeaders(headers, (name) => `${record.id}'s stored ${name} header`);
  return headers;
}

function isReplayable(record: EventRecord): boolean {
  return record.method === 'POST' && !record.bodyOmitted;
}

/** What --all leaves out, said in its prompt and summary. */
interface Skipped {
  /** Stored POSTs that never verified (re-signing vouches only for what verified; --as-is or --secret takes them). */
  rejected: number;
  /** Later copies of a delivery id already in the selection: earlier replays and retries (--include-replays). */
  replays: number;
}

interface Selection {
  records: EventRecord[];
  /** Set for --all only. */
  skipped?: Skipped;
}

/**
 * --all: every stored POST in the window, oldest first, minus what never verified (unless --as-is or --secret says
 * to send it anyway) and minus later copies of one delivery id — a replay sent back through listen, an inspector
 * replay, a retry — so each delivery goes once unless --include-replays.
 */
async function selectAll(ctx: Context, options: ReplayOptions): Promise<Selection> {
  const { readEventStore, skippedWarning } = await import('../../store/event-store-read.js');
  const { defaultStorePath } = await import('../../store/event-store.js');
  const file = options.store ?? defaultStorePath(ctx.configDir());
  const contents = await readEventStore(file);
  const warning = skippedWarning(contents);
  if (warning) ctx.err(warning);
  const since = options.sinceMs;
  // Re-signing only vouches for what verified before, unless the user names the secret to sign with.
  const mayResign = options.asIs || options.secret !== undefined;
  const skipped: Skipped = { rejected: 0, replays: 0 };
  const seen = new Set<string>();
  const records: EventRecord[] = [];
  for (const r of contents.records) {
    if (r.method !== 'POST' || (since !== undefined && Date.parse(r.receivedAt) < since)) continue;
    if (!isReplayable(r) || (!r.verdict.ok && !mayResign)) {
      skipped.rejected += 1;
    } else if (
      !options.includeReplays &&
      (r.replay !== undefined || (r.deliveryId !== null && seen.has(r.deliveryId)))
    ) {
      skipped.replays += 1;
    } else {
      if (r.deliveryId !== null) seen.add(r.deliveryId);
      records.push(r);
    }
  }
  return { records, skipped };
}

/** "(2 rejected skipped, 1 earlier replay not sent again: --include-replays sends it)", or '' when nothing was. */
function skippedNote(skipped: Skipped | undefined): string {
  if (!skipped) return '';
  const parts: string[] = [];
  if (skipped.rejected > 0) {
    parts.push(`${skipped.rejected} rejected ${skipped.rejected === 1 ? 'one' : 'ones'} skipped (--as-is sends them)`);
  }
  if (skipped.replays > 0) {
    const n = skipped.replays;
    parts.push(
      `${n} earlier ${n === 1 ? 'replay' : 'replays'} of the same delivery not sent again (--include-replays)`,
    );
  }
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

async function select(ctx: Context, options: ReplayOptions): Promise<Selection> {
  if (options.all) return selectAll(ctx, options);
  const records: EventRecord[] = [];
  for (const id of options.ids) {
    const { record } = await findOrThrow(ctx, id, options.store);
    if (!isReplayable(record)) {
      throw new UsageError(
        `${record.id} cannot be replayed: it was refused before its body was read ` +
          `(${record.verdict.reason ?? record.method})`,
      );
    }
    if (!record.verdict.ok && !options.asIs && options.secret === undefined) {
      throw new UsageError(
        `${record.id} never verified (${record.verdict.reason}), so it will not be re-signed with a stored secret`,
        {
          hint: 'resend it untouched with --as-is, or sign it on purpose with --secret',
        },
      );
    }
    records.push(record);
  }
  return { records };
}

export async function run(ctx: Context, options: ReplayOptions): Promise<void> {
  const { records, skipped } = await select(ctx, options);
  const note = skippedNote(skipped);
  if (records.length === 0) {
    throw new FailureError(`nothing to replay${note}`, {
      hint:
        options.sinceMs !== undefined
          ? 'widen --since, or check `pictify-hooks events list`'
          : 'check `pictify-hooks events list`',
    });
  }
  const targets = targetsOf(records, options);
  const shown = targets.map((t) => t.href);
  if (options.dryRun) return printDryRun(ctx, options, records, shown, note);
  if (options.all && !options.yes) await confirmReplayAll(ctx, records.length, shown, note);

  const [build, { createDeliveryAgent, postDelivery }] = await Promise.all([
    import('../../outbound/build.js'),
    import('../../outbound/post.js'),
  ]);
  const secretFor = signingSecrets(ctx, options);
  const agent = await createDeliveryAgent({ connections: 4, timeoutMs: options.timeoutMs });
  let failed = 0;
  try {
    for (const [i, record] of records.entries()) {
      const body = decodeBody(record);
      const signing = options.asIs ? undefined : await secretFor(record);
      const request = signing ? resigned(ctx, build, record, body, signing) : { body, headers: storedHeaders(record) };
      const result = await postDelivery(targets[i], request, {
        timeoutMs: options.timeoutMs,
        dispatcher: agent,
        maxBodyBytes: 4096,
      });
      const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
      if (!ok) failed += 1;
      printReplayed(ctx, { record, to: targets[i].href, request, result, ok, asIs: options.asIs === true, signing });
    }
  } finally {
    await agent.close();
  }
  if (failed > 0) {
    throw new FailureError(
      `${failed} of ${records.length} ${records.length === 1 ? 'replay was' : 'replays were'} not accepted (not 2xx)${note}`,
    );
  }
  presentNote(
    ctx,
    records.length,
    (n, e) => `${e.green(`Replayed ${n} ${n === 1 ? 'delivery' : 'deliveries'}`)}${note}.`,
  );
}

/** Where each record goes: --to, else the target listen forwarded it to; no guessing from what the sender sent. */
function targetsOf(records: readonly EventRecord[], options: ReplayOptions): Target[] {
  const targets = records.map((r) => options.to ?? defaultTarget(r));
  const missing = records.find((_, i) => targets[i] === undefined);
  if (missing) {
    throw new UsageError(`where should ${missing.id} go? listen did not forward it anywhere`, {
      hint: 'pass --to <url> (without it, replay goes only to the --forward-to/--route target listen recorded)',
    });
  }
  return targets as Target[];
}

/**
 * The secret each record is re-signed with: --secret, else the stored secret of the subscription that verified
 * it, else PICTIFY_WEBHOOK_SECRET. Resolved once per source, so --all over many records reads the config once.
 */
function signingSecrets(ctx: Context, options: ReplayOptions): (record: EventRecord) => Promise<SigningSecret> {
  const cache = new Map<string, SigningSecret>();
  return async (record) => {
    if (options.secret !== undefined) return resolveSigningSecret(ctx, { secret: options.secret });
    const label = record.verdict.matchedLabel;
    const key = label ?? '';
    const cached = cache.get(key);
    if (cached) return cached;
    const verifiedWith = label === undefined ? undefined : sourceFromLabel(label);
    let resolved: SigningSecret | undefined;
    if (verifiedWith?.kind === 'subscription') {
      const stored = (await ctx.config()).secret(profileName(ctx), verifiedWith.uid);
      if (stored?.secret) resolved = await resolveSigningSecret(ctx, { subscription: verifiedWith.uid });
    }
    try {
      resolved ??= await resolveSigningSecret(ctx, {});
    } catch (error) {
      if (error instanceof UsageError) throw noSecretFor(record, verifiedWith);
      throw error;
    }
    cache.set(key, resolved);
    return resolved;
  };
}

function noSecretFor(record: EventRecord, verifiedWith: SecretSource | undefined): UsageError {
  const given = verifiedWith?.kind === 'flag' ? ' given to listen' : '';
  return new UsageError(
    `no secret to re-sign ${record.id} with` +
      (verifiedWith ? ` (it was verified with ${describeSource(verifiedWith)}${given})` : ''),
    {
      hint:
        verifiedWith?.kind === 'flag'
          ? 'listen does not keep secrets given with --secret: pass the same --secret to replay ' +
            '(or set PICTIFY_WEBHOOK_SECRET), or resend it untouched with --as-is'
          : 'pass --secret, set PICTIFY_WEBHOOK_SECRET, or resend it untouched with --as-is',
    },
  );
}

/** The same body and delivery id, signed now: the receiver's dedupe is exercised, its clock check passed. */
function resigned(
  ctx: Context,
  build: typeof import('../../outbound/build.js'),
  record: EventRecord,
  body: Buffer,
  signing: SigningSecret,
): SignedRequest {
  return build.buildDelivery({
    body,
    secret: signing.secret,
    timestamp: Math.floor(ctx.now() / 1000),
    event: storedEventName(record),
    deliveryId: record.deliveryId ?? build.newDeliveryId(),
    sources: { event: `${record.id}'s stored event`, deliveryId: `${record.id}'s stored delivery id` },
  });
}

interface Replayed {
  record: EventRecord;
  to: string;
  request: SignedRequest;
  result: PostResult;
  ok: boolean;
  asIs: boolean;
  /** The secret it was re-signed with; undefined for --as-is. */
  signing?: SigningSecret;
}

/** One line per replay: an NDJSON line with --json, else mark, ids, answer, latency and how it was signed. */
function printReplayed(ctx: Context, { record, to, request, result, ok, asIs, signing }: Replayed): void {
  const latencyMs = Math.round(result.latencyMs * 10) / 10;
  const json = {
    id: record.id,
    event: record.event,
    deliveryId: request.headers['x-pictify-delivery-id'] ?? record.deliveryId,
    to,
    mode: asIs ? 'as-is' : 'resigned',
    ok,
    status: result.status ?? null,
    latencyMs,
    ...(result.error ? { error: result.error.message } : ok ? {} : { body: result.body }),
  };
  // The stored record, the receiver's answer and the error text are untrusted: the presenter sanitises them.
  const line = {
    ok,
    text:
      `${record.id}  ${record.event ?? '-'}  ${record.deliveryId ?? '-'}  ${symbols.arrow} ` +
      `${result.status ?? result.error?.message ?? 'no answer'}  ${Math.round(latencyMs)} ms` +
      `${asIs ? '  (as-is)' : signing ? `  (re-signed with ${describeSource(signing.source)})` : ''}`,
    // Why a receiver refused it, in its own words, on one line.
    why: !ok && result.status !== undefined && result.body ? result.body.replace(/\s+/g, ' ').slice(0, 160) : '',
  };
  presentItem(
    ctx,
    line,
    (l, s) => `${l.ok ? s.green(symbols.ok) : s.red(symbols.fail)} ${l.text}${l.why ? `  ${s.dim(l.why)}` : ''}`,
    { json },
  );
}

/** replay --all asks on a terminal; without one, more than REPLAY_ALL_UNASKED_MAX need --yes. */
async function confirmReplayAll(ctx: Context, count: number, targets: string[], note: string): Promise<void> {
  const where = [...new Set(targets)];
  const to = where.length === 1 ? where[0] : `${where.length} urls`;
  const what = `${count} ${count === 1 ? 'delivery' : 'deliveries'} to ${to}`;
  if (ctx.io.stdinIsTTY && ctx.io.stderrIsTTY) {
    if (!(await ctx.confirm(`Replay ${what}${note}?`)))
      throw new FailureError('Nothing replayed', { hint: 'add --yes to skip the question' });
    return;
  }
  if (count > REPLAY_ALL_UNASKED_MAX) {
    throw new UsageError(`replay --all would send ${what}${note}, and there is no terminal to ask on`, {
      hint: 'add --yes to send them, or --dry-run to list them first',
    });
  }
}

function printDryRun(
  ctx: Context,
  options: ReplayOptions,
  records: EventRecord[],
  targets: string[],
  note: string,
): void {
  const mode = options.asIs ? 'as-is' : 're-signed';
  const plan = records.map((r, i) => ({ id: r.id, event: r.event, deliveryId: r.deliveryId, to: targets[i], mode }));
  present(ctx, plan, (rows) =>
    rows.map(
      (r) => `${r.id}  ${r.event ?? '(no event)'}  ${r.deliveryId ?? '-'}  ${symbols.arrow} ${r.to}  (${r.mode})`,
    ),
  );
  presentNote(
    ctx,
    plan.length,
    (n) => `Dry run: ${n} ${n === 1 ? 'delivery' : 'deliveries'} would be sent${note}; nothing was.`,
  );
}

/** --to as typed: validated as a URL, but its path is sent exactly as written (`/x/../y` stays). */
function toTarget(text: string): Target {
  parseHttpUrl(text, '--to');
  return parseTarget(text, '--to');
}

/** The flags checked together, with the ids. */
export function toOptions(ids: string[], flags: ReplayFlags): ReplayOptions {
  if (flags.all && ids.length > 0) throw new UsageError('give event ids or --all, not both');
  if (!flags.all && ids.length === 0)
    throw new UsageError('which deliveries? give event ids or --all', {
      hint: '`pictify-hooks events list` shows the ids',
    });
  if (flags.sinceMs !== undefined && !flags.all) throw new UsageError('--since works with --all');
  if (flags.includeReplays && !flags.all) throw new UsageError('--include-replays works with --all');
  if (flags.asIs && flags.secret !== undefined)
    throw new UsageError('--as-is resends the original signature; it cannot be combined with --secret');
  return { ...flags, ids, to: flags.to === undefined ? undefined : toTarget(flags.to) };
}
