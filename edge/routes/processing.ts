import { type Context, Hono } from "hono";
import { canonicalPath } from "../../shared/cache-key.ts";
import { errors } from "../../shared/errors.ts";
import { outputFormatFor } from "../../shared/formats.ts";
import {
  asksForDebug,
  parseProcessingRequest,
  splitProcessingUrl,
} from "../../shared/processing-request.ts";
import { prepareRenderRequest, type RenderRequest } from "../../shared/render-request.ts";
import { testingUiLocation } from "../../shared/testing-ui-location.ts";
import { checkSignature, renderPayer } from "../access.ts";
import type { EdgeEnv } from "../app.ts";
import { catalogue } from "../catalogue.ts";
import { configOf, type EdgeConfig } from "../config.ts";
import type { RenderJob } from "../origin-cluster.ts";
import { enqueuePrewarm } from "../prewarm-queue.ts";
import { renderAndStore } from "../render-and-store.ts";
import { findFailure, findResult, resultLocation } from "../result-cache.ts";

/** Results never change, but a disabled application must lose access within the hour. */
const REDIRECT_CACHE_CONTROL = "public, max-age=3600";

/** Only what the cache key holds reaches the origin, and relative inputs resolve against PUBLIC_URL. */
function renderJob(
  config: EdgeConfig,
  render: RenderRequest,
  payer: string | null,
  requestId: string,
): RenderJob {
  const { graph, format } = render.request;
  const path = canonicalPath(graph, format, render.params);
  return { cacheKey: render.cacheKey, path, publicBase: config.publicUrl, payer, requestId };
}

/** Where a pre-warmed result will appear; the processing URL itself when the input decides the format. */
function pendingLocation(config: EdgeConfig, render: RenderRequest, rawUrl: string): string {
  const { format: requested } = render.request;
  const format = render.graph.input ? requested : outputFormatFor(requested, null);
  if (format) return resultLocation(config, { cacheKey: render.cacheKey, format });
  return rawUrl.slice(new URL(rawUrl).origin.length);
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
  const render = await prepareRenderRequest(catalogue, parsed);
  const { cacheKey } = render;

  const cached = await findResult(c.env.CACHE, cacheKey);
  if (cached) {
    c.set("cache", "hit");
    c.header("cache-control", REDIRECT_CACHE_CONTROL);
    c.header("server-timing", "cache;desc=hit");
    return c.redirect(resultLocation(config, cached), 301);
  }
  const failure = await findFailure(c.env.CACHE, cacheKey);
  if (failure && failure.status < 500) {
    c.set("cache", "failure");
    throw failure;
  }

  // The quota is charged when the render starts, once however many requests share it.
  c.set("cache", "miss");
  const job = renderJob(config, render, renderPayer(requester), c.get("requestId"));
  if (c.req.method === "POST") {
    await enqueuePrewarm(c.env.PREWARM, job);
    const location = pendingLocation(config, render, rawUrl);
    return c.json({ status: "queued", location }, 202, { location, "cache-control": "no-store" });
  }
  const result = await renderAndStore(c.env, config, c.executionCtx, job);
  c.header("cache-control", REDIRECT_CACHE_CONTROL);
  // The origin's render steps: a slow step shows in the browser's network panel.
  c.header("server-timing", ["cache;desc=miss", result.serverTiming].filter(Boolean).join(", "));
  return c.redirect(resultLocation(config, result), 301);
}

function methodNotAllowed(c: Context<EdgeEnv>): never {
  throw errors.methodNotAllowed(c.req.method);
}

/** Contract §1: `/graph[s]/[<key>/<token>/]<graph>[.<ext>]?<params>`, GET renders, POST pre-warms. */
export const processingRoutes = new Hono<EdgeEnv>()
  .on(["GET", "POST"], ["/graph/*", "/graphs/*"], processing)
  .all("/graph/*", methodNotAllowed)
  .all("/graphs/*", methodNotAllowed);
