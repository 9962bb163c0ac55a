// Debian's Chromium, headless, driven by playwright-core (no bundled browser),
// on a machine with no internet: every request that is not to 127.0.0.1 is
// blocked and recorded, so a test can assert nothing tried to leave.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

export interface ChromiumSession {
  context: BrowserContext;
  page: Page;
  /** Every request a page tried to send anywhere but 127.0.0.1 (all blocked). */
  outside: string[];
  close(): Promise<void>;
}

export interface ChromiumOptions {
  /** The window's size (a laptop's by default). */
  viewport?: { width: number; height: number };
}

export async function openChromium(options: ChromiumOptions = {}): Promise<ChromiumSession> {
  const profile = await mkdtemp(join(tmpdir(), 'baton-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: options.viewport ?? { width: 1366, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.hostname === '127.0.0.1') return route.continue();
    outside.push(target.href);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    page,
    outside,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
