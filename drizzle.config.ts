import { defineConfig } from "drizzle-kit";

/** shared/db-schema.ts is the one description of the tables; `npm run db:generate` writes migrations/ from it. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./shared/db-schema.ts",
  out: "./migrations",
});
