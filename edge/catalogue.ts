import graphs from "../build/graphs.json";
import { buildCatalogue, catalogueDocument } from "../shared/catalogue.ts";
import type { NamedGraph } from "../shared/graph-definition.ts";

/** The graph catalogue bundled at build time: the Worker never asks an origin for it. */
// build/graphs.json is written by scripts/bundle-catalogue.ts from NamedGraph values it has checked.
export const catalogue = buildCatalogue(graphs as unknown as NamedGraph[]);

export const catalogueJson = JSON.stringify(catalogueDocument(catalogue));
