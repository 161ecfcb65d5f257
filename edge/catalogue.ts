import { graphSources } from "../build/edge-assets.ts";
import { buildCatalogue, catalogueDocument } from "../shared/catalogue.ts";

/** The graph catalogue bundled at build time: the Worker never asks an origin for it. */
export const catalogue = buildCatalogue(graphSources);

export const catalogueJson = JSON.stringify(catalogueDocument(catalogue));
