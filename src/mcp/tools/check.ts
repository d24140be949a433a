// check_receiver: `check`'s graded suite (valid deliveries, tampered bodies, wrong secrets, stale and future
// timestamps, malformed headers, rotation, duplicates) against one receiver, with a one-line fix per failure.
import { z } from 'zod';
import { checkReceiver } from '../../conformance/against.js';
import { buildSuite } from '../../conformance/cases.js';
import { EVENT_NAMES } from '../../events/names.js';
import { secretLabel } from '../../signing/secret-source.js';
import { signingSecret } from '../secrets.js';
import { checkSignedTarget, parseToolUrl } from '../target.js';
import { defineTool, secretField, uidField, urlField } from '../tool.js';

export const checkReceiverTool = defineTool({
  name: 'check_receiver',
  title: 'Grade a webhook receiver',
  description:
    'Sends correctly and incorrectly signed deliveries to a receiver and grades each answer: it must accept the ' +
    'valid ones (and duplicates) and refuse tampered, wrongly signed, stale and malformed ones. Returns the grade ' +
    'and a one-line fix per failed case.',
  input: {
    url: urlField.describe('receiver url (http or https)'),
    subscription: uidField.optional(),
    secret: secretField.optional(),
    event: z.enum(EVENT_NAMES).optional().describe('only this event (default: every event)'),
    timeoutSeconds: z.number().min(1).max(30).optional().describe('per request (default 10)'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { host, signal }) {
    const signing = await signingSecret(host, args);
    const url = parseToolUrl(args.url, 'url');
    checkSignedTarget(url, signing, host.allowRemote);
    const events = args.event ? [args.event] : [...EVENT_NAMES];
    const cases = buildSuite({ events, negativeEvent: events[0], secret: signing.secret });
    const { report, answered, firstFailure } = await checkReceiver({
      url,
      cases,
      timeoutMs: (args.timeoutSeconds ?? 10) * 1000,
      now: () => host.now(),
      signal,
    });
    if (answered === 0 && firstFailure && ['refused', 'dns', 'tls'].includes(firstFailure.kind)) {
      throw new Error(`cannot reach ${url.href}: ${firstFailure.message} (no case was graded)`);
    }
    return {
      url: url.href,
      signedWith: secretLabel(signing.source),
      grade: `${report.passed}/${report.total} passed`,
      ok: report.ok,
      durationMs: Math.round(report.durationMs),
      failed: report.results
        .filter((r) => !r.pass)
        .map((r) => ({ case: r.name, expected: r.expected, got: r.got, fix: r.hint ?? null })),
      passed: report.results.filter((r) => r.pass).map((r) => r.name),
    };
  },
});
