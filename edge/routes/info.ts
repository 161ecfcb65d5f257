import { type Context, Hono } from "hono";
import { computeInfoKey, infoObjectName } from "../../shared/cache-key.ts";
import { isImgfloError } from "../../shared/errors.ts";
import { infoInput, splitInfoUrl } from "../../shared/info-request.ts";
import { maxAgeWithin } from "../../shared/url-expiry.ts";
import {
  chargeRender,
  checkImageSources,
  checkSignature,
  refundRender,
  renderPayer,
  urlExpiry,
} from "../access.ts";
import { configOf } from "../config.ts";
import type { EdgeEnv } from "../env.ts";
import { askClusterForJson } from "../origin-cluster.ts";
import { findFailure, recordFailure } from "../result-cache.ts";

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
  const failure = await findFailure(c.env.CACHE, infoKey);
  if (failure && failure.status < 500) throw failure;
  // Like a render: one quota unit, given back when it fails.
  const payer = renderPayer(requester);
  await chargeRender(c.env.DB, payer);
  const job = {
    cacheKey: infoKey,
    // Only the input reaches the origin, and a relative one resolves against PUBLIC_URL.
    path: `/info?input=${encodeURIComponent(input)}`,
    publicBase: config.publicUrl,
    requestId: c.get("requestId"),
  };
  const described = await askClusterForJson(job, config).catch(async (error: unknown) => {
    await refundRender(c.env.DB, payer);
    // Like a failed render: a 4xx is the input's fault and is replayed until it expires.
    if (isImgfloError(error) && error.status >= 400 && error.status < 500) {
      await recordFailure(c.env.CACHE, infoKey, error, config.failureTtlMs);
    }
    throw error;
  });
  const json = JSON.stringify(described);
  await c.env.CACHE.put(infoObjectName(infoKey), json, {
    httpMetadata: { contentType: "application/json" },
  });
  return infoResponse(json, expires);
}

export const infoRoutes = new Hono<EdgeEnv>().get("/info", info).get("/info/*", info);
