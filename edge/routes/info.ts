import { type Context, Hono } from "hono";
import { computeInfoKey, infoObjectName } from "../../shared/cache-key.ts";
import { infoInput, splitInfoUrl } from "../../shared/info-request.ts";
import { maxAgeWithin } from "../../shared/url-expiry.ts";
import { checkImageSources, checkSignature, renderPayer, urlExpiry } from "../access.ts";
import { configOf } from "../config.ts";
import type { EdgeEnv } from "../env.ts";
import type { OriginJob } from "../origin-types.ts";
import { askOriginsForJson } from "../origins.ts";
import { NotStarted, replayedFailure, runPaidJob } from "../paid-job.ts";

/** Like redirects to results: an application disabled must lose access within the hour. */
const INFO_MAX_AGE_S = 3600;

/** Never cached past the URL's `expires`. */
function infoResponse(json: string, expires: number | null): Response {
  const maxAge = maxAgeWithin(INFO_MAX_AGE_S, expires, Date.now());
  return new Response(json, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": `public, max-age=${maxAge}`,
    },
  });
}

/** Contract §6: `/info[/<key>/<token>]?input=<url>`, answered from R2 or by an origin, then stored. */
async function info(c: Context<EdgeEnv>): Promise<Response> {
  const parts = splitInfoUrl(c.req.url);
  const config = configOf(c.env);
  // As for processing URLs: a forged or unsigned URL gets 403 before its input is looked at.
  const requester = await checkSignature(c.env.DB, config, parts);
  const input = infoInput(parts);
  checkImageSources(requester, [input], config);
  const expires = urlExpiry(requester);
  const infoKey = await computeInfoKey(input);
  const stored = await c.env.CACHE.get(infoObjectName(infoKey));
  if (stored) return infoResponse(await stored.text(), expires);
  const failure = await replayedFailure(c.env.CACHE, infoKey);
  if (failure) throw failure;
  const job: OriginJob = {
    cacheKey: infoKey,
    // Only the input reaches the origin, and a relative one resolves against PUBLIC_URL.
    path: `/info?input=${encodeURIComponent(input)}`,
    publicBase: config.publicUrl,
    requestId: c.get("requestId"),
    // Like a render: one quota unit, given back when it fails.
    payer: renderPayer(requester),
  };
  const imageInfo = await runPaidJob(c.env, config, job, () =>
    askOriginsForJson(job, config),
  ).catch((error: unknown) => {
    throw error instanceof NotStarted ? error.refusal : error;
  });
  const json = JSON.stringify(imageInfo);
  await c.env.CACHE.put(infoObjectName(infoKey), json, {
    httpMetadata: { contentType: "application/json" },
  });
  return infoResponse(json, expires);
}

export const infoRoutes = new Hono<EdgeEnv>().get("/info", info).get("/info/*", info);
