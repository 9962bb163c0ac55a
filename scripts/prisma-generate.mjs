// Generates the Prisma client (and Pothos' Prisma types) on install.
// The Prisma CLI tries to download its schema-engine binary before generating,
// which fails offline although generation needs no binary: pointing
// PRISMA_SCHEMA_ENGINE_BINARY anywhere skips that download.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
// The Pothos generator is an npm bin; npm puts node_modules/.bin on PATH, a bare `node` does not.
env.PATH = [join(process.cwd(), 'node_modules', '.bin'), env.PATH].join(delimiter);

const result = spawnSync(process.execPath, [prismaCli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
