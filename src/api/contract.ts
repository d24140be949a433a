// Values of the Pictify REST contract that the client, the emulator and the CLI's choices share.
export const PLATFORMS = ['zapier', 'make', 'n8n', 'pipedream', 'custom'] as const;
export const RENDER_TYPES = ['image', 'gif', 'pdf'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'failed'] as const;

/** The one collection: `GET|POST /webhook-subscriptions`, items at `/webhook-subscriptions/{uid}`. */
export const COLLECTION_PATH = '/webhook-subscriptions';
/** Page size the API uses when `limit` is not given. */
export const DEFAULT_LIMIT = 20;
