// All emulator state behind one object: subscriptions (with their secrets), delivery jobs, the delivery log
// and idempotency records. In memory, or mirrored to `<dataDir>/emulator-state.json` after every change.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileErrorText } from '../output/file-error.js';
import { loadState, saveState, StateFileError } from './state-file.js';
import {
  emptyState,
  type DeliveryAttempt,
  type DeliveryJob,
  type EmulatorState,
  type IdempotencyRecord,
  type PublicSubscription,
  type StoredSubscription,
} from './types.js';

/** The log keeps the most recent attempts only, so a long-running emulator does not grow without bound. */
export const MAX_LOGGED_ATTEMPTS = 2000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_IDEMPOTENCY_RECORDS = 5000;

export function newSubscriptionUid(): string {
  return `wh_${randomBytes(10).toString('hex')}`;
}

/** 32 random bytes; the whole string, prefix included, is the HMAC key. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

export function toPublic(sub: StoredSubscription): PublicSubscription {
  const { secret: _secret, ...rest } = sub;
  return structuredClone(rest);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export class EmulatorStore {
  private state: EmulatorState;
  private writing: Promise<void> = Promise.resolve();
  private writeError: unknown;

  private constructor(
    state: EmulatorState,
    private readonly dataDir: string | undefined,
  ) {
    this.state = state;
  }

  static async open(dataDir?: string): Promise<EmulatorStore> {
    if (dataDir) {
      try {
        await mkdir(dataDir, { recursive: true });
      } catch (error) {
        throw new StateFileError(`cannot create the data folder ${dataDir}: ${fileErrorText(error)}`, dataDir);
      }
    }
    return new EmulatorStore(dataDir ? await loadState(dataDir) : emptyState(), dataDir);
  }

  get persistent(): boolean {
    return this.dataDir !== undefined;
  }

  /**
   * Queues a write of the current state; resolves once it (and every earlier one) is on disk. Requests await it
   * before answering, so an answered change survives a kill.
   */
  save(): Promise<void> {
    if (!this.dataDir) return Promise.resolve();
    const dir = this.dataDir;
    this.writing = this.writing.then(
      () => saveState(dir, this.state),
      () => saveState(dir, this.state),
    );
    this.writing.catch((error) => (this.writeError = error));
    return this.writing;
  }

  /** Resolves when queued writes are done; never rejects (close must not fail on a full disk). */
  async flush(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  get lastWriteError(): unknown {
    return this.writeError;
  }

  // --- subscriptions -------------------------------------------------------------------------------------------

  subscriptions(): StoredSubscription[] {
    return this.state.subscriptions;
  }

  subscription(uid: string): StoredSubscription | undefined {
    return this.state.subscriptions.find((s) => s.uid === uid);
  }

  addSubscription(sub: StoredSubscription): void {
    this.state.subscriptions.push(sub);
  }

  removeSubscription(uid: string): boolean {
    const before = this.state.subscriptions.length;
    this.state.subscriptions = this.state.subscriptions.filter((s) => s.uid !== uid);
    return this.state.subscriptions.length !== before;
  }

  // --- deliveries ----------------------------------------------------------------------------------------------

  deliveries(): DeliveryJob[] {
    return this.state.deliveries;
  }

  addDelivery(job: DeliveryJob): void {
    this.state.deliveries.push(job);
  }

  /** Finished jobs are only kept while the log may still mention them. */
  pruneDeliveries(): void {
    if (this.state.deliveries.length <= MAX_LOGGED_ATTEMPTS) return;
    const finished = this.state.deliveries.filter((d) => d.state !== 'pending');
    const drop = new Set(
      finished.slice(0, this.state.deliveries.length - MAX_LOGGED_ATTEMPTS).map((d) => d.deliveryId),
    );
    this.state.deliveries = this.state.deliveries.filter((d) => !drop.has(d.deliveryId));
  }

  attempts(): DeliveryAttempt[] {
    return this.state.attempts;
  }

  logAttempt(entry: DeliveryAttempt): void {
    this.state.attempts.push(entry);
    if (this.state.attempts.length > MAX_LOGGED_ATTEMPTS) {
      this.state.attempts.splice(0, this.state.attempts.length - MAX_LOGGED_ATTEMPTS);
    }
  }

  // --- idempotency ---------------------------------------------------------------------------------------------

  idempotencyRecord(scope: string, nowMs: number): IdempotencyRecord | undefined {
    this.state.idempotency = this.state.idempotency.filter((r) => nowMs - r.createdAt < IDEMPOTENCY_TTL_MS);
    return this.state.idempotency.find((r) => r.scope === scope);
  }

  addIdempotencyRecord(record: IdempotencyRecord): void {
    this.state.idempotency.push(record);
    if (this.state.idempotency.length > MAX_IDEMPOTENCY_RECORDS) this.state.idempotency.shift();
  }

  reset(): void {
    this.state = emptyState();
  }
}
