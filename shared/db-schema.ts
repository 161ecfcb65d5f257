import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

/**
 * Every published version of every graph name (contract §7), never changed once written:
 * `definition` is the graph's FBP JSON, `hash` its content hash (shared/graph-hash.ts).
 */
export const graphVersions = sqliteTable(
  "graph_versions",
  {
    name: text("name").notNull(),
    version: integer("version").notNull(),
    hash: text("hash").notNull(),
    definition: text("definition").notNull(),
    note: text("note").notNull().default(""),
    createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (table) => [primaryKey({ columns: [table.name, table.version] })],
);

/** Which version of a name is served; no row: the built-in file of `graphs/`, if any. */
export const publishedGraphs = sqliteTable("published_graphs", {
  name: text("name").primaryKey(),
  version: integer("version").notNull(),
});

export type GraphVersion = typeof graphVersions.$inferSelect;

/**
 * Every result and recorded failure stored in R2, by what made it, so that a purge finds the
 * results of one input or one graph without listing the bucket (contract §7, `POST /admin/purge`).
 */
export const storedResults = sqliteTable(
  "stored_results",
  {
    cacheKey: text("cache_key").primaryKey(),
    graph: text("graph").notNull(),
    /** The `/cache/<key>.<extension>` the result is served at; null for a recorded failure. */
    extension: text("extension"),
    createdAt: text("created_at").notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (table) => [index("stored_results_graph").on(table.graph)],
);

/** The image URLs a stored result was made from (`input`, later image inports), resolved. */
export const resultSources = sqliteTable(
  "result_sources",
  {
    cacheKey: text("cache_key").notNull(),
    url: text("url").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.cacheKey, table.url] }),
    index("result_sources_url").on(table.url),
  ],
);
