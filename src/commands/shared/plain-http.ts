// The one warning for a plain-http url that leaves this machine (create, update, listen --public-url, send): it
// is a warning, not a refusal, since a test server on the LAN is a normal thing to point at.
import type { Context } from '../../cli/context.js';
import { isLoopbackHost } from '../../cli/flags.js';
import { errStyle } from './styles.js';

/** `what`: what would travel unencrypted, as the subject of "travel(s)". */
export function warnIfPlainHttp(ctx: Context, url: URL, what = 'deliveries and their signatures travel'): void {
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    ctx.err(errStyle(ctx).yellow(`warning: ${url.origin} is plain http: ${what} unencrypted; use https`));
  }
}
