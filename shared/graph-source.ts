import fbp from "fbp";
import { CatalogueError } from "./catalogue.ts";
import type { GraphSource, NamedGraph } from "./graph-definition.ts";
import { checkGraphShape } from "./graph-shape.ts";

/** The .fbp DSL is read case-insensitively, as imgflo always did: port names become lower case. */
export function parseGraphSource(source: GraphSource): NamedGraph {
  let definition: unknown;
  try {
    definition =
      source.kind === "fbp"
        ? fbp.parse(source.text, { caseSensitive: false })
        : JSON.parse(source.text);
  } catch (error) {
    throw new CatalogueError(source.name, `cannot be parsed: ${(error as Error).message}`);
  }
  return { name: source.name, definition: checkGraphShape(source.name, definition) };
}

export function parseGraphSources(sources: readonly GraphSource[]): NamedGraph[] {
  return sources.map(parseGraphSource);
}
