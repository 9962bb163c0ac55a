// The dashboard's frame, served by Baton at `/`: every page path answers the app
// under a strict Content-Security-Policy, hashed assets are cached for a year,
// and in Chromium a user signs in (the printed link, or a pasted token), moves
// around by keyboard, and signs out; a token Baton refuses is said so plainly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES } from '../../../dashboard/src/routes.js';
import { DASHBOARD_PAGES } from '../../../src/dashboard/dashboard-pages.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { CHROMIUM, expectPageSound, HAS_CHROMIUM, openDashboard, TABLET } from './support/dashboard-browser.js';
import { openChromium } from '../../support/chromium.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(async () => {
  await baton?.stop();
});

describe('the dashboard over HTTP', () => {
  it('serves every page path the dashboard routes, and only those', () => {
    const clientPaths = Object.values(PAGES).map((path) => path.replace(/:(\w+)/g, '{$1}'));
    expect([...DASHBOARD_PAGES].sort()).toEqual(clientPaths.sort());
  });

  it('answers a page with the app, a strict CSP and no caching without revalidation', async () => {
    const response = await fetch(`${baton.url}/leads/some-lead`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe');
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    // Revalidation: the same page again with its ETag is a 304 with no body.
    const again = await fetch(`${baton.url}/`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('caches hashed assets for a year, gzipped when asked', async () => {
    const html = await (await fetch(`${baton.url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const response = await fetch(`${baton.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect((await fetch(`${baton.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${baton.url}/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('keeps the API on its own paths', async () => {
    expect((await fetch(`${baton.url}/graphql`, { headers: { accept: 'text/html' } })).headers.get('content-security-policy')).toBeNull();
    expect((await fetch(`${baton.url}/api/v1/leads`)).status).not.toBe(200);
  });
});

describe.skipIf(!HAS_CHROMIUM)(`signing in, in Chromium (needs ${CHROMIUM})`, () => {
  it('signs in with the link Baton prints, moves by keyboard, and signs out', async () => {
    const dashboard = await openDashboard(baton, ['admin']);
    try {
      const { page } = dashboard;
      // The token left the address bar once kept.
      expect(page.url()).toBe(`${baton.url}/`);
      await expect.poll(() => page.getByText('test-admin', { exact: false }).count()).toBeGreaterThan(0);
      // Keyboard: the skip link first, then the navigation.
      await page.keyboard.press('Tab');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.getByRole('link', { name: 'Leads' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/leads');
      await expect.poll(() => page.getByRole('link', { name: 'Leads' }).getAttribute('aria-current')).toBe('page');
      await expectPageSound(dashboard, 'frame-laptop');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
      expect(await page.evaluate(() => localStorage.getItem('baton.token'))).toBeNull();
    } finally {
      await dashboard.close();
    }
  });

  it('signs in with a pasted token on the sign-in page, at a tablet width', async () => {
    const browser = await openChromium({ viewport: TABLET });
    try {
      const { page } = browser;
      await page.goto(`${baton.url}/sign-in`);
      await page.getByLabel('Bearer token').fill(await baton.token('viewer'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
      expect(browser.outside).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('says plainly when Baton refuses the token', async () => {
    const browser = await openChromium();
    try {
      const { page } = browser;
      await page.goto(`${baton.url}/sign-in`);
      await page.getByLabel('Bearer token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/token/i);
    } finally {
      await browser.close();
    }
  });
});
