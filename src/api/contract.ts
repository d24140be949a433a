// Values of the Pictify REST contract that the client, the emulator and the CLI's choices share.
export const PLATFORMS = ['zapier', 'make', 'n8n', 'pipedream', 'custom'] as const;
export const RENDER_TYPES = ['image', 'gif', 'pdf'] as const;
export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'failed'] as const;
