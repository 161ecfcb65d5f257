import { type Context, Hono } from "hono";
import { errors } from "../../shared/errors.ts";
import { outputFormatFor } from "../../shared/formats.ts";
import { parseProcessingRequest } from "../../shared/processing-request.ts";
import { prepareRenderRequest, type RenderRequest } from "../../shared/render-request.ts";
import { testingUiLocation } from "../../shared/testing-ui-location.ts";
import { checkSignature, claimRender } from "../access.ts";
import type { EdgeEnv } from "../app.ts";
import { catalogue } from "../catalogue.ts";
import { configOf, type EdgeConfig } from "../config.ts";
import type { RenderJob } from "../origin-cluster.ts";
import { enqueuePrewarm } from "../prewarm-queue.ts";
import { renderAndStore } from "../render-and-store.ts";
import { findFailure, findResult, resultLocation } from "../result-cache.ts";

/** Results never change, but a disabled application must lose access within the hour. */
const REDIRECT_CACHE_CONTROL = "public, max-age=3600";

function renderJob(rawUrl: string, render: RenderRequest, requestId: string): RenderJob {
  const { graphSpec, rawSearch } = render.request;
  const publicBase = new URL(rawUrl).origin;
  const path = `/graph/${graphSpec}${rawSearch}`;
  return { cacheKey: render.cacheKey, path, publicBase, requestId };
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
  // A debug=1 URL opens the testing UI, even when its parameters do not validate.
  const parsed = parseProcessingRequest(rawUrl);
  if (parsed.debug) return c.redirect(testingUiLocation(parsed), 302);
  const render = await prepareRenderRequest(catalogue, parsed);
  const { request, cacheKey } = render;

  const config = configOf(c.env);
  const requester = await checkSignature(c.env.DB, config, request);
  if (requester.kind === "application") c.set("application", requester.application.key);
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

  c.set("cache", "miss");
  await claimRender(c.env.DB, requester);
  const job = renderJob(rawUrl, render, c.get("requestId"));
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
