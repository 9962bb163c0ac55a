// `npm run bench:dashboard`: the dashboard as a newcomer gets it. Builds it,
// starts `node dist/main.js` on a fresh embedded database (as `npm start` does),
// signs in with the link Baton prints, sends a few leads, then measures in
// headless Chromium (Debian's) each page's time to first render: from navigation
// start until its heading is shown and nothing on it is still loading, cold (a
// new browser profile, nothing cached) and warm (assets cached, revalidated).
// Also the bundle: what the first page loads and what every page adds, raw and
// gzipped (Baton serves gzip). Reports; never fails on a figure.
//
// Environment: BENCH_LOADS (loads per page and cache state, default 5).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openChromium } from '../tests/support/chromium.js';
import { markdownTable, percentile, writeResults } from './latency.js';
import { machineInfo } from './report.js';
import { REPO_ROOT } from './targets.js';

const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const BUILD = join(REPO_ROOT, 'dist', 'dashboard-app');

interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

async function bundle(): Promise<{ initial: BundleFile[]; chunks: BundleFile[] }> {
  const html = await readFile(join(BUILD, 'index.html'), 'utf8');
  const initialNames = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]!));
  const files: BundleFile[] = [];
  for (const name of await readdir(join(BUILD, 'assets'))) {
    if (name.endsWith('.map')) continue;
    const body = await readFile(join(BUILD, 'assets', name));
    files.push({ file: `assets/${name}`, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  return { initial: files.filter((file) => initialNames.has(file.file)), chunks: files.filter((file) => !initialNames.has(file.file)) };
}

/** `node dist/main.js` on a fresh DATA_DIR; resolves with the sign-in link it prints. */
async function startBaton(dataDir: string): Promise<{ link: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'development', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const link = await new Promise<string>((resolve, reject) => {
    let printed = '';
    child.stderr.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /(http:\/\/\S+\/#token=\S+)/.exec(printed);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`Baton exited (${code}) before printing its link:\n${printed}`)));
  });
  return {
    link,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function sendLeads(origin: string, token: string, count: number): Promise<string> {
  let last = '';
  for (let i = 0; i < count; i++) {
    last = `bench-dashboard-${i}`;
    const response = await fetch(`${origin}/api/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        lead_data: {
          lead_id: last,
          email: `person${i}@example.com`,
          company_size: i % 2 ? 'Enterprise' : 'SMB',
          industry: ['Healthcare', 'Technology', 'Finance'][i % 3],
          source: 'webinar',
        },
      }),
    });
    if (!response.ok) throw new Error(`POST /api/v1/leads answered ${response.status}: ${await response.text()}`);
  }
  return last;
}

/** Milliseconds from navigation start to the page's heading shown with nothing in <main> loading; and first contentful paint. */
async function loadOnce(url: string, token: string, warmPage: import('playwright-core').Page | null) {
  const session = warmPage ? null : await openChromium();
  const page = warmPage ?? session!.page;
  // A cold profile: the token in localStorage as after a sign-in, nothing cached.
  if (!warmPage) await page.context().addInitScript((value) => localStorage.setItem('baton.token', value), token);
  await page.goto(url);
  const rendered = await page.waitForFunction(
    () => {
      const heading = document.querySelector('main h1');
      const loading = document.querySelector('main .loading, main [aria-busy="true"]');
      return heading && !loading ? performance.now() : null;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  const firstRender = (await rendered.jsonValue()) as number;
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  await session?.close();
  return { firstRender, fcp };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const { initial, chunks } = await bundle();
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-dashboard-'));
  const baton = await startBaton(dataDir);
  try {
    const origin = new URL(baton.link).origin;
    const token = decodeURIComponent(new URL(baton.link).hash.slice('#token='.length));
    const leadId = await sendLeads(origin, token, 20);
    const pages = ['/', '/leads', `/leads/${leadId}`, '/escalations', '/campaigns', '/handoffs', '/memory'];
    const rows: { page: string; cache: 'cold' | 'warm'; firstRenderMs: number; fcpMs: number | null }[] = [];
    for (const path of pages) {
      for (let i = 0; i < LOADS; i++) rows.push({ page: path, cache: 'cold', ...toMs(await loadOnce(`${origin}${path}`, token, null)) });
      const warm = await openChromium();
      await warm.page.goto(`${origin}/sign-in#token=${encodeURIComponent(token)}`);
      await warm.page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
      await loadOnce(`${origin}${path}`, token, warm.page); // fills the cache
      for (let i = 0; i < LOADS; i++) rows.push({ page: path, cache: 'warm', ...toMs(await loadOnce(`${origin}${path}`, token, warm.page)) });
      await warm.close();
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const summary = pages.flatMap((path) =>
      (['cold', 'warm'] as const).map((cache) => {
        const of = rows.filter((row) => row.page === path && row.cache === cache);
        return {
          page: path,
          cache,
          firstRenderMs: median(of.map((row) => row.firstRenderMs)),
          fcpMs: median(of.flatMap((row) => (row.fcpMs === null ? [] : [row.fcpMs]))),
        };
      }),
    );
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
    const sum = (files: BundleFile[], key: 'bytes' | 'gzipBytes') => files.reduce((total, file) => total + file[key], 0);
    console.log('\n## Bundle (dist/dashboard-app, without source maps)\n');
    console.log(
      markdownTable(
        ['Part', 'Raw', 'gzip'],
        [
          ['First page load (index.html entry: JS + CSS)', kb(sum(initial, 'bytes')), kb(sum(initial, 'gzipBytes'))],
          ['Loaded on demand (pages, charts)', kb(sum(chunks, 'bytes')), kb(sum(chunks, 'gzipBytes'))],
          ['All', kb(sum([...initial, ...chunks], 'bytes')), kb(sum([...initial, ...chunks], 'gzipBytes'))],
          ...[...initial, ...chunks]
            .sort((a, b) => b.bytes - a.bytes)
            .slice(0, 8)
            .map((file) => [`  ${file.file}`, kb(file.bytes), kb(file.gzipBytes)]),
        ],
        ['left', 'right', 'right'],
      ),
    );
    console.log(`\n## Time to first render, headless Chromium, median of ${LOADS} loads (embedded database, 20 leads)\n`);
    console.log(
      markdownTable(
        ['Page', 'Cache', 'First contentful paint', 'Heading shown, nothing loading'],
        summary.map((row) => [row.page, row.cache, `${row.fcpMs.toFixed(0)} ms`, `${row.firstRenderMs.toFixed(0)} ms`]),
        ['left', 'left', 'right', 'right'],
      ),
    );
    const file = await writeResults(
      join(REPO_ROOT, 'bench', 'results'),
      'dashboard',
      { machine: machineInfo(), loads: LOADS, initial, chunks, rows, summary },
      startedAt,
    );
    console.log(`\nwrote ${file}`);
  } finally {
    await baton.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function toMs(load: { firstRender: number; fcp: number | null }) {
  return { firstRenderMs: load.firstRender, fcpMs: load.fcp };
}

await main();
