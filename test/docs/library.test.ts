// The library page's examples run (docs/library.md): each app is written out as the reader would save it, started
// with the built package installed by name and its framework beside it, then `pictify-hooks send --all` (the built bin)
// delivers every event to it — all six must be answered 2xx, and the app's handlers must have seen them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractBlocks, type Block } from './blocks.js';
import { REPO, runSteps, type ScriptRun } from './run-script.js';
import { unusedPort } from '../helpers/ports.js';

const library = extractBlocks(readFileSync(join(REPO, 'docs', 'library.md'), 'utf8')).filter(
  (b) => b.lang === 'js' || b.lang === 'ts',
);
const SECRET = 'whsec_docs_library_secret';

/** Next.js serves a route module's POST at its path; a web server on Node stands in for it here. */
const NEXT_SERVER = (port: number) => `import { serve } from '@hono/node-server';
import { POST } from './route.mjs';
serve({
  port: ${port},
  fetch: (request) => (new URL(request.url).pathname === '/webhooks/pictify' && request.method === 'POST'
    ? POST(request) : new Response(null, { status: 404 })),
});
`;

function report(run: ScriptRun): string {
  const log = (() => {
    try {
      return readFileSync(join(run.dir, 'work', 'app.log'), 'utf8');
    } catch {
      return '(no app.log)';
    }
  })();
  const steps = run.results.map((r) => `--- ${r.name}: exit ${r.code}${r.timedOut ? ' TIMED OUT' : ''}\n${r.output}`);
  return `${steps.join('\n')}\n--- app.log\n${log}`;
}

/** Writes the app (and, for Next, the stand-in server), starts it, sends every event, stops it. */
async function deliverTo(files: Record<string, string>, port: number): Promise<ScriptRun> {
  const write = Object.entries(files)
    .map(([name, code]) => `cat > ${name} <<'__APP__'\n${code}__APP__\n`)
    .join('');
  return runSteps(
    [
      // The docs shim installs this checkout and the framework versions it is tested with, without the registry.
      { name: 'npm i', code: 'npm i -D pictify-hooks\nnpm i express fastify hono @hono/node-server\n' },
      { name: 'save the example', code: write },
      {
        name: 'run it and send every event',
        env: { PICTIFY_WEBHOOK_SECRET: SECRET },
        raw: true,
        code: `node app.mjs > app.log 2>&1 & app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && break; sleep 0.1; done
pictify-hooks send --all --url http://127.0.0.1:${port}/webhooks/pictify
`,
      },
    ],
    { timeoutMs: 100_000 },
  );
}

function atPort(code: string, port: number): string {
  return code.replace(/\b4000\b/g, String(port));
}

function title(block: Block): string {
  const first = block.code.split('\n').find((l) => l.includes("from 'pictify-hooks"));
  return `docs/library.md line ${block.line}: ${first?.trim() ?? block.code.split('\n')[0]}`;
}

describe('docs/library.md examples', () => {
  it('has one example per framework, and the seed example with only its import changed', () => {
    const imports = library.map((b) => /from '(pictify-hooks[^']*)'/.exec(b.code)?.[1]).filter(Boolean);
    for (const entry of ['/node', '/express', '/fastify', '/hono', '/next'])
      expect(imports, entry).toContain(`pictify-hooks${entry}`);
    const seed = library.find((b) => b.code.startsWith('// Express.js'));
    expect(seed?.code).toContain("import { verifyWebhookSignature, type WebhookEvent } from 'pictify-hooks';");
    expect(seed?.code).toContain('const isValid = verifyWebhookSignature(\n      req.body.toString(),');
  });

  const apps = library.filter((b) => b.lang === 'js');
  for (const block of apps) {
    it(`${title(block)} verifies all six events from send --all`, { timeout: 120_000 }, async () => {
      const port = await unusedPort();
      const isRoute = /export const POST/.test(block.code);
      const files: Record<string, string> = isRoute
        ? { 'route.mjs': block.code, 'app.mjs': NEXT_SERVER(port) }
        : { 'app.mjs': atPort(block.code, port) };
      const run = await deliverTo(files, port);
      const text = report(run);
      expect(
        run.results.map((r) => r.code),
        text,
      ).toEqual([0, 0, 0]);
      // send's result lines read `✓ 200  render.completed  2.8 ms  del_…`: the status is the field after the mark.
      expect(run.results[2].output, text).not.toMatch(/^\S+ [45]\d\d\s/m);
      expect(run.leftovers, text).toEqual([]);
      // The handlers ran: the app printed something for the events it listens to.
      expect(readFileSync(join(run.dir, 'work', 'app.log'), 'utf8').trim(), text).not.toBe('');
    });
  }

  it(
    "the seed's Express example (TypeScript, types stripped as tsc would) verifies all six events",
    {
      timeout: 120_000,
    },
    async () => {
      const seedAt = library.findIndex((b) => b.code.startsWith('// Express.js'));
      const [seed, handlers] = [library[seedAt], library[seedAt + 1]];
      expect(handlers.lang).toBe('ts');
      const port = await unusedPort();
      const js = ts.transpileModule(atPort(`${seed.code}\n${handlers.code}`, port), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      }).outputText;
      const run = await deliverTo({ 'app.mjs': js }, port);
      const text = report(run);
      expect(
        run.results.map((r) => r.code),
        text,
      ).toEqual([0, 0, 0]);
      const log = readFileSync(join(run.dir, 'work', 'app.log'), 'utf8');
      expect(log, text).toMatch(/rendered https:\/\//);
      expect(log, text).toMatch(/batch \S+/);
    },
  );
});
