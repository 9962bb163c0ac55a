import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Tests that open databases: once per run, global-setup.ts migrates the PGlite
 * template each test database is copied from. Each file starts its own Baton on
 * its own database; embedded PostgreSQL takes a moment to open.
 */
const withDatabases = {
  globalSetup: ['tests/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

// Four tiers, each a project (`npm run test:unit` etc.; `npm test` runs them all):
//   unit         no I/O: pure functions, the schema, protocol framing
//   integration  a database, Redis, or a Baton in-process (yoga.fetch or a real server on port 0)
//   e2e          spawned processes, the compiled build, kustomize, the Dockerfile
//   fuzz         generated hostile inputs on every door of a real Baton (`npm run test:fuzz`)
export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node (and so graphql-yoga) loads its CommonJS
    // entry, Vite its "module" entry. Two copies break `instanceof GraphQLError`;
    // tests must load the one the server loads in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    pool: 'forks',
    // Vitest's default for a run is one fork per core but one, as for CPU-bound
    // tests: a single fork on a 2-core machine. Most files here wait (on a Baton
    // starting, PostgreSQL, Redis, spawned processes) more than they compute, so
    // three forks per two cores keep them busy (measured: see .ci/run).
    // VITEST_MAX_FORKS=<n> overrides it (1: one file at a time).
    maxWorkers: Number(process.env.VITEST_MAX_FORKS) || Math.max(2, Math.round(availableParallelism() * 1.5)),
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], ...withDatabases } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          ...withDatabases,
          globalSetup: [...withDatabases.globalSetup, 'tests/e2e/support/compiled-build.ts'],
        },
      },
      // Property-based fuzzing of every door against a real Baton (tests/fuzz/support/fuzz-runner.ts: FUZZ_SEED, FUZZ_RUNS);
      // the report of inputs per door and failures prints when the run ends.
      {
        extends: true,
        test: {
          name: 'fuzz',
          include: ['tests/fuzz/**/*.test.ts'],
          ...withDatabases,
          testTimeout: 240_000,
          globalSetup: [...withDatabases.globalSetup, 'tests/fuzz/support/fuzz-report.ts'],
        },
      },
    ],
  },
});
