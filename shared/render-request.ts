import { type AutoVariant, acceptsAnyOf, autoVariantFor } from "./accept-variant.ts";
import { computeCacheKey } from "./cache-key.ts";
import type { Catalogue, CatalogueGraph } from "./catalogue.ts";
import { errors } from "./errors.ts";
import { AUTO, contentTypeOf, type OutputChoice } from "./formats.ts";
import { type ValidatedParams, validateParams } from "./parameters.ts";
import type { ProcessingRequest } from "./processing-request.ts";

/** Everything both sides need to know about a processing URL, checked once. */
export interface RenderRequest {
  request: ProcessingRequest;
  graph: CatalogueGraph;
  params: ValidatedParams;
  /** The URL's format, with `.auto` folded into a variant of the request's Accept. */
  output: OutputChoice;
  cacheKey: string;
}

// What `.auto` on a generator falls back to when the client takes neither AVIF nor WebP.
const GENERATOR_FAMILY = [contentTypeOf("png"), contentTypeOf("jpeg")];

/** `.auto`: the request's Accept folded; a generator must be able to answer in a type it takes. */
function foldedAccept(graph: CatalogueGraph, accept: string | null): AutoVariant {
  const variant = autoVariantFor(accept);
  if (variant === "input" && !graph.input && !acceptsAnyOf(accept, GENERATOR_FAMILY)) {
    const produced = [contentTypeOf("avif"), contentTypeOf("webp"), ...GENERATOR_FAMILY];
    throw errors.notAcceptable(accept ?? "", produced);
  }
  return variant;
}

/** The graph a URL names in a catalogue of current versions; a pinned version must be the one held. */
export function lookUpGraph(
  catalogue: Catalogue,
  { graph: name, version }: Pick<ProcessingRequest, "graph" | "version">,
): CatalogueGraph {
  const graph = catalogue.get(name);
  if (!graph) throw errors.unknownGraph(name);
  if (version !== null && version !== graph.version) throw errors.unknownVersion(name, version);
  return graph;
}

/**
 * Validates a parsed processing URL against the graph it names and derives its cache key;
 * `accept` (the request's header) matters only to `.auto` URLs, through one of three variants.
 */
export async function prepareRenderRequest(
  graph: CatalogueGraph,
  request: ProcessingRequest,
  accept: string | null = null,
): Promise<RenderRequest> {
  const params = validateParams(graph, request.params);
  const output = request.format === AUTO ? { auto: foldedAccept(graph, accept) } : request.format;
  const cacheKey = await computeCacheKey(graph.hash, output, params);
  return { request, graph, params, output, cacheKey };
}
