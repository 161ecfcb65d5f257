import { type Context, Hono } from "hono";
import { acceptOf } from "../../shared/accept-variant.ts";
import { canonicalPath } from "../../shared/cache-key.ts";
import { errors } from "../../shared/errors.ts";
import { autoVariantOf, formatKnownInAdvance } from "../../shared/formats.ts";
import { imageUrlsOf, resolvedInputText } from "../../shared/parameters.ts";
import {
  asksForDebug,
  parseProcessingRequest,
  splitProcessingUrl,
} from "../../shared/processing-request.ts";
import { RENDER_GRAPH_CONTENT_TYPE, renderGraphBody } from "../../shared/render-graph.ts";
import { prepareRenderRequest, type RenderRequest } from "../../shared/render-request.ts";
import { testingUiLocation } from "../../shared/testing-ui-location.ts";
import {
  checkImageSources,
  checkSignature,
  type Requester,
  renderPayer,
  urlExpiry,
} from "../access.ts";
import { configOf, type EdgeConfig } from "../config.ts";
import type { EdgeEnv } from "../env.ts";
import { graphFor } from "../graph-catalogue.ts";
import type { OriginJob } from "../origin-types.ts";
import { replayedFailure } from "../paid-job.ts";
import { enqueuePrewarm } from "../prewarm-queue.ts";
import { redirectHeaders } from "../redirect-headers.ts";
import { renderAndStore } from "../render-and-store.ts";
import { findResult, resultLocation } from "../result-cache.ts";

/**
 * Only what the cache key holds reaches the origin, with the graph to run (the version this edge
 * serves, whatever the origin's own files say); relative inputs resolve against PUBLIC_URL.
 */
function originJobFor(
  config: EdgeConfig,
  render: RenderRequest,
  payer: string | null,
  requestId: string,
): OriginJob {
  const { graph, format } = render.request;
  const path = canonicalPath(graph, format, render.params);
  // `.auto`: the origin sees the folded variant, never the client's header.
  const variant = autoVariantOf(render.output);
  const accept = variant ? acceptOf(variant) : null;
  return {
    cacheKey: render.cacheKey,
    path,
    body: { contentType: RENDER_GRAPH_CONTENT_TYPE, text: renderGraphBody(render.graph) },
    publicBase: config.publicUrl,
    payer,
    requestId,
    accept,
    provenance: { graph: render.graph.name, sources: imageSources(config, render) },
  };
}

/** The image URLs a render reads, resolved as the origin resolves them (against PUBLIC_URL). */
function imageSources(config: EdgeConfig, render: RenderRequest): string[] {
  return imageUrlsOf(render.params).map((url) => resolvedInputText(url, config.publicUrl));
}

/** Where a pre-warmed result will appear; the processing URL itself when the input decides the format. */
function pendingLocation(config: EdgeConfig, render: RenderRequest, rawUrl: string): string {
  const format = formatKnownInAdvance(render.output, render.graph.input !== null);
  if (format) return resultLocation(config, { cacheKey: render.cacheKey, format });
  return rawUrl.slice(new URL(rawUrl).origin.length);
}

function redirectToResult(
  c: Context<EdgeEnv>,
  location: string,
  render: RenderRequest,
  requester: Requester,
): Response {
  const headers = redirectHeaders(render, urlExpiry(requester));
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.redirect(location, 301);
}

async function processing(c: Context<EdgeEnv>): Promise<Response> {
  const rawUrl = c.req.url;
  const config = configOf(c.env);
  // A debug=1 URL opens the testing UI unsigned; any other URL proves its signature before its
  // parameters or graph are looked at, so a forged one costs nothing and learns nothing.
  const parts = splitProcessingUrl(rawUrl);
  const requester = asksForDebug(parts.rawSearch)
    ? null
    : await checkSignature(c.env.DB, config, parts);
  const parsed = parseProcessingRequest(rawUrl);
  if (parsed.debug || requester === null) return c.redirect(testingUiLocation(parsed), 302);
  if (requester.kind === "application") c.set("application", requester.application.key);
  const graph = await graphFor(c.env.DB, parsed);
  const render = await prepareRenderRequest(graph, parsed, c.req.header("accept") ?? null);
  checkImageSources(requester, imageUrlsOf(render.params), config);
  const { cacheKey } = render;

  const cached = await findResult(c.env.CACHE, cacheKey);
  if (cached) {
    c.set("cache", "hit");
    c.header("server-timing", "cache;desc=hit");
    return redirectToResult(c, resultLocation(config, cached), render, requester);
  }
  const failure = await replayedFailure(c.env.CACHE, cacheKey);
  if (failure) {
    c.set("cache", "failure");
    throw failure;
  }

  // The quota is charged when the render starts, once however many requests share it.
  c.set("cache", "miss");
  const job = originJobFor(config, render, renderPayer(requester), c.get("requestId"));
  if (c.req.method === "POST") {
    await enqueuePrewarm(c.env.PREWARM, job);
    const location = pendingLocation(config, render, rawUrl);
    return c.json({ status: "queued", location }, 202, { location, "cache-control": "no-store" });
  }
  const result = await renderAndStore(c.env, config, c.executionCtx, job);
  // The origin's render steps: a slow step shows in the browser's network panel.
  c.header("server-timing", ["cache;desc=miss", result.serverTiming].filter(Boolean).join(", "));
  return redirectToResult(c, resultLocation(config, result), render, requester);
}

function methodNotAllowed(c: Context<EdgeEnv>): never {
  throw errors.methodNotAllowed(c.req.method);
}

/** Contract §1: `/graph[s]/[<key>/<token>/]<graph>[.<ext>]?<params>`, GET renders, POST pre-warms. */
export const processingRoutes = new Hono<EdgeEnv>()
  .on(["GET", "POST"], ["/graph/*", "/graphs/*"], processing)
  .all("/graph/*", methodNotAllowed)
  .all("/graphs/*", methodNotAllowed);
