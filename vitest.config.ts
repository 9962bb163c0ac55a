import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file starts its own Baton on its own database; embedded PostgreSQL takes a moment to open.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
