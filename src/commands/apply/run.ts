// `apply`: plan under the apply lock (a second apply waits, then finds nothing to do), confirm, then change Pictify
// one step at a time through the engine (src/declarative/apply.ts), saying each step on stderr.
import { randomUUID } from 'node:crypto';
import type { Context } from '../../cli/context.js';
import { FailureError, SilentError, UsageError } from '../../cli/errors.js';
import { present, presentNote, wantsJson } from '../../cli/present.js';
import { applyPlan, ApplyStopped, SecretNotSaved, type AppliedChange } from '../../declarative/apply.js';
import { withApplyLock } from '../../declarative/apply-lock.js';
import { secretEnvName } from '../../declarative/names.js';
import { writeSecretEnv } from '../../declarative/secret-env.js';
import { printable, printableDeep } from '../../text/printable.js';
import { createStyle } from '../../output/style.js';
import { errStyle } from '../shared/styles.js';
import { count, loadFile, planFor, planView, renderPlan } from '../shared/subscriptions-as-code.js';
import type { ApplyOptions } from './flags.js';

export async function run(ctx: Context, options: ApplyOptions): Promise<void> {
  const file = await loadFile(ctx, options);
  const config = await ctx.config();
  await withApplyLock(config.path, () => applyLocked(ctx, options, file), {
    onWait: (pid) => ctx.err(`waiting for another apply${pid === undefined ? '' : ` (pid ${pid})`} to finish…`),
  });
}

async function applyLocked(ctx: Context, options: ApplyOptions, file: Awaited<ReturnType<typeof loadFile>>) {
  const planned = await planFor(ctx, file, options);
  const view = planView(planned);
  const { plan } = planned;
  if (!wantsJson(ctx)) {
    const lines = renderPlan(printableDeep(view), createStyle(ctx.color));
    ctx.out(lines.join('\n'));
  }
  if (plan.changes.length > 0 && !options.yes) {
    if (!ctx.io.stdinIsTTY || !ctx.io.stderrIsTTY) {
      throw new UsageError(`refusing to apply ${count(plan.changes.length, 'change')} without confirmation`, {
        hint: 'add --yes',
      });
    }
    if (!(await ctx.confirm(`Apply ${count(plan.changes.length, 'change')} to Pictify (profile "${file.profile}")?`))) {
      ctx.err('Nothing applied.');
      throw new SilentError();
    }
  }

  const secrets: Record<string, string> = {};
  const applied: AppliedChange[] = [];
  try {
    await applyPlan(plan, {
      api: planned.api,
      state: planned.state,
      now: () => ctx.now(),
      newIdempotencyKey: randomUUID,
      onCreated: async (name, sub) => {
        if (!options.secretEnv || !sub.secret) return;
        secrets[name] = sub.secret;
        await writeSecretEnv(options.secretEnv, { [name]: sub.secret });
      },
      onApplied: (done) => {
        applied.push(done);
        presentNote(ctx, stepView(done), (v) => `  done: ${v.action} ${v.name ?? ''} ${v.uid ?? ''}`.trimEnd());
      },
    });
  } catch (error) {
    if (!(error instanceof ApplyStopped)) throw error;
    if (error.cause instanceof SecretNotSaved) showUnsavedSecret(ctx, error.cause);
    const failed = error.failed;
    const what = `${failed.action} ${'name' in failed && failed.name ? failed.name : ''}`.trim();
    throw new FailureError(
      `apply stopped at ${what} (${applied.length} of ${count(plan.changes.length, 'change')} done): ${error.message}`,
      {
        cause: error.cause,
        hint: 'everything done so far is recorded in the profile; run apply again to finish (an unanswered create is resent with the same Idempotency-Key)',
      },
    );
  }
  const result = {
    ...view,
    applied: applied.map(stepView),
    secretsStoredIn: applied.some((a) => a.created) ? planned.state.configPath : null,
    secretEnv: options.secretEnv
      ? { file: options.secretEnv, variables: Object.keys(secrets).map(secretEnvName) }
      : null,
  };
  present(
    ctx,
    result,
    (safe) => {
      if (safe.applied.length === 0)
        return plan.adoptions.length > 0 ? `Recorded ${count(plan.adoptions.length, 'adopted name')}.` : undefined;
      const lines = [`Applied ${count(safe.applied.length, 'change')}.`];
      const made = safe.applied.filter((a) => a.newSecret);
      if (made.length > 0) {
        lines.push(
          `New secrets are saved in ${safe.secretsStoredIn} (profile "${safe.profile}"): \`pictify-hooks secrets show <uid> --reveal\` prints one.`,
        );
        for (const a of made) lines.push(`  ${a.name}: ${a.uid}`);
      }
      if (safe.secretEnv)
        lines.push(`Wrote ${safe.secretEnv.variables.join(', ') || 'nothing'} to ${safe.secretEnv.file}.`);
      return lines;
    },
    { humanTo: 'stdout' },
  );
}

/** As `create` does: a secret that could not be stored is printed once, loudly, rather than lost. */
function showUnsavedSecret(ctx: Context, lost: SecretNotSaved): void {
  const { uid, secret } = lost.subscription;
  if (!secret) return;
  present(
    ctx,
    { name: lost.subscriptionName, uid, secret },
    (safe) => `${safe.name} ${safe.uid} secret ${safe.secret}`,
  );
  ctx.err(
    errStyle(ctx).red.bold(
      `WARNING: the secret above could NOT be saved (${printable((lost.cause as Error)?.message ?? String(lost.cause))}). Copy it now: Pictify will not show it again.`,
    ),
  );
}

function stepView(done: AppliedChange): { action: string; name?: string; uid?: string; newSecret: boolean } {
  const c = done.change;
  return {
    action: c.action,
    ...('name' in c && c.name !== undefined && { name: c.name }),
    uid: done.created?.uid ?? ('uid' in c ? c.uid : undefined),
    newSecret: Boolean(done.created),
  };
}
