import { type Context, Hono } from "hono";
import { acceptOf } from "../../shared/accept-variant.ts";
import { errors } from "../../shared/errors.ts";
import { autoVariantOf, formatKnownInAdvance } from "../../shared/formats.ts";
import { parseProcessingRequest } from "../../shared/processing-request.ts";
import { prepareRenderRequest, type RenderRequest } from "../../shared/render-request.ts";
import { testingUiLocation } from "../../shared/testing-ui-location.ts";
import { checkSignature, claimRender } from "../access.ts";
import type { EdgeEnv } from "../app.ts";
import { catalogue } from "../catalogue.ts";
import { configOf, type EdgeConfig } from "../config.ts";
import type { RenderJob } from "../origin-cluster.ts";
import { enqueuePrewarm } from "../prewarm-queue.ts";
import { redirectHeaders } from "../redirect-headers.ts";
import { renderAndStore } from "../render-and-store.ts";
import { findFailure, findResult, resultLocation } from "../result-cache.ts";

function renderJob(rawUrl: string, render: RenderRequest): RenderJob {
  const { graphSpec, rawSearch } = render.request;
  const publicBase = new URL(rawUrl).origin;
  // `.auto`: the origin sees the folded variant, never the client's header.
  const variant = autoVariantOf(render.output);
  const accept = variant ? acceptOf(variant) : null;
  return { cacheKey: render.cacheKey, path: `/graph/${graphSpec}${rawSearch}`, publicBase, accept };
}

/** Where a pre-warmed result will appear; the processing URL itself when the input decides the format. */
function pendingLocation(config: EdgeConfig, render: RenderRequest, rawUrl: string): string {
  const format = formatKnownInAdvance(render.output, render.graph.input !== null);
  if (format) return resultLocation(config, { cacheKey: render.cacheKey, format });
  return rawUrl.slice(new URL(rawUrl).origin.length);
}

function redirectToResult(c: Context<EdgeEnv>, location: string, render: RenderRequest): Response {
  for (const [name, value] of Object.entries(redirectHeaders(render))) c.header(name, value);
  return c.redirect(location, 301);
}

async function processing(c: Context<EdgeEnv>): Promise<Response> {
  const rawUrl = c.req.url;
  // A debug=1 URL opens the testing UI, even when its parameters do not validate.
  const parsed = parseProcessingRequest(rawUrl);
  if (parsed.debug) return c.redirect(testingUiLocation(parsed), 302);
  const render = await prepareRenderRequest(catalogue, parsed, c.req.header("accept") ?? null);
  const { request, cacheKey } = render;

  const config = configOf(c.env);
  const requester = await checkSignature(c.env.DB, config, request);
  const cached = await findResult(c.env.CACHE, cacheKey);
  if (cached) return redirectToResult(c, resultLocation(config, cached), render);
  const failure = await findFailure(c.env.CACHE, cacheKey);
  if (failure && failure.status < 500) throw failure;

  await claimRender(c.env.DB, requester);
  const job = renderJob(rawUrl, render);
  if (c.req.method === "POST") {
    await enqueuePrewarm(c.env.PREWARM, job);
    const location = pendingLocation(config, render, rawUrl);
    return c.json({ status: "queued", location }, 202, { location, "cache-control": "no-store" });
  }
  const result = await renderAndStore(c.env, config, c.executionCtx, job);
  return redirectToResult(c, resultLocation(config, result), render);
}

function methodNotAllowed(c: Context<EdgeEnv>): never {
  throw errors.methodNotAllowed(c.req.method);
}

/** Contract §1: `/graph[s]/[<key>/<token>/]<graph>[.<ext>]?<params>`, GET renders, POST pre-warms. */
export const processingRoutes = new Hono<EdgeEnv>()
  .on(["GET", "POST"], ["/graph/*", "/graphs/*"], processing)
  .all("/graph/*", methodNotAllowed)
  .all("/graphs/*", methodNotAllowed);
