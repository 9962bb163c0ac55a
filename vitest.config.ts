import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node (and so graphql-yoga) loads its CommonJS
    // entry, Vite its "module" entry. Two copies break `instanceof GraphQLError`;
    // tests must load the one the server loads in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file starts its own Baton on its own database; embedded PostgreSQL takes a moment to open.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
