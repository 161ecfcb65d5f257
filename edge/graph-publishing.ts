import { asInvalidGraph, buildCatalogue } from "../shared/catalogue.ts";
import { errors } from "../shared/errors.ts";
import type { FbpGraph } from "../shared/graph-definition.ts";
import { graphHash } from "../shared/graph-hash.ts";
import type { EdgeConfig } from "./config.ts";
import {
  findGraphHistory,
  findGraphVersion,
  publishGraphVersion,
  setCurrentVersion,
  unpublishGraph,
} from "./db/graphs.ts";
import { BUILTIN_CATALOGUE, forgetLiveCatalogue } from "./graph-catalogue.ts";
import type { OriginBody } from "./origin-types.ts";
import { askOriginsForJson } from "./origins.ts";

/** A version of a graph as the admin API answers it. */
export interface GraphVersionRef {
  name: string;
  version: number;
  hash: string;
}

export interface PublishRequest {
  name: string;
  /** The body as sent: FBP JSON or `.fbp` text, with its content type. */
  source: OriginBody;
  note: string;
  requestId: string;
}

/**
 * What an origin makes of a graph about to be published: parsed (`.fbp` too, whose parser stays
 * out of the Worker), compiled against its GEGL and rendered once with its defaults.
 */
async function checkedOnOrigin(config: EdgeConfig, request: PublishRequest): Promise<FbpGraph> {
  const checked = (await askOriginsForJson(
    {
      cacheKey: `graph-check/${request.name}`,
      path: `/graph-check/${encodeURIComponent(request.name)}`,
      body: request.source,
      publicBase: config.publicUrl,
      requestId: request.requestId,
    },
    config,
  )) as { definition?: FbpGraph };
  if (typeof checked?.definition !== "object" || checked.definition === null) {
    throw errors.originFailed("the origin's check of the graph answered no definition.");
  }
  // The edge reads it too (its inports and metadata), before anything is stored.
  try {
    buildCatalogue([{ name: request.name, definition: checked.definition }]);
  } catch (error) {
    throw asInvalidGraph(error);
  }
  return checked.definition;
}

/**
 * Contract §7: validated on an origin, then made the current version in one D1 transaction;
 * the same content as the current version makes no new one. This isolate serves it at once.
 */
export async function publishGraph(
  db: D1Database,
  config: EdgeConfig,
  request: PublishRequest,
): Promise<GraphVersionRef & { created: boolean }> {
  const definition = await checkedOnOrigin(config, request);
  const hash = graphHash(definition);
  const { version, created } = await publishGraphVersion(db, {
    name: request.name,
    hash,
    definition: JSON.stringify(definition),
    note: request.note,
  });
  forgetLiveCatalogue();
  // Unchanged or new, the current version has this content.
  return { name: request.name, version, hash, created };
}

export interface GraphHistoryDocument {
  name: string;
  /** The version served: a published one, 0 for the built-in file, null when neither. */
  current: number | null;
  versions: { version: number; hash: string; created: string | null; note: string }[];
}

/** Every version of a name, the built-in file first as version 0; 404 for a name never seen. */
export async function graphHistory(db: D1Database, name: string): Promise<GraphHistoryDocument> {
  const { current, versions } = await findGraphHistory(db, name);
  const builtin = BUILTIN_CATALOGUE.get(name);
  if (!builtin && versions.length === 0) throw errors.unknownGraph(name);
  const builtinEntry = builtin
    ? [{ version: 0, hash: builtin.hash, created: null, note: `built-in file graphs/${name}` }]
    : [];
  return {
    name,
    current: current ?? (builtin ? 0 : null),
    versions: [...builtinEntry, ...versions],
  };
}

/** Serves an earlier version again (0: the built-in file); its results are cache hits again. */
export async function rollBackGraph(
  db: D1Database,
  name: string,
  version: number,
): Promise<GraphVersionRef> {
  const target =
    version === 0 ? BUILTIN_CATALOGUE.get(name) : await findGraphVersion(db, name, version);
  if (!target) throw errors.unknownVersion(name, version);
  if (version === 0) await unpublishGraph(db, name);
  else await setCurrentVersion(db, name, version);
  forgetLiveCatalogue();
  return { name, version, hash: target.hash };
}

/** Stops serving the published versions (they stay pinnable): the built-in file, if any, is back. */
export async function removeGraph(
  db: D1Database,
  name: string,
): Promise<{ name: string; current: GraphVersionRef | null }> {
  if (!(await unpublishGraph(db, name))) {
    throw errors.notFound(`A published graph named "${name}"`);
  }
  forgetLiveCatalogue();
  const builtin = BUILTIN_CATALOGUE.get(name);
  return { name, current: builtin ? { name, version: 0, hash: builtin.hash } : null };
}
