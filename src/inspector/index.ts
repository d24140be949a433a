// Opens the inspector over an event store: serves the page at once, indexes what is stored in the background (the
// newest page once its lines are found, filters once their facts are read), and (for `inspect`) follows the file
// so a listen running elsewhere still shows up live. `listen --ui` publishes its deliveries directly instead.
import { skippedWarning } from '../store/event-store-read.js';
import { openStoreFiles } from '../store/line-chunks.js';
import { DeliveryIndex } from './delivery-index.js';
import { startInspector, type InspectorOptions, type RunningInspector } from './server.js';
import { tailStore } from './tail.js';

export type { RunningInspector } from './server.js';

export interface OpenInspectorOptions extends Omit<InspectorOptions, 'index'> {
  /** Follow the store file for appends by another process (inspect). */
  follow?: boolean;
}

export interface OpenedInspector extends RunningInspector {
  /** Settles when the store is indexed: with a line about unreadable store lines, when there were some. */
  indexed: Promise<string | undefined>;
}

export async function openInspector(options: OpenInspectorOptions): Promise<OpenedInspector> {
  const index = new DeliveryIndex();
  // Sizes first, with the files open: what is appended after them is the tail's to read (a repeat is dropped by id).
  const files = options.storePath === null ? [] : await openStoreFiles(options.storePath);
  const sized = await Promise.all(files.map(async (f) => ({ ...f, size: (await f.handle.stat()).size })));
  const current = sized.find((f) => f.path === options.storePath);
  // Started before the server: the first page waits only for the lines pass.
  const facts = index.index(sized);
  let inspector: RunningInspector;
  try {
    inspector = await startInspector({ ...options, index });
  } catch (error) {
    await facts.catch(() => undefined);
    await index.close();
    throw error;
  }
  const indexed = facts.then(
    () => skippedWarning(index),
    (error: unknown) => `warning: the event store could not be read whole: ${(error as Error).message}`,
  );
  const tail =
    options.follow && options.storePath !== null
      ? tailStore(options.storePath, current?.size ?? 0, (record) => inspector.publish(record))
      : undefined;
  return {
    ...inspector,
    indexed,
    close: async () => {
      tail?.stop();
      await inspector.close();
      await facts.catch(() => undefined);
      await index.close();
    },
  };
}
