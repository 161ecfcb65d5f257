import { and, asc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type GraphVersion, graphVersions, publishedGraphs } from "../../shared/db-schema.ts";

/** A version as the catalogue needs it: what to render and under which identity. */
export type StoredGraph = Pick<GraphVersion, "name" | "version" | "hash" | "definition">;

const storedColumns = {
  name: graphVersions.name,
  version: graphVersions.version,
  hash: graphVersions.hash,
  definition: graphVersions.definition,
};

/** The current version of every published name. */
export async function findPublishedGraphs(db: D1Database): Promise<StoredGraph[]> {
  return drizzle(db)
    .select(storedColumns)
    .from(publishedGraphs)
    .innerJoin(
      graphVersions,
      and(
        eq(graphVersions.name, publishedGraphs.name),
        eq(graphVersions.version, publishedGraphs.version),
      ),
    );
}

export async function findGraphVersion(
  db: D1Database,
  name: string,
  version: number,
): Promise<StoredGraph | null> {
  const rows = await drizzle(db)
    .select(storedColumns)
    .from(graphVersions)
    .where(and(eq(graphVersions.name, name), eq(graphVersions.version, version)))
    .limit(1);
  return rows[0] ?? null;
}

export interface Publication {
  name: string;
  hash: string;
  definition: string;
  note: string;
}

/**
 * Makes the definition the current version of its name, in one transaction (a D1 batch): a new
 * version numbered after the highest so far, unless the current version already has this hash.
 * Concurrent publishes are serialised by D1, so each gets its own number and none is lost.
 * Resolves to the current version afterwards and whether it is new.
 */
export async function publishGraphVersion(
  db: D1Database,
  { name, hash, definition, note }: Publication,
): Promise<{ version: number; created: boolean }> {
  // Plain D1 statements: drizzle's batch cannot carry raw SQL with parameters.
  const currentHasHash = `EXISTS (SELECT 1 FROM published_graphs p JOIN graph_versions v
    ON v.name = p.name AND v.version = p.version WHERE p.name = ?1 AND v.hash = ?2)`;
  const [inserted, , current] = (await db.batch<{ version: number }>([
    db
      .prepare(
        `INSERT INTO graph_versions (name, version, hash, definition, note)
        SELECT ?1, COALESCE((SELECT MAX(version) FROM graph_versions WHERE name = ?1), 0) + 1,
          ?2, ?3, ?4
        WHERE NOT ${currentHasHash}`,
      )
      .bind(name, hash, definition, note),
    db
      .prepare(
        `INSERT INTO published_graphs (name, version)
        SELECT ?1, MAX(version) FROM graph_versions WHERE name = ?1 AND hash = ?2
        ON CONFLICT (name) DO UPDATE SET version = excluded.version WHERE NOT ${currentHasHash}`,
      )
      .bind(name, hash),
    db.prepare("SELECT version FROM published_graphs WHERE name = ?1").bind(name),
  ])) as [D1Result, D1Result, D1Result<{ version: number }>];
  return {
    version: (current.results[0] as { version: number }).version,
    created: inserted.meta.changes > 0,
  };
}

export interface GraphHistory {
  /** The version served, or null when nothing is published under the name now. */
  current: number | null;
  versions: { version: number; hash: string; created: string; note: string }[];
}

export async function findGraphHistory(db: D1Database, name: string): Promise<GraphHistory> {
  const orm = drizzle(db);
  const [versions, current] = await orm.batch([
    orm
      .select({
        version: graphVersions.version,
        hash: graphVersions.hash,
        created: graphVersions.createdAt,
        note: graphVersions.note,
      })
      .from(graphVersions)
      .where(eq(graphVersions.name, name))
      .orderBy(asc(graphVersions.version)),
    orm
      .select({ version: publishedGraphs.version })
      .from(publishedGraphs)
      .where(eq(publishedGraphs.name, name)),
  ]);
  return { current: current[0]?.version ?? null, versions };
}

/** Points the name at one of its versions; false when there is no such version. */
export async function setCurrentVersion(
  db: D1Database,
  name: string,
  version: number,
): Promise<boolean> {
  const result = await drizzle(db).run(sql`INSERT INTO published_graphs (name, version)
    SELECT name, version FROM graph_versions WHERE name = ${name} AND version = ${version}
    ON CONFLICT (name) DO UPDATE SET version = excluded.version`);
  return result.meta.changes > 0;
}

/** Stops serving the published versions of a name (they stay pinnable); false when none was. */
export async function unpublishGraph(db: D1Database, name: string): Promise<boolean> {
  const removed = await drizzle(db)
    .delete(publishedGraphs)
    .where(eq(publishedGraphs.name, name))
    .returning({ name: publishedGraphs.name });
  return removed.length > 0;
}
