// --public-url: a tunnel the user runs themselves. Nothing is started, logged or stopped here; its plan is the url.
import type { GivenUrl, TunnelProvider } from './provider.js';

const NAME = 'public-url';

export const publicUrl = {
  name: NAME,
  install: 'check that your tunnel is running and forwards to this listen',
  plan: async ({ url }): Promise<GivenUrl> => {
    if (url === undefined) throw new Error('the public-url provider needs a url');
    return { provider: NAME, publicUrl: url.replace(/\/+$/, '') };
  },
} as const satisfies TunnelProvider;
