import { failureObjectName, isCacheKey, resultObjectName } from "../shared/cache-key.ts";
import { errors } from "../shared/errors.ts";
import { extensionOf, isOutputFormat } from "../shared/formats.ts";
import { resolvedInputText } from "../shared/parameters.ts";
import type { EdgeConfig } from "./config.ts";
import {
  type IndexedResult,
  resultOfKey,
  resultsOfGraph,
  resultsOfSource,
  unindexResults,
} from "./db/stored-results.ts";
import { forgetResult } from "./result-cache.ts";
import { EDGE_CACHE, forgetHotResult } from "./routes/cache.ts";

/** What `POST /admin/purge` removes: every result of an input, of a graph, or one result. */
export type PurgeSelector = { input: string } | { graph: string } | { key: string };

// R2 deletes at most 1000 objects per call.
const OBJECTS_PER_DELETE = 1000;

/** The body of a purge request, checked: exactly one of `input`, `graph`, `key`. */
export function purgeSelector(body: unknown): PurgeSelector {
  const fields = body && typeof body === "object" ? Object.entries(body) : [];
  const [name, value] = fields[0] ?? [];
  if (fields.length !== 1 || typeof value !== "string" || value === "") {
    throw errors.invalidParameter(
      "purge",
      'takes one of {"input": URL}, {"graph": name} or {"key": cacheKey}',
    );
  }
  if (name === "key" && !isCacheKey(value)) {
    throw errors.invalidParameter("key", "is not a cache key (64 hex digits)");
  }
  if (name === "input") return { input: value };
  if (name === "graph") return { graph: value };
  if (name === "key") return { key: value };
  throw errors.invalidParameter(String(name), "is not input, graph or key");
}

/** The results a selector names, through the D1 index (never a listing of the bucket). */
async function selected(
  db: D1Database,
  bucket: R2Bucket,
  config: EdgeConfig,
  selector: PurgeSelector,
): Promise<IndexedResult[]> {
  if ("graph" in selector) return resultsOfGraph(db, selector.graph);
  if ("key" in selector) {
    const indexed = await resultOfKey(db, selector.key);
    if (indexed.length > 0) return indexed;
    // A result stored before the index existed is found in R2 itself.
    const stored = await bucket.head(resultObjectName(selector.key));
    const format = stored?.customMetadata?.format;
    return stored
      ? [
          {
            cacheKey: selector.key,
            extension: format && isOutputFormat(format) ? extensionOf(format) : null,
          },
        ]
      : [];
  }
  return resultsOfSource(db, resolvedInputText(selector.input, config.publicUrl));
}

/**
 * Removes the selected results and their recorded failures from R2, their `/cache/` answers from
 * this location's Workers Cache (under the edge's public URL and the admin request's own), and
 * this isolate's memory of them; the next request renders anew. Resolves to how many results
 * were purged.
 */
export async function purgeResults(
  env: Env,
  config: EdgeConfig,
  requestOrigin: string,
  selector: PurgeSelector,
): Promise<number> {
  const results = await selected(env.DB, env.CACHE, config, selector);
  const keys = results.map((result) => result.cacheKey);
  // One key's recorded failure goes even when no result was ever stored for it.
  if ("key" in selector && keys.length === 0) keys.push(selector.key);
  const objects = keys.flatMap((key) => [resultObjectName(key), failureObjectName(key)]);
  for (let start = 0; start < objects.length; start += OBJECTS_PER_DELETE) {
    await env.CACHE.delete(objects.slice(start, start + OBJECTS_PER_DELETE));
  }
  const edgeCache = await caches.open(EDGE_CACHE);
  const bases = [...new Set([config.publicUrl, requestOrigin])];
  await Promise.all(
    results.flatMap(({ cacheKey, extension }) => {
      forgetResult(cacheKey);
      if (extension === null) return [];
      const file = `${cacheKey}.${extension}`;
      forgetHotResult(file);
      return bases.map((base) => edgeCache.delete(`${base}/cache/${file}`));
    }),
  );
  await unindexResults(env.DB, keys);
  return results.length;
}
