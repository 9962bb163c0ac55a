// Generates the Prisma client (and Pothos' Prisma types) into src/db/generated/ on install;
// `npm run build` compiles it into dist/ with the rest of src/.
// The Prisma CLI tries to download its schema-engine binary before generating,
// which fails offline although generation needs no binary: pointing
// PRISMA_SCHEMA_ENGINE_BINARY anywhere skips that download.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

const require = createRequire(import.meta.url);
let prismaCli;
try {
  prismaCli = require.resolve('prisma/build/index.js');
} catch {
  // The Prisma CLI is a dev dependency: a production install (`npm ci --omit=dev`)
  // has none, and needs none, since dist/ holds the client compiled at build time.
  console.warn('prisma-generate: no Prisma CLI (production install); the compiled build in dist/ carries the client.');
  process.exit(0);
}
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
// The Pothos generator is an npm bin; npm puts node_modules/.bin on PATH, a bare `node` does not.
env.PATH = [join(process.cwd(), 'node_modules', '.bin'), env.PATH].join(delimiter);

const result = spawnSync(process.execPath, [prismaCli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
