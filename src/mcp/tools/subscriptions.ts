// Subscriptions over the REST API (the profile's key, the profile's base url: Pictify or the emulator alike).
// create_subscription keeps the one-time secret in the config, as `create` does, and says so without showing it.
import { z } from 'zod';
import { MAX_LIMIT, PLATFORMS, RENDER_TYPES, SUBSCRIPTION_STATUSES } from '../../api/contract.js';
import { filtersFrom, matchesClientFilters, nextFilters } from '../../api/filters.js';
import type { Subscription } from '../../api/index.js';
import { EVENT_NAMES } from '../../events/names.js';
import { isLoopbackHostname } from '../../inspector/replay.js';
import type { McpHost } from '../host.js';
import { parseToolUrl } from '../target.js';
import { defineTool, uidField, urlField } from '../tool.js';
import { subscriptionView } from '../views.js';

const filterFields = {
  templateId: z.string().max(200).optional().describe('only events of this template'),
  bindingId: z.string().max(200).optional().describe('only events of this binding'),
  type: z.enum(RENDER_TYPES).optional().describe('only renders of this type'),
};

async function storedUids(host: McpHost): Promise<Set<string>> {
  try {
    return new Set(Object.keys((await host.config()).secrets(host.profile)));
  } catch {
    return new Set();
  }
}

async function view(host: McpHost, sub: Subscription) {
  return subscriptionView(sub, (await storedUids(host)).has(sub.uid));
}

/** Plain http off this machine: said, not refused (a test server on the LAN is normal). */
function urlWarnings(url: URL): string[] {
  return url.protocol === 'http:' && !isLoopbackHostname(url.hostname)
    ? [`${url.origin} is plain http: deliveries and their signatures travel unencrypted; use https`]
    : [];
}

export const listSubscriptions = defineTool({
  name: 'list_subscriptions',
  title: 'List webhook subscriptions',
  description:
    'Webhook subscriptions of the account, one page at a time. event/status/platform filter on the server; ' +
    'templateId/bindingId/type/url (a substring of the target url) filter the page returned.',
  input: {
    event: z.enum(EVENT_NAMES).optional(),
    status: z.enum(SUBSCRIPTION_STATUSES).optional(),
    platform: z.enum(PLATFORMS).optional(),
    ...filterFields,
    url: z.string().max(2048).optional().describe('only subscriptions whose target url contains this'),
    page: z.number().int().min(1).max(100_000).optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async run(args, { host }) {
    const api = await host.api();
    const page = await api.listSubscriptions({
      event: args.event,
      status: args.status,
      platform: args.platform,
      page: args.page,
      limit: args.limit,
    });
    const stored = await storedUids(host);
    const subscriptions = page.subscriptions
      .filter((s) => matchesClientFilters(s, args))
      .map((s) => subscriptionView(s, stored.has(s.uid)));
    return { subscriptions, pagination: page.pagination };
  },
});

export const getSubscription = defineTool({
  name: 'get_subscription',
  title: 'Get one webhook subscription',
  description: 'One subscription with its delivery counters, and whether its signing secret is stored locally.',
  input: { uid: uidField },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async run({ uid }, { host }) {
    return view(host, await (await host.api()).getSubscription(uid));
  },
});

export const createSubscription = defineTool({
  name: 'create_subscription',
  title: 'Create a webhook subscription',
  description:
    'Creates a subscription and stores its one-time signing secret in the local config (the secret is never ' +
    'returned: later tools use it by subscription uid). Pictify can only deliver to public urls; the local ' +
    'emulator delivers anywhere.',
  input: {
    event: z.enum(EVENT_NAMES),
    targetUrl: urlField.describe('where deliveries go (http or https)'),
    platform: z.enum(PLATFORMS).optional(),
    ...filterFields,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { host }) {
    const url = parseToolUrl(args.targetUrl, 'targetUrl');
    const api = await host.api();
    const sub = await api.createSubscription({
      event: args.event,
      targetUrl: args.targetUrl,
      platform: args.platform,
      filters: filtersFrom(args),
    });
    const warnings = urlWarnings(url);
    if (!sub.secret) {
      warnings.push('the API returned no secret for this subscription: nothing was stored');
      return { subscription: subscriptionView(sub, false), secretStored: false, warnings };
    }
    const config = await host.config();
    try {
      config.saveSecret(host.profile, sub.uid, {
        secret: sub.secret,
        event: sub.event,
        targetUrl: sub.targetUrl,
        createdAt: sub.createdAt ?? new Date(host.now()).toISOString(),
        ...(host.baseUrl === undefined ? {} : { baseUrl: host.baseUrl }),
      });
    } catch (error) {
      throw new Error(
        `created ${sub.uid}, but its secret could not be stored (${(error as Error).message}); Pictify shows it ` +
          `only once, so nothing can verify its deliveries: delete ${sub.uid} and create it again`,
        { cause: error },
      );
    }
    return { subscription: subscriptionView(sub, true), secretStored: true, storedIn: config.path, warnings };
  },
});

export const updateSubscription = defineTool({
  name: 'update_subscription',
  title: 'Update a webhook subscription',
  description:
    'Changes the target url, the filters ("" removes one, clearFilters all) or the status (active|paused). ' +
    'The stored secret follows a new url.',
  input: {
    uid: uidField,
    targetUrl: urlField.optional(),
    status: z.enum(['active', 'paused']).optional(),
    templateId: z.string().max(200).optional(),
    bindingId: z.string().max(200).optional(),
    type: z.union([z.enum(RENDER_TYPES), z.literal('')]).optional(),
    clearFilters: z.boolean().optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(args, { host }) {
    const touchesFilters = args.clearFilters || filtersFrom(args) !== undefined;
    if (!args.targetUrl && !touchesFilters && !args.status) {
      throw new Error('nothing to update: give targetUrl, templateId, bindingId, type, clearFilters or status');
    }
    const warnings = args.targetUrl ? urlWarnings(parseToolUrl(args.targetUrl, 'targetUrl')) : [];
    const api = await host.api();
    const filters = await nextFilters(
      args,
      async () => (await api.getSubscription(args.uid)).filters as Record<string, string>,
    );
    const sub = await api.updateSubscription(args.uid, { targetUrl: args.targetUrl, filters, status: args.status });
    const config = await host.config();
    const stored = config.secret(host.profile, args.uid);
    if (args.targetUrl && stored) {
      config.saveSecret(host.profile, args.uid, { ...stored, targetUrl: sub.targetUrl ?? args.targetUrl });
    }
    return { subscription: subscriptionView(sub, stored !== undefined), warnings };
  },
});

export const deleteSubscription = defineTool({
  name: 'delete_subscription',
  title: 'Delete a webhook subscription',
  description: 'Deletes the subscription (Pictify stops delivering to it) and forgets its stored secret.',
  input: { uid: uidField },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run({ uid }, { host }) {
    await (await host.api()).deleteSubscription(uid);
    const secretRemoved = (await host.config()).removeSecret(host.profile, uid);
    return { uid, deleted: true, secretRemoved };
  },
});
