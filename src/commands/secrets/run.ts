// `secrets list|show|set|rm`: the one-time whsec_ secrets kept per subscription. Masked unless --reveal.

import type { Context } from '../../cli/context.js';
import type { SetOptions, ShowOptions } from './flags.js';
import { NotFoundError, UsageError } from '../../cli/errors.js';
import { withAge } from '../../output/age.js';
import { maskSecret } from '../../output/mask.js';
import { present, presentNote } from '../../cli/present.js';
import { printable } from '../../text/printable.js';
import { renderTable, truncate } from '../../output/table.js';
import { profileName } from '../shared/profile-name.js';
import { existingProfile } from '../../cli/profiles.js';
import { currentApi } from '../shared/resolve-secrets.js';

export async function runList(ctx: Context): Promise<void> {
  await existingProfile(ctx);
  const secrets = (await ctx.config()).secrets(profileName(ctx));
  const rows = Object.entries(secrets).map(([uid, s]) => ({
    uid,
    event: s.event ?? null,
    targetUrl: s.targetUrl ?? null,
    secret: maskSecret(s.secret),
    createdAt: s.createdAt ?? null,
  }));
  const profile = profileName(ctx);
  present(ctx, rows, (safe) => {
    if (safe.length === 0) {
      ctx.err(
        printable(
          `No secrets stored in profile "${profile}". \`pictify-hooks create\` stores them; \`secrets set\` adds one from the dashboard.`,
        ),
      );
      return;
    }
    return renderTable(
      ['uid', 'event', 'url', 'secret'],
      safe.map((r) => [r.uid, r.event ?? '', truncate(r.targetUrl ?? '', 50), r.secret]),
    );
  });
}

export async function runShow(ctx: Context, uid: string, options: ShowOptions): Promise<void> {
  await existingProfile(ctx);
  const stored = (await ctx.config()).secret(profileName(ctx), uid);
  if (!stored)
    throw new NotFoundError(`no secret stored for ${uid} in profile "${profileName(ctx)}"`, {
      hint: `add it with \`pictify-hooks secrets set ${uid} <whsec_…>\``,
    });
  const secret = options.reveal ? stored.secret : maskSecret(stored.secret);
  present(ctx, { uid, ...stored, secret }, (safe) => {
    if (options.reveal) return safe.secret;
    return renderTable(
      ['uid', 'event', 'url', 'secret', 'created'],
      [
        [
          safe.uid,
          safe.event ?? '',
          safe.targetUrl ?? '',
          safe.secret,
          safe.createdAt ? withAge(safe.createdAt, ctx.now()) : '',
        ],
      ],
    );
  });
  if (!options.reveal) presentNote(ctx, null, () => 'Masked; add --reveal to print the secret itself.');
}

export async function runSet(ctx: Context, uid: string, secret: string, options: SetOptions): Promise<void> {
  if (secret.length === 0) throw new UsageError('empty secret');
  // Whitespace is part of the HMAC key, so a pasted newline would break every verification: warn, keep as given.
  if (secret.trim() !== secret)
    ctx.err(
      'warning: the secret has surrounding whitespace; it is stored as given, and signatures made with the trimmed secret will not match',
    );
  if (!secret.trim().startsWith('whsec_'))
    ctx.err('warning: Pictify secrets start with "whsec_"; the prefix is part of the signing key, so keep it');
  const config = await ctx.config();
  config.saveSecret(profileName(ctx), uid, {
    secret,
    event: options.event,
    targetUrl: options.url,
    baseUrl: await currentApi(ctx),
    createdAt: new Date(ctx.now()).toISOString(),
  });
  const profile = profileName(ctx);
  present(
    ctx,
    { uid, secret: maskSecret(secret), path: config.path },
    (d) => `Stored the secret of ${d.uid} (${d.secret}) in profile "${printable(profile)}".`,
    { humanTo: 'stderr' },
  );
}

export async function runRm(ctx: Context, uid: string): Promise<void> {
  await existingProfile(ctx);
  const removed = (await ctx.config()).removeSecret(profileName(ctx), uid);
  if (!removed)
    throw new NotFoundError(`no secret stored for ${uid} in profile "${profileName(ctx)}"`, {
      hint: 'see `pictify-hooks secrets list`',
    });
  present(ctx, { uid, removed: true }, (d) => `Removed the secret of ${d.uid}.`, { humanTo: 'stderr' });
}
