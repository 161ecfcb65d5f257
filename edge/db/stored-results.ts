import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { resultSources, storedResults } from "../../shared/db-schema.ts";

/** What a stored result was made from: the index a purge reads. */
export interface ResultProvenance {
  graph: string;
  /** The image URLs it read, resolved against PUBLIC_URL. */
  sources: string[];
}

export interface IndexedResult {
  cacheKey: string;
  extension: string | null;
}

const indexedColumns = { cacheKey: storedResults.cacheKey, extension: storedResults.extension };

// D1 binds at most 100 parameters per statement.
const KEYS_PER_STATEMENT = 90;

/** Records a result (or, with no extension, a recorded failure) under what made it. */
export async function indexResult(
  db: D1Database,
  cacheKey: string,
  extension: string | null,
  { graph, sources }: ResultProvenance,
): Promise<void> {
  const orm = drizzle(db);
  const row = orm
    .insert(storedResults)
    .values({ cacheKey, graph, extension })
    .onConflictDoUpdate({
      target: storedResults.cacheKey,
      // A failure recorded after a result is stored must not hide where the result is served.
      set: extension === null ? { graph } : { graph, extension },
    });
  if (sources.length === 0) {
    await row;
    return;
  }
  await orm.batch([
    row,
    orm
      .insert(resultSources)
      .values(sources.map((url) => ({ cacheKey, url })))
      .onConflictDoNothing(),
  ]);
}

export async function resultsOfGraph(db: D1Database, graph: string): Promise<IndexedResult[]> {
  return drizzle(db)
    .select(indexedColumns)
    .from(storedResults)
    .where(eq(storedResults.graph, graph));
}

export async function resultsOfSource(db: D1Database, url: string): Promise<IndexedResult[]> {
  return drizzle(db)
    .select(indexedColumns)
    .from(resultSources)
    .innerJoin(storedResults, eq(storedResults.cacheKey, resultSources.cacheKey))
    .where(eq(resultSources.url, url));
}

export async function resultOfKey(db: D1Database, cacheKey: string): Promise<IndexedResult[]> {
  return drizzle(db)
    .select(indexedColumns)
    .from(storedResults)
    .where(eq(storedResults.cacheKey, cacheKey));
}

/** Forgets purged results, in statements of at most 90 keys. */
export async function unindexResults(db: D1Database, cacheKeys: readonly string[]): Promise<void> {
  const orm = drizzle(db);
  for (let start = 0; start < cacheKeys.length; start += KEYS_PER_STATEMENT) {
    const keys = cacheKeys.slice(start, start + KEYS_PER_STATEMENT);
    await orm.batch([
      orm.delete(resultSources).where(inArray(resultSources.cacheKey, keys)),
      orm.delete(storedResults).where(inArray(storedResults.cacheKey, keys)),
    ]);
  }
}
