// Opens the inspector over an event store: reads what is stored, serves the page, and (for `inspect`) follows the
// file so a listen running elsewhere still shows up live. `listen --ui` publishes its deliveries directly instead.
import { stat } from 'node:fs/promises';
import { readEventStore, skippedWarning } from '../store/event-store-read.js';
import { DeliveryIndex } from './delivery-index.js';
import { startInspector, type InspectorOptions, type RunningInspector } from './server.js';
import { tailStore } from './tail.js';

export type { RunningInspector } from './server.js';

export interface OpenInspectorOptions extends Omit<InspectorOptions, 'index'> {
  /** Follow the store file for appends by another process (inspect). */
  follow?: boolean;
}

export interface OpenedInspector extends RunningInspector {
  /** A line about unreadable store lines, when there were some. */
  warning?: string;
}

export async function openInspector(options: OpenInspectorOptions): Promise<OpenedInspector> {
  const index = new DeliveryIndex();
  let warning: string | undefined;
  let size = 0;
  if (options.storePath !== null) {
    // Size first: whatever is appended while reading is read again by the tail and dropped as a repeat.
    size = await stat(options.storePath).then(
      (s) => s.size,
      () => 0,
    );
    const contents = await readEventStore(options.storePath);
    for (const record of contents.records) index.add(record);
    warning = skippedWarning(contents);
  }
  const inspector = await startInspector({ ...options, index });
  void index.prepareSearch();
  const tail =
    options.follow && options.storePath !== null
      ? tailStore(options.storePath, size, (record) => inspector.publish(record))
      : undefined;
  return {
    ...inspector,
    warning,
    close: async () => {
      tail?.stop();
      await inspector.close();
    },
  };
}
