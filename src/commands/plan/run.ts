// `plan`: the changes apply would make, and terraform's -detailed-exitcode: 0 none, 2 pending, 1 error.
import type { Context } from '../../cli/context.js';
import { SilentError } from '../../cli/errors.js';
import { present } from '../../cli/present.js';
import { loadFile, planFor, planView, renderPlan, type FileOptions } from '../shared/subscriptions-as-code.js';

export const CHANGES_PENDING = 2;

export async function run(ctx: Context, options: FileOptions): Promise<void> {
  const view = planView(await planFor(ctx, await loadFile(ctx, options), options));
  present(ctx, view, (safe, s) => renderPlan(safe, s));
  if (view.changesPending) throw new SilentError(CHANGES_PENDING);
}
