// Once per test run, before any test file: compile src/ to dist/ and build the
// dashboard as `npm start` does, so the e2e tests can run the compiled programs the image runs (node
// dist/main.js, dist/sidecar.js, dist/migrate.js) and test files running in
// parallel never compile into dist/ at the same time. `tsc -b` does nothing when
// dist/ is up to date. Emit only (--noCheck): type errors are `npm run typecheck`'s
// to report, and a test of the running program should not wait on them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export default function setup(): void {
  const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.build.json', '--noCheck'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`compiling src/ to dist/ failed:\n${tsc.stdout}${tsc.stderr}`);
  // The dashboard the browser tests open: built from dashboard/ as it stands (a few seconds).
  const vite = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (vite.status !== 0) throw new Error(`building the dashboard failed:\n${vite.stdout}${vite.stderr}`);
}
