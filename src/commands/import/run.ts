// `import`: the live subscriptions as a file, their names recorded in the profile, and the secrets it cannot get.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { MAX_LIMIT } from '../../api/contract.js';
import type { Context } from '../../cli/context.js';
import { FailureError } from '../../cli/errors.js';
import { present, presentNote } from '../../cli/present.js';
import { exportSubscriptions } from '../../declarative/export.js';
import { ManagedState } from '../../declarative/state.js';
import { DEFAULT_FILE } from '../../declarative/types.js';
import { profileName } from '../shared/profile-name.js';
import { count } from '../shared/subscriptions-as-code.js';
import type { ImportOptions } from './flags.js';

export async function run(ctx: Context, options: ImportOptions): Promise<void> {
  const output = options.output ?? DEFAULT_FILE;
  if (output !== '-' && existsSync(output) && !options.force) {
    throw new FailureError(`${output} exists; nothing was written`, {
      hint: 'add --force to overwrite it, or -o another file',
    });
  }
  const api = await ctx.api();
  const state = new ManagedState(await ctx.config(), profileName(ctx));
  const view = state.view();
  const live = (await api.listAllSubscriptions({ limit: MAX_LIMIT })).filter((s) => !view.temporary.has(s.uid));
  const { text, entries } = exportSubscriptions(live, view.managed, view.secretsHeld);
  if (output === '-') ctx.out(text.trimEnd());
  else await writeFile(output, text);
  state.settle(entries, []);

  const missing = entries.filter((e) => !e.secretHeld);
  const result = {
    file: output === '-' ? null : output,
    profile: state.profile,
    subscriptions: entries.map((e) => ({ name: e.name, uid: e.uid, secretHeld: e.secretHeld })),
    unrecoverableSecrets: missing.map((e) => ({ name: e.name, uid: e.uid })),
    resumedByNextApply: entries.filter((e) => e.wasFailed).map((e) => e.name),
  };
  const report = (safe: typeof result) => {
    const lines = [
      `${safe.file ? `Wrote ${safe.file}` : 'Printed the file'} with ${count(safe.subscriptions.length, 'subscription')}; their names are recorded in profile "${safe.profile}".`,
    ];
    const failed = safe.resumedByNextApply;
    if (failed.length)
      lines.push(`Stopped by Pictify (failed), written as active: ${failed.join(', ')}; the next apply resumes them.`);
    if (safe.unrecoverableSecrets.length) {
      lines.push(
        `No secret held for ${count(safe.unrecoverableSecrets.length, 'subscription')} (Pictify shows a secret only when it creates one; it cannot be read back):`,
      );
      for (const m of safe.unrecoverableSecrets) lines.push(`  ${m.name} (${m.uid})`);
      lines.push(
        'If your receiver has the secret, store it: `pictify-hooks secrets set <uid> <secret>`. Otherwise give the ' +
          'subscription a new one: `pictify-hooks delete <uid> --yes`, then `pictify-hooks apply` re-creates it and stores its secret.',
      );
    }
    return lines;
  };
  // With -o -, stdout is the file: the report goes to stderr.
  if (output === '-') presentNote(ctx, result, report);
  else present(ctx, result, report, { humanTo: 'stderr' });
}
