import fbp from "fbp";
import { CatalogueError } from "./catalogue.ts";
import type { FbpGraph, GraphSource, NamedGraph } from "./graph-definition.ts";

/** The .fbp DSL is read case-insensitively, as imgflo always did: port names become lower case. */
export function parseGraphSource(source: GraphSource): NamedGraph {
  try {
    const definition =
      source.kind === "fbp"
        ? (fbp.parse(source.text, { caseSensitive: false }) as FbpGraph)
        : (JSON.parse(source.text) as FbpGraph);
    return { name: source.name, definition };
  } catch (error) {
    throw new CatalogueError(source.name, `cannot be parsed: ${(error as Error).message}`);
  }
}

export function parseGraphSources(sources: readonly GraphSource[]): NamedGraph[] {
  return sources.map(parseGraphSource);
}
