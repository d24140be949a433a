// --tunnel-command: any other tool, `{port}` substituted, the URL taken from its output by a pattern.
import { DEFAULT_URL_PATTERN, type ProviderPlan, type TunnelProvider } from './provider.js';

const NAME = 'command';

export function commandPlan(options: {
  command: string;
  port: number;
  urlPattern?: string;
  /** Picks the shell: cmd.exe (ComSpec from `env`) on Windows, /bin/sh elsewhere. */
  platform: string;
  env: Record<string, string | undefined>;
}): ProviderPlan {
  const line = options.command.replaceAll('{port}', String(options.port));
  const pattern = new RegExp(options.urlPattern ?? DEFAULT_URL_PATTERN);
  let found: string | undefined;
  return {
    provider: NAME,
    binary: line,
    shell: true,
    spec:
      options.platform === 'win32'
        ? { file: options.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', line] }
        : { file: '/bin/sh', args: ['-c', line] },
    observe(text) {
      const match = found === undefined ? pattern.exec(text) : null;
      if (match) found = match[1] ?? match[0];
    },
    async probe() {
      return found;
    },
  };
}

export const command = {
  name: NAME,
  install: 'check the command (is its program installed and on PATH?)',
  plan: async ({ port, platform, env, command, urlPattern }) => {
    if (command === undefined) throw new Error('the command provider needs a command');
    return commandPlan({ command, port, urlPattern, platform, env });
  },
} as const satisfies TunnelProvider;
