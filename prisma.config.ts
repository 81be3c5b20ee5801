import { defineConfig } from 'prisma/config';

// Prisma is used for the client only; migrations are plain SQL applied by db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
