// listen's stdout: one line per delivery, written in batches.
import { jsonText } from '../../text/printable.js';
import type { Style } from '../../output/style.js';
import { recordSummary, type EventRecord } from '../../store/event-store-record.js';
import { describeDelivery, formatDeliveryLine } from '../describe.js';

export interface PrinterOutput {
  stdout: { write(text: string): unknown };
  /** NDJSON (--json) instead of lines. */
  json: boolean;
  style: Style;
}

/**
 * One line per delivery on stdout: coloured on a TTY, plain otherwise, NDJSON with --json. Lines are gathered and
 * written together (at most every few milliseconds) so a burst of deliveries costs a few writes, not one each.
 * The one output not routed through the CLI's present(), on purpose: presentItem writes each line at once (a write to a
 * pipe is synchronous, so a slow `listen --json` reader would slow every delivery), and this is listen's hot path.
 */
const PRINT_INTERVAL_MS = 15;
const PRINT_MAX_PENDING = 64 * 1024;

export function createPrinter(out: PrinterOutput) {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    out.stdout.write(text);
  };
  const { json, style: s } = out;
  return {
    print(record: EventRecord, payload: unknown) {
      if (json) {
        pending += `${jsonText(recordSummary(record, payload))}\n`;
      } else {
        pending += `${formatDeliveryLine(s, describeDelivery(record, payload), record)}\n`;
      }
      if (pending.length >= PRINT_MAX_PENDING) flush();
      else timer ??= setTimeout(flush, PRINT_INTERVAL_MS);
    },
    flush,
  };
}
