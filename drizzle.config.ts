import { defineConfig } from "drizzle-kit";

/** edge/db/schema.ts is the one description of the tables; `npm run db:generate` writes migrations/ from it. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./edge/db/schema.ts",
  out: "./migrations",
});
