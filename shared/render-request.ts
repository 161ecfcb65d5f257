import { computeCacheKey } from "./cache-key.ts";
import type { Catalogue, CatalogueGraph } from "./catalogue.ts";
import { errors } from "./errors.ts";
import { type ValidatedParams, validateParams } from "./parameters.ts";
import type { ProcessingRequest } from "./processing-request.ts";

/** Everything both sides need to know about a processing URL, checked once. */
export interface RenderRequest {
  request: ProcessingRequest;
  graph: CatalogueGraph;
  params: ValidatedParams;
  cacheKey: string;
}

export function lookUpGraph(catalogue: Catalogue, name: string): CatalogueGraph {
  const graph = catalogue.get(name);
  if (!graph) throw errors.unknownGraph(name);
  return graph;
}

/** Validates a parsed processing URL against the catalogue and derives its cache key. */
export async function prepareRenderRequest(
  catalogue: Catalogue,
  request: ProcessingRequest,
): Promise<RenderRequest> {
  const graph = lookUpGraph(catalogue, request.graph);
  const params = validateParams(graph, request.params);
  const cacheKey = await computeCacheKey(graph.name, request.format, params);
  return { request, graph, params, cacheKey };
}
