import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const shared = { testTimeout: 30_000, hookTimeout: 30_000 };
// Probes Redis and PostgreSQL once; names the suites that could not run at the end (test/services-setup.ts).
const globalSetup = ['test/services-setup.ts'];

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    globalSetup,
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.solo.test.ts', '**/node_modules/**'],
          // e2e tests spawn the built CLI and real servers; two cores, so keep parallelism modest.
          maxWorkers: 2,
        },
      },
      {
        // Tests that load the whole machine on purpose (50 processes at once): after everything else, one at a
        // time, so they neither starve other tests into timeouts nor are starved themselves.
        extends: true,
        test: {
          ...shared,
          name: 'solo',
          include: ['test/**/*.solo.test.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
