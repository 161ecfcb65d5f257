import type { Context, Hono } from "hono";
import { errors } from "../../shared/errors.ts";
import { contentTypeOf } from "../../shared/formats.ts";
import { CACHE_KEY_HEADER, SHARED_RENDER_HEADER } from "../../shared/origin-headers.ts";
import { type ProcessingRequest, parseProcessingRequest } from "../../shared/processing-request.ts";
import { parseRenderGraphBody, readGraphText } from "../../shared/render-graph.ts";
import { lookUpGraph, prepareRenderRequest } from "../../shared/render-request.ts";
import { serverTimingHeader } from "../../shared/server-timing.ts";
import { testingUiLocation } from "../../shared/testing-ui-location.ts";
import { type ReadyGraph, sentCatalogueGraph } from "../compile/compiled-graphs.ts";
import { NO_LABEL } from "../metrics.ts";
import { render } from "../pipeline.ts";
import type { OriginEnv } from "../request-observer.ts";
import type { OriginServices } from "../services.ts";
import { requestInputContext } from "./input-context.ts";

/**
 * The graph to render: the one the edge sent with the request (POST, shared/render-graph.ts),
 * else this origin's own file of that name.
 */
async function graphToRender(
  c: Context<OriginEnv>,
  parsed: ProcessingRequest,
  services: OriginServices,
): Promise<ReadyGraph> {
  if (c.req.method !== "POST") {
    const graph = lookUpGraph(services.catalogue, parsed);
    return { graph, compiled: services.graphs.compiled(graph) };
  }
  const sent = parseRenderGraphBody(await readGraphText(c.req.raw));
  if (sent.name !== parsed.graph) {
    throw errors.invalidGraph(`The graph sent is "${sent.name}", the URL names "${parsed.graph}".`);
  }
  const graph = sentCatalogueGraph(sent);
  return { graph, compiled: services.graphs.compiled(graph) };
}

/** `GET|POST /graph/*` (and the classic `/graphs/*`): a render, its bytes and timings. */
export function processingRoutes(app: Hono<OriginEnv>, services: OriginServices): void {
  const processing = async (c: Context<OriginEnv>) => {
    c.set("render", { graph: NO_LABEL, format: NO_LABEL });
    const parsed = parseProcessingRequest(c.req.url);
    if (parsed.debug) {
      c.set("render", null);
      return c.redirect(testingUiLocation(parsed), 302);
    }
    const { graph, compiled } = await graphToRender(c, parsed, services);
    const request = await prepareRenderRequest(graph, parsed, c.req.header("accept") ?? null);
    c.set("render", { graph: request.graph.name, format: parsed.format ?? NO_LABEL });
    // Edges in other isolates share renders here; the joiners' edges give back their quota unit.
    const joined = services.queue.has(request.cacheKey);
    const image = await render(
      request,
      compiled,
      requestInputContext(app, c, services.config.maxInputBytes),
      services,
    );
    c.set("render", { graph: request.graph.name, format: image.format });
    c.set("rendered", image);
    // Node buffers are never backed by a SharedArrayBuffer here.
    return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": contentTypeOf(image.format),
        "content-length": String(image.bytes.length),
        "server-timing": serverTimingHeader(image.trace.steps),
        [CACHE_KEY_HEADER]: request.cacheKey,
        ...(joined ? { [SHARED_RENDER_HEADER]: "1" } : {}),
      },
    });
  };
  app.on(["GET", "POST"], ["/graph/*", "/graphs/*"], processing);
}
