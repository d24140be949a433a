// The package is ESM; an app written in CommonJS can still `require()` it on every Node we support (>= 20.19
// loads ES modules through require() when they have no top-level await), by the same public names.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = [
  'pictify-hooks',
  ...['express', 'fastify', 'hono', 'next', 'node', 'redis', 'postgres', 'bullmq'].map((a) => `pictify-hooks/${a}`),
];

describe.each(ENTRIES)('require(%s) from CommonJS', (specifier) => {
  it('returns the same exports as import', () => {
    const keys = (how: string) =>
      execFileSync(process.execPath, ['--no-warnings', '-e', how], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      }).trim();
    const required = keys(`console.log(Object.keys(require('${specifier}')).sort().join(','))`);
    const imported = keys(`import('${specifier}').then((m) => console.log(Object.keys(m).sort().join(',')))`);
    expect(required.length).toBeGreaterThan(0);
    expect(required).toBe(imported);
  });
});
