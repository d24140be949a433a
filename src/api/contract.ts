// Values of the Pictify REST contract that the client, the emulator and the CLI's choices share.
export const PLATFORMS = ['zapier', 'make', 'n8n', 'pipedream', 'custom'] as const;
export const RENDER_TYPES = ['image', 'gif', 'pdf'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'failed'] as const;

/** The one collection: `GET|POST /webhook-subscriptions`, items at `/webhook-subscriptions/{uid}`. */
export const COLLECTION_PATH = '/webhook-subscriptions';
/** Page size the API uses when `limit` is not given. */
export const DEFAULT_LIMIT = 20;
/** The largest page: the emulator caps `limit` here, `list --limit` refuses more, `list --all` asks for it. */
export const MAX_LIMIT = 100;
/** How long Pictify waits for a receiver's 2xx: send, replay and the emulator wait as long. */
export const ANSWER_WINDOW_MS = 30_000;
