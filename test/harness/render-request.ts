import type { Catalogue } from "../../shared/catalogue.ts";
import { parseProcessingRequest } from "../../shared/processing-request.ts";
import {
  lookUpGraph,
  prepareRenderRequest,
  type RenderRequest,
} from "../../shared/render-request.ts";

/** A processing URL checked against a catalogue, as the edge and the origin check it. */
export function renderRequestFor(
  catalogue: Catalogue,
  url: string,
  accept: string | null = null,
): Promise<RenderRequest> {
  const parsed = parseProcessingRequest(url);
  return prepareRenderRequest(lookUpGraph(catalogue, parsed), parsed, accept);
}
