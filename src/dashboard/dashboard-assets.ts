// The built dashboard (`npm run build:dashboard`: dist/dashboard-app/), read once
// at start-up into a map by URL path, so a request can only ever name a file the
// build produced (no path from a request reaches the file system). Each file's ETag
// and gzip are made on its first request, then kept.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Where Vite writes the dashboard: dist/dashboard-app/ under the package root (../../ from src/dashboard/ and dist/dashboard/ alike). */
export const DASHBOARD_BUILD_DIR = fileURLToPath(new URL('../../dist/dashboard-app/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);

export interface DashboardAsset {
  contentType: string;
  body: Buffer;
  /** A strong validator of the body, for If-None-Match: made on first request. */
  etag(): string;
  /** The gzip body, made on first request: null when compression does not pay (small or binary files). */
  gzip(): Buffer | null;
}

export interface DashboardAssets {
  /** index.html, served for every page path. */
  index: DashboardAsset;
  /** Every other file by its URL path (`/assets/index-Cc9aOnYJ.js`, `/favicon.svg`). */
  files: ReadonlyMap<string, DashboardAsset>;
}

/** The built dashboard; null when it has not been built (the pages then say how to build it). */
export async function loadDashboardAssets(directory = DASHBOARD_BUILD_DIR): Promise<DashboardAssets | null> {
  const paths = await listFiles(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!paths?.includes(join(directory, 'index.html'))) return null;
  const files = new Map<string, DashboardAsset>();
  let index: DashboardAsset | undefined;
  for (const path of paths) {
    const asset = assetOf(path, await readFile(path));
    const urlPath = `/${relative(directory, path).split(sep).join('/')}`;
    if (urlPath === '/index.html') index = asset;
    else files.set(urlPath, asset);
  }
  return { index: index!, files };
}

function assetOf(path: string, body: Buffer): DashboardAsset {
  const extension = extname(path);
  let compressed: Buffer | null | undefined;
  let etag: string | undefined;
  return {
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    body,
    etag() {
      etag ??= `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      return etag;
    },
    gzip() {
      if (compressed === undefined) compressed = COMPRESSIBLE.has(extension) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null;
      return compressed;
    },
  };
}

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
