// Real Chromium for the inspector's browser suite, driven by playwright-core (never a downloaded browser).
// Without a Chromium the suite says so plainly and skips: the one skip the project allows.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.PICTIFY_HOOKS_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_BROWSER = existsSync(CHROMIUM);
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

export const NOT_RUN_MESSAGE =
  `\n*** The browser suite (test/browser) did NOT run: no Chromium at ${CHROMIUM}. ` +
  'Install it with `apt-get install -y chromium` (or set PICTIFY_HOOKS_CHROMIUM). ***\n';

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // A DNS-rebinding attacker's name resolving to this machine: the page must refuse it by its Host.
      '--host-resolver-rules=MAP evil.example 127.0.0.1',
    ],
  });
}
