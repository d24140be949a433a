// docs/mcp.md's client configurations work as written: every JSON block parses, names a server the way its client
// reads it (mcpServers, or VS Code's servers), and that server, started from its command, args and env with the
// built bin standing in for the package, answers `initialize` and lists the tools.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { startMcp } from '../helpers/mcp-client.js';
import { extractBlocks } from './blocks.js';

const DOC = fileURLToPath(new URL('../../docs/mcp.md', import.meta.url));
const blocks = extractBlocks(readFileSync(DOC, 'utf8')).filter((b) => b.lang === 'json');
const home = mkdtempSync(join(tmpdir(), 'pictify-mcp-docs-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface ServerEntry {
  type?: string;
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

/** `npx -y pictify-hooks …` and `pictify-hooks …` run this checkout's built bin, never the registry. */
function localCommand(entry: ServerEntry): string[] {
  const args = entry.args ?? [];
  if (entry.command === 'pictify-hooks') return [BIN, ...args];
  const at = args.indexOf('pictify-hooks');
  if (entry.command === 'npx' && at >= 0 && args.slice(0, at).every((a) => a === '-y')) {
    return [BIN, ...args.slice(at + 1)];
  }
  throw new Error(`a command this test cannot run offline: ${entry.command} ${args.join(' ')}`);
}

describe('docs/mcp.md', () => {
  it('has a configuration block for each client it names', () => {
    expect(blocks.map((b) => b.subsection)).toEqual([
      'Claude Code',
      'Claude Desktop',
      'Cursor',
      'VS Code',
      'Against the emulator',
    ]);
  });

  for (const block of blocks) {
    it(`${block.subsection} (line ${block.line}): parses, starts and answers initialize`, async () => {
      const config = JSON.parse(block.code) as {
        mcpServers?: Record<string, ServerEntry>;
        servers?: typeof config.mcpServers;
      };
      const servers = Object.entries(config.mcpServers ?? config.servers ?? {});
      expect(servers.length, 'a server entry').toBeGreaterThan(0);
      for (const [name, entry] of servers) {
        expect(name).toMatch(/^pictify-hooks/);
        if (entry.type !== undefined) expect(entry.type).toBe('stdio');
        const [bin, ...args] = localCommand(entry);
        const session = await startMcp(
          { HOME: home, PICTIFY_HOOKS_CONFIG_DIR: join(home, 'config'), ...entry.env },
          { args: [bin, ...args] },
        );
        try {
          expect(session.client.getServerVersion()?.name).toBe('pictify-hooks');
          expect((await session.client.listTools()).tools).toHaveLength(14);
        } finally {
          await session.close();
        }
      }
    });
  }
});
