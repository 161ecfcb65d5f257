import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Mirrors migrations/0001_applications.sql. */
export const applications = sqliteTable("applications", {
  key: text("key").primaryKey(),
  secret: text("secret").notNull(),
  name: text("name").notNull().default(""),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** Renders this application may still start; null means unlimited. */
  processingQuota: integer("processing_quota"),
  createdAt: text("created_at").notNull(),
});

export type Application = typeof applications.$inferSelect;
