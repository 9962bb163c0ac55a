// The dashboard in headless Chromium against a started Baton: sign in as a role,
// then check what every page must hold (no Content-Security-Policy violation, no
// script error, no request off the machine, no serious axe-core finding), and
// save a screenshot of each page as a test artifact (tests/e2e/.artifacts/dashboard/,
// git-ignored).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import type { Role } from '../../../../src/auth/roles.js';
import { openChromium, type ChromiumOptions, type ChromiumSession } from '../../../support/chromium.js';
import type { TestApp } from '../../../support/test-app.js';

export { HAS_CHROMIUM, CHROMIUM } from '../../../support/chromium.js';

// A browser test walks a real Chromium through several page states, each checked by axe-core: on a CI
// machine running three test files at once that takes well over the e2e default of 30 s. Every file
// importing this harness gets the longer limit (a hang still fails, later), and so does every
// `expect.poll` waiting for what the page shows (1 s by default: a loaded machine's page takes longer).
vi.setConfig({ testTimeout: 120_000, expect: { poll: { timeout: 15_000, interval: 50 } } });

const ARTIFACTS = join(import.meta.dirname, '..', '..', '.artifacts', 'dashboard');

/** A tablet held upright; the default window is a laptop's (1366×900). */
export const TABLET = { width: 820, height: 1180 };

export interface DashboardSession extends ChromiumSession {
  /** Goes to a dashboard path and waits for its page heading and the signed-in header. */
  open(path: string): Promise<void>;
  /** What broke the page's rules so far: CSP violations, uncaught errors, console errors. */
  problems(): Promise<string[]>;
}

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/** Chromium signed in to `baton`'s dashboard with a token of `roles`, through the sign-in link Baton prints. */
export async function openDashboard(baton: TestApp, roles: Role[], options: ChromiumOptions = {}): Promise<DashboardSession> {
  const session = await openChromium(options);
  const { page } = session;
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations!.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const token = await baton.token(...roles);
  // Signed in once the header names who (the `me` query answered: pages offer actions from then on).
  const signedIn = () => page.locator('.who .roles').waitFor();
  await page.goto(`${baton.url}/#token=${encodeURIComponent(token)}`);
  await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
  await signedIn();
  return {
    ...session,
    async open(path) {
      await page.goto(`${baton.url}${path}`);
      await page.locator('main h1').first().waitFor();
      await signedIn();
    },
    async problems() {
      const violations = await page.evaluate(() => window.__cspViolations ?? []);
      return [...violations.map((violation) => `CSP: ${violation}`), ...errors, ...session.outside.map((url) => `left the machine: ${url}`)];
    },
  };
}

/** axe-core over the page as it stands: no serious or critical WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** A full-page screenshot, kept as a test artifact (not committed). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The checks every page of every test ends with. */
export async function expectPageSound(session: DashboardSession, screenshot: string): Promise<void> {
  await expectAccessible(session.page);
  await saveScreenshot(session.page, screenshot);
  expect(await session.problems()).toEqual([]);
}
