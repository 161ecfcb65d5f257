import builtinGraphs from "../build/graphs.json";
import {
  buildCatalogue,
  type Catalogue,
  type CatalogueGraph,
  catalogueDocument,
} from "../shared/catalogue.ts";
import { errors } from "../shared/errors.ts";
import type { FbpGraph, NamedGraph } from "../shared/graph-definition.ts";
import type { ProcessingRequest } from "../shared/processing-request.ts";
import { lookUpGraph } from "../shared/render-request.ts";
import { findGraphVersion, findPublishedGraphs, type StoredGraph } from "./db/graphs.ts";
import { IsolateCache } from "./isolate-cache.ts";

/** The files of `graphs/`, version 0, bundled at build time (scripts/bundle-catalogue.ts checked them). */
export const BUILTIN_CATALOGUE = buildCatalogue(builtinGraphs as unknown as NamedGraph[]);

/** How long an isolate serves the published graphs it read before reading them again (contract §7). */
export const CATALOGUE_REFRESH_MS = 30_000;

/** The catalogue served now: built-in graphs overridden by the current published versions. */
export interface LiveCatalogue {
  graphs: Catalogue;
  /** The `GET /graphs` document, serialised once per catalogue. */
  document: string;
}

function builtFrom(stored: StoredGraph): CatalogueGraph | null {
  const named: NamedGraph = {
    name: stored.name,
    version: stored.version,
    definition: JSON.parse(stored.definition) as FbpGraph,
  };
  try {
    return buildCatalogue([named]).get(stored.name) ?? null;
  } catch (error) {
    // Validated when published: a row that no longer reads must not take the catalogue down.
    console.error({ msg: "published graph unreadable", graph: stored.name, error: String(error) });
    return null;
  }
}

async function loadCatalogue(db: D1Database): Promise<LiveCatalogue> {
  const graphs = new Map(BUILTIN_CATALOGUE);
  for (const stored of await findPublishedGraphs(db)) {
    const graph = builtFrom(stored);
    if (graph) graphs.set(graph.name, graph);
  }
  const sorted: Catalogue = new Map([...graphs].sort(([a], [b]) => a.localeCompare(b)));
  return { graphs: sorted, document: JSON.stringify(catalogueDocument(sorted)) };
}

let current: { loaded: Promise<LiveCatalogue>; expires: number } | null = null;
/** The last catalogue read: served while D1 cannot be read, rather than failing cache hits. */
let lastRead: LiveCatalogue | null = null;

/** The isolate's catalogue, read from D1 at most every 30 s; a cache hit costs no D1 read. */
export function liveCatalogue(db: D1Database): Promise<LiveCatalogue> {
  if (current && current.expires > Date.now()) return current.loaded;
  const loaded = loadCatalogue(db).then(
    (read) => {
      lastRead = read;
      return read;
    },
    (error: unknown) => {
      // Not kept: the next request reads again.
      if (current?.loaded === loaded) current = null;
      if (!lastRead) throw error;
      console.error({
        msg: "published graphs unreadable, serving the last read",
        error: String(error),
      });
      return lastRead;
    },
  );
  current = { loaded, expires: Date.now() + CATALOGUE_REFRESH_MS };
  return loaded;
}

/** After a publish, rollback or removal: this isolate serves the change from its next request. */
export function forgetLiveCatalogue(): void {
  current = null;
}

/** Pinned versions never change once written, so they are kept for as long as there is room. */
const pinned = new IsolateCache<CatalogueGraph>(24 * 3600_000, 256);

async function pinnedVersion(db: D1Database, name: string, version: number) {
  const key = `${name}@${version}`;
  const known = pinned.get(key);
  if (known) return known;
  // A version not there yet may be published any moment: only found ones are kept.
  const stored = await findGraphVersion(db, name, version);
  const graph = stored && builtFrom(stored);
  return graph ? pinned.set(key, graph) : null;
}

/** The graph a processing URL names: the current version, or the pinned `<name>@<version>`. */
export async function graphFor(
  db: D1Database,
  request: ProcessingRequest,
): Promise<CatalogueGraph> {
  const { graphs } = await liveCatalogue(db);
  const { graph: name, version } = request;
  const served = graphs.get(name);
  if (version === null || version === served?.version) return lookUpGraph(graphs, request);
  const graph =
    version === 0 ? BUILTIN_CATALOGUE.get(name) : await pinnedVersion(db, name, version);
  if (graph) return graph;
  throw served ? errors.unknownVersion(name, version) : errors.unknownGraph(name);
}
