// Prisma CLI configuration. Baton applies migrations itself at start-up
// (src/db/migrate.ts); `prisma migrate deploy` stays usable where the
// schema-engine binary exists, against DATABASE_URL.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/baton' },
});
