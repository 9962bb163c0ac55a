// Signing in to the dashboard at an identity provider: the OpenID Connect code
// flow with PKCE against a real provider on 127.0.0.1 (oidc-provider), in
// Chromium. Baton names the provider and the dashboard's public client at
// /dashboard-config.json, allows the provider's origin in the page's CSP, and
// verifies the access token the provider signs (RS256, `aud` = JWT_AUDIENCE,
// roles in a claim). A refusal at the provider, a state that is not this tab's
// and a code the token endpoint refuses are each said on the sign-in page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { openChromium, type ChromiumOptions, type ChromiumSession } from '../../support/chromium.js';
import { processOneLeadPerCategory } from '../../support/lead-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { CHROMIUM, expectAccessible, HAS_CHROMIUM, saveScreenshot, TABLET } from './support/dashboard-browser.js';
import { BATON_RESOURCE, DASHBOARD_CLIENT_ID, ROLES_CLAIM, startOidcTestProvider, type OidcTestProvider } from './support/oidc-test-provider.js';

let provider: OidcTestProvider;
let baton: TestApp;

beforeAll(async () => {
  provider = await startOidcTestProvider();
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0', ...provider.batonEnv() } });
  await provider.serve(baton.url, { alice: ['manager'], victor: ['viewer'] });
  // Data for the signed-in pages to read (HS256 admin token: JWT_SECRET works beside the provider).
  await processOneLeadPerCategory(baton, 'oidc-sign-in-test');
}, 60_000);
afterAll(async () => {
  await baton?.stop();
  await provider?.stop();
});

describe('the dashboard names its identity provider', () => {
  it('answers /dashboard-config.json with the issuer, the public client and the scopes', async () => {
    const response = await fetch(`${baton.url}/dashboard-config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      oidc: { issuer: provider.issuer, clientId: DASHBOARD_CLIENT_ID, scopes: 'openid profile', resource: BATON_RESOURCE },
    });
  });

  it("lets the pages' scripts reach the provider, and nothing else", async () => {
    const csp = (await fetch(`${baton.url}/sign-in`)).headers.get('content-security-policy')!;
    expect(csp).toContain(`connect-src 'self' ${provider.issuer};`);
    expect(csp).toContain("script-src 'self';");
  });

  it('answers null without DASHBOARD_OIDC_CLIENT_ID, and the CSP names no provider', async () => {
    const plain = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
    try {
      expect(await (await fetch(`${plain.url}/dashboard-config.json`)).json()).toEqual({ oidc: null });
      expect((await fetch(`${plain.url}/`)).headers.get('content-security-policy')).toContain("connect-src 'self';");
    } finally {
      await plain.stop();
    }
  });
});

describe.skipIf(!HAS_CHROMIUM)(`signing in at the provider, in Chromium (needs ${CHROMIUM})`, () => {
  it('signs in with the code flow and PKCE, returns to the page the user was on, with the roles of the claim', async () => {
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await page.goto(`${baton.url}/leads`);
      const button = page.getByRole('button', { name: `Sign in with ${new URL(provider.issuer).host}` });
      await button.waitFor();
      await expectAccessible(page);
      await saveScreenshot(page, 'oidc-sign-in');
      const authorization = page.waitForRequest((request) => request.url().startsWith(`${provider.issuer}/auth?`));
      await button.click();
      const sent = new URL((await authorization).url()).searchParams;
      expect(
        Object.fromEntries(['client_id', 'response_type', 'code_challenge_method', 'redirect_uri', 'resource'].map((name) => [name, sent.get(name)])),
      ).toEqual({
        client_id: DASHBOARD_CLIENT_ID,
        response_type: 'code',
        code_challenge_method: 'S256',
        redirect_uri: `${baton.url}/sign-in`,
        resource: BATON_RESOURCE,
      });
      await logInAtProvider(page, 'alice');

      // Back where the user started, signed in as the provider's account with the claim's roles.
      await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/leads');
      expect(new URL(page.url()).search).toBe('');
      await expect.poll(() => page.locator('.who').textContent()).toContain('alice (manager)');

      // What the dashboard keeps is the provider's access token for Baton, and Baton serves data for it.
      const token = (await page.evaluate(() => localStorage.getItem('baton.token')))!;
      expect(decodeProtectedHeader(token).alg).toBe('RS256');
      expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: BATON_RESOURCE, sub: 'alice', [ROLES_CLAIM]: ['manager'] });
      const totalCount = await page.evaluate(async (bearer) => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify({ query: '{ leads(first: 1) { totalCount } }' }),
        });
        return ((await response.json()) as { data: { leads: { totalCount: number } } }).data.leads.totalCount;
      }, token);
      expect(totalCount).toBeGreaterThanOrEqual(3);
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

      await page.getByRole('link', { name: 'Overview' }).click();
      await page.locator('main h1').first().waitFor();
      await expectAccessible(page);
      await saveScreenshot(page, 'oidc-signed-in');
      expect(await browser.problems()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('says so when the user cancels at the provider (at a tablet width)', async () => {
    const browser = await openBrowser({ viewport: TABLET });
    try {
      const { page } = browser;
      await page.goto(`${baton.url}/sign-in`);
      await page.getByRole('button', { name: /^Sign in with / }).click();
      await page.getByRole('link', { name: '[ Cancel ]' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/refused the sign-in.*End-User aborted interaction/);
      expect(new URL(page.url()).search).toBe('');
      await expectAccessible(page);
      await saveScreenshot(page, 'oidc-sign-in-refused');
      expect(await browser.problems()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('refuses an answer this tab did not ask for, or whose state is not the one it sent', async () => {
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await page.goto(`${baton.url}/sign-in?code=forged&state=forged`);
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not started in this tab/);

      await page.getByRole('button', { name: /^Sign in with / }).click();
      await page.waitForURL(`${provider.issuer}/**`);
      // With the provider's `iss` (RFC 9207: the provider sends it, so an answer without it is refused too).
      await page.goto(`${baton.url}/sign-in?code=forged&state=forged&iss=${encodeURIComponent(provider.issuer)}`);
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/state/i);
      expect(await page.evaluate(() => localStorage.getItem('baton.token'))).toBeNull();
      expect(await browser.problems()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('says what the token endpoint answered when it refuses the code', async () => {
    const browser = await openBrowser();
    try {
      const { page } = browser;
      await page.goto(`${baton.url}/sign-in`);
      const authorization = page.waitForRequest((request) => request.url().startsWith(`${provider.issuer}/auth?`));
      await page.getByRole('button', { name: /^Sign in with / }).click();
      const state = new URL((await authorization).url()).searchParams.get('state')!;
      await page.waitForURL(`${provider.issuer}/**`);
      // The right state, a code the provider never issued: the exchange is refused.
      await page.goto(`${baton.url}/sign-in?code=never-issued&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(provider.issuer)}`);
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/token endpoint refused the code \(invalid_grant/);
      expect(await page.evaluate(() => localStorage.getItem('baton.token'))).toBeNull();
      await expectAccessible(page);
      await saveScreenshot(page, 'oidc-sign-in-code-refused');
      // Chromium's own log line for the refused exchange, the one error this test causes on purpose.
      expect(await browser.problems()).toEqual(['console error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    } finally {
      await browser.close();
    }
  });
});

interface Browser extends ChromiumSession {
  /** CSP violations, uncaught errors and console errors on Baton's pages, and requests off the machine. */
  problems(): Promise<string[]>;
}

/**
 * Chromium, signed out, watching Baton's pages as the dashboard harness does. The provider's
 * own development pages are not Baton's: their console and CSP are not checked, and the web
 * font their stylesheet imports (blocked: no internet) is not counted as Baton's request.
 */
async function openBrowser(options: ChromiumOptions = {}): Promise<Browser> {
  const session = await openChromium(options);
  const { page } = session;
  const errors: string[] = [];
  const onBaton = () => page.url().startsWith(baton.url);
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && onBaton()) errors.push(`console error: ${message.text()}`);
  });
  // Reported to the test as they happen: the page that saw one may be gone by the time the test asks.
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (origin: string, violation: string) => {
    if (origin === new URL(baton.url).origin) violations.push(violation);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation(origin: string, violation: string): void }).reportCspViolation;
      report(location.origin, `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return {
    ...session,
    async problems() {
      const outside = session.outside.filter((url) => !url.startsWith('https://fonts.googleapis.com/'));
      return [...violations.map((violation) => `CSP: ${violation}`), ...errors, ...outside.map((url) => `left the machine: ${url}`)];
    },
  };
}

/** The provider's development login (any login, any password) and consent forms. */
async function logInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL(`${provider.issuer}/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}
