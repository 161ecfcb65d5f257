import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Applications allowed to request signed processing URLs (contract §2); `npm run db:generate` writes migrations/ from it. */
export const applications = sqliteTable("applications", {
  key: text("key").primaryKey(),
  secret: text("secret").notNull(),
  name: text("name").notNull().default(""),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** Renders this application may still start; null means unlimited. */
  processingQuota: integer("processing_quota"),
  createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  /** The secret before the last `app rotate`: it still verifies until `previousSecretExpires`. */
  previousSecret: text("previous_secret"),
  /** Unix seconds: when `previousSecret` stops verifying. */
  previousSecretExpires: integer("previous_secret_expires"),
  /** URL patterns every image URL of the application's requests must match (shared/source-patterns.ts); null: any. */
  allowedSources: text("allowed_sources", { mode: "json" }).$type<string[]>(),
});

export type Application = typeof applications.$inferSelect;
