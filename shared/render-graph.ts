import type { CatalogueGraph } from "./catalogue.ts";
import { errors } from "./errors.ts";
import type { NamedGraph } from "./graph-definition.ts";
import { checkGraphShape } from "./graph-shape.ts";

/** What the edge sends with each render: the graph to run, so origins never need a restart for a publish. */
export const RENDER_GRAPH_CONTENT_TYPE = "application/json";

/** The largest graph definition published or sent to an origin, serialised. */
export const MAX_GRAPH_BYTES = 65536;

/** A request's body as text, refused (413) beyond the size of the largest graph. */
export async function readGraphText(request: Request): Promise<string> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_GRAPH_BYTES) {
    throw errors.graphTooLarge(MAX_GRAPH_BYTES);
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_GRAPH_BYTES) {
    throw errors.graphTooLarge(MAX_GRAPH_BYTES);
  }
  return text;
}

export function renderGraphBody(graph: CatalogueGraph): string {
  const named: NamedGraph = {
    name: graph.name,
    version: graph.version,
    definition: graph.definition,
  };
  return JSON.stringify(named);
}

/** The graph a render body names; its checks are the origin's compile. */
export function parseRenderGraphBody(text: string): NamedGraph {
  if (text.length > MAX_GRAPH_BYTES) throw errors.graphTooLarge(MAX_GRAPH_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw errors.invalidGraph("The graph sent with the render is not JSON.");
  }
  const { name, version, definition } = (body ?? {}) as Partial<NamedGraph>;
  if (typeof name !== "string" || !Number.isSafeInteger(version)) {
    throw errors.invalidGraph(
      "The graph sent with the render needs a name, version and definition.",
    );
  }
  return { name, version: version as number, definition: checkGraphShape(name, definition) };
}
