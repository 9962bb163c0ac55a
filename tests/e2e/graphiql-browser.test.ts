// GraphiQL in a real browser (Debian's chromium, driven by playwright-core) with
// every request that is not to 127.0.0.1 blocked and recorded, as on a machine
// with no internet: it renders, opens on the ProcessLead example, runs it, and
// keeps one Authorization header for every tab and across reloads.
// A screenshot of each run lands in tests/e2e/.artifacts/ (git-ignored).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, HAS_CHROMIUM, openChromium, type ChromiumSession } from '../support/chromium.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

const ARTIFACTS = join(import.meta.dirname, '.artifacts');
if (!HAS_CHROMIUM) console.warn(`Skipping the GraphiQL browser tests: ${CHROMIUM} is missing (apt-get install chromium).`);

type Browser = ChromiumSession;

async function openGraphiQL(url: string): Promise<Browser> {
  const browser = await openChromium();
  // Pasting is how a user puts a token in (typing JSON into Monaco auto-closes quotes and braces).
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  await browser.page.goto(`${url}/graphql`);
  await waitForGraphiQL(browser.page);
  return browser;
}

/** Rendered, with its editors ready. */
async function waitForGraphiQL(page: Page): Promise<void> {
  await page.locator('.graphiql-execute-button').waitFor();
  await page.locator('.monaco-editor[data-uri$="request-headers.json"]').waitFor({ state: 'attached' });
}

/** An editor's text, exactly (its model: the DOM shows only what fits). */
function editorText(page: Page, editor: 'operation.graphql' | 'variables.json' | 'request-headers.json'): Promise<string> {
  return page.evaluate((suffix) => {
    const monaco = (globalThis as { __MONACO?: { editor: { getModels(): { uri: { path: string }; getValue(): string }[] } } }).__MONACO;
    const model = monaco?.editor.getModels().find((candidate) => candidate.uri.path.endsWith(suffix));
    if (!model) throw new Error(`no ${suffix} editor`);
    return model.getValue();
  }, editor);
}

function activeTab(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the title as shown; textContent adds the tab's hidden icon labels.
  return page.locator('.graphiql-tab-active').innerText();
}

async function authorizationShown(page: Page): Promise<string> {
  return (JSON.parse(await editorText(page, 'request-headers.json')) as { Authorization: string }).Authorization;
}

/** Clicks Run; resolves with the Authorization header sent and the answer. */
async function run(page: Page): Promise<{ authorization: string | undefined; status: number; body: { data?: Record<string, unknown>; errors?: unknown[] } }> {
  const answered = page.waitForResponse((response) => {
    const request = response.request();
    return request.method() === 'POST' && new URL(request.url()).pathname === '/graphql' && !request.postData()?.includes('IntrospectionQuery');
  });
  await page.locator('.graphiql-execute-button').click();
  const response = await answered;
  return { authorization: response.request().headers().authorization, status: response.status(), body: await response.json() };
}

/**
 * Tabs sit in a drag-to-reorder list whose pointer handling swallows a synthetic
 * mouse click in headless Chromium; the click event itself is what GraphiQL handles.
 * GraphiQL reads which operation to run from the query a moment after it changes;
 * it has when Yoga's GraphiQL mirrors the query into the page's URL (`?query=`).
 */
async function switchTo(page: Page, title: string): Promise<void> {
  await page.locator(`.graphiql-tab-button[title="${title}"]`).dispatchEvent('click');
  await expect.poll(() => activeTab(page)).toBe(title);
  const query = await editorText(page, 'operation.graphql');
  await expect.poll(() => new URL(page.url()).searchParams.get('query')).toBe(query);
}

/**
 * Reloads once GraphiQL has saved what it shows: it saves tabs and editors half a
 * second after they change, and a reload before that restores an older state.
 */
async function reload(page: Page): Promise<void> {
  const query = await editorText(page, 'operation.graphql');
  const variables = await editorText(page, 'variables.json');
  const saved = () =>
    page.evaluate(() => {
      const state = JSON.parse(localStorage.getItem('graphiql:tabState') ?? 'null') as {
        activeTabIndex: number;
        tabs: { query: string | null; variables: string | null }[];
      } | null;
      const tab = state?.tabs[state.activeTabIndex];
      return [tab?.query, tab?.variables ?? '', localStorage.getItem('graphiql:variables') ?? ''];
    });
  await expect.poll(saved).toEqual([query, variables, variables]);
  await page.reload();
  await waitForGraphiQL(page);
}

/** Pastes into the headers editor, replacing what it held. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator('.monaco-editor[data-uri$="request-headers.json"]').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await expect.poll(() => editorText(page, 'request-headers.json')).toBe(text);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

describe.skipIf(!HAS_CHROMIUM)(`GraphiQL in Chromium, offline (needs ${CHROMIUM})`, () => {
  describe('when Baton generated its secret (development)', () => {
    let baton: TestApp;
    let dataDir: string | undefined;

    beforeAll(async () => {
      const database = await createTestDatabase();
      // With PostgreSQL, DATA_DIR holds only the generated secret: a temporary one, not ./.data.
      dataDir = database.env.DATA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'baton-secret-'));
      baton = await startTestApp({ database, env: { JWT_SECRET: undefined, ...(dataDir ? { DATA_DIR: dataDir } : {}) } });
    });
    afterAll(async () => {
      await baton?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('opens on ProcessLead with the printed admin token, runs it, shares the header with every tab and keeps it on reload', async () => {
      const token = baton.app.developmentToken;
      expect(token).toMatch(/^ey/);
      const browser = await openGraphiQL(baton.url);
      try {
        const { page } = browser;
        await expect.poll(() => activeTab(page)).toBe('ProcessLead');
        expect(await editorText(page, 'operation.graphql')).toContain('mutation ProcessLead($input: LeadInput!)');
        expect(JSON.parse(await editorText(page, 'variables.json'))).toMatchObject({ input: { leadId: 'lead-001' } });
        expect(await authorizationShown(page)).toBe(`Bearer ${token}`);

        const processed = await run(page);
        expect(processed).toMatchObject({ authorization: `Bearer ${token}`, status: 200, body: { data: { processLead: { success: true } } } });
        // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the response as shown, without the DOM's hidden text.
        await expect.poll(() => page.locator('.graphiql-response').innerText()).toMatch(/"success":\s+true/);
        await screenshot(page, 'graphiql-development');

        await switchTo(page, 'Lead');
        await expect.poll(() => authorizationShown(page)).toBe(`Bearer ${token}`);
        expect(await run(page)).toMatchObject({ authorization: `Bearer ${token}`, status: 200, body: { data: { lead: { id: 'lead-001' } } } });

        const tabs = await page.locator('.graphiql-tab').count();
        await reload(page);
        await expect.poll(() => activeTab(page)).toBe('Lead');
        expect(await page.locator('.graphiql-tab').count()).toBe(tabs);
        expect(await authorizationShown(page)).toBe(`Bearer ${token}`);
        expect((await run(page)).status).toBe(200);

        expect(browser.outside).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 90_000);
  });

  describe('when JWT_SECRET is set', () => {
    let baton: TestApp;
    beforeAll(async () => {
      baton = await startTestApp();
    });
    afterAll(() => baton?.stop());

    it('offers no token; one pasted into a tab serves every tab, new ones too, and survives a reload', async () => {
      expect(baton.app.developmentToken).toBeUndefined();
      const html = await (await fetch(`${baton.url}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(html).toContain('<paste a token: npm run --silent token>');
      expect(html).not.toMatch(/Bearer ey[\w-]+\.[\w-]+\./);

      const browser = await openGraphiQL(baton.url);
      try {
        const { page } = browser;
        expect(await authorizationShown(page)).toBe('Bearer <paste a token: npm run --silent token>');
        expect(await run(page)).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });

        const token = await baton.token('operator');
        await paste(page, JSON.stringify({ Authorization: `Bearer ${token}` }));
        expect(await authorizationShown(page)).toBe(`Bearer ${token}`);
        expect(await run(page)).toMatchObject({ authorization: `Bearer ${token}`, status: 200, body: { data: { processLead: { success: true } } } });

        await switchTo(page, 'Memory');
        await expect.poll(() => authorizationShown(page)).toBe(`Bearer ${token}`);
        expect(await run(page)).toMatchObject({ authorization: `Bearer ${token}`, status: 200 });

        await page.locator('.graphiql-tab-add').click();
        await expect.poll(() => activeTab(page)).toBe('<untitled>');
        await expect.poll(() => authorizationShown(page)).toBe(`Bearer ${token}`);

        const tabs = await page.locator('.graphiql-tab').count();
        await reload(page);
        await expect.poll(() => activeTab(page)).toBe('<untitled>');
        expect(await page.locator('.graphiql-tab').count()).toBe(tabs);
        expect(await authorizationShown(page)).toBe(`Bearer ${token}`);
        await switchTo(page, 'ProcessLead');
        await expect.poll(() => authorizationShown(page)).toBe(`Bearer ${token}`);
        expect(await run(page)).toMatchObject({ authorization: `Bearer ${token}`, status: 200 });
        await screenshot(page, 'graphiql-jwt-secret');

        expect(browser.outside).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 90_000);
  });
});
