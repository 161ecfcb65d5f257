import { type Context, Hono } from "hono";
import { isCacheKey, resultObjectName } from "../../shared/cache-key.ts";
import { errorResponse, errors } from "../../shared/errors.ts";
import { extensionOf, isOutputFormat } from "../../shared/formats.ts";
import type { EdgeEnv } from "../env.ts";
import { IsolateCache } from "../isolate-cache.ts";
import { findFailure, IMMUTABLE } from "../result-cache.ts";

/** The Workers Cache API cache `/cache/` answers are kept in, by request URL. */
export const EDGE_CACHE = "results";
const CACHE_FILE = /^([0-9a-f]{64})\.([a-z]+)$/;
const MAX_HOT_BYTES = 256 * 1024;
const NO_SNIFFING = "x-content-type-options";

/** A result held in full: small enough to keep in the isolate's memory. */
interface HotResult {
  bytes: ArrayBuffer;
  contentType: string;
  etag: string;
  /** The steps of the render that produced it (`Server-Timing`), when known. */
  serverTiming: string | null;
}

/** Small results served recently by this isolate (at most 64 × 256 KiB): hot images skip even the Cache API. */
const hotResults = new IsolateCache<HotResult>(10 * 60_000, 64);

/** After a purge: this isolate no longer answers the file from memory (others within 10 minutes). */
export function forgetHotResult(file: string): void {
  hotResults.delete(file);
}

function headersOf(contentType: string, etag: string, serverTiming: string | null): Headers {
  const headers = new Headers({
    "content-type": contentType,
    etag,
    "cache-control": IMMUTABLE,
    [NO_SNIFFING]: "nosniff",
  });
  if (serverTiming) headers.set("server-timing", serverTiming);
  return headers;
}

function listsTag(header: string, etag: string, weakToo: boolean): boolean {
  return header
    .split(/\s*,\s*/)
    .some((tag) => tag === "*" || tag === etag || (weakToo && tag === `W/${etag}`));
}

/** RFC 9110 §13.2.2: a failed If-Match is 412, a matching If-None-Match 304; null when the body is due. */
function conditionalAnswer(c: Context<EdgeEnv>, etag: string): Response | null {
  const ifMatch = c.req.header("if-match");
  if (ifMatch !== undefined && !listsTag(ifMatch, etag, false)) {
    return errorResponse(errors.preconditionFailed(), c.get("requestId"));
  }
  const ifNoneMatch = c.req.header("if-none-match");
  if (ifNoneMatch === undefined || !listsTag(ifNoneMatch, etag, true)) return null;
  const headers = new Headers({ etag, "cache-control": IMMUTABLE, [NO_SNIFFING]: "nosniff" });
  return new Response(null, { status: 304, headers });
}

function respond(c: Context<EdgeEnv>, result: HotResult): Response {
  return (
    conditionalAnswer(c, result.etag) ??
    new Response(result.bytes, {
      headers: headersOf(result.contentType, result.etag, result.serverTiming),
    })
  );
}

/** Keeps a small complete answer in memory; resolves to a response that can still be sent. */
async function keepIfSmall(
  c: Context<EdgeEnv>,
  response: Response,
  file: string,
): Promise<Response> {
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  const etag = response.headers.get("etag");
  if (response.status !== 200 || !(length <= MAX_HOT_BYTES) || !etag) return response;
  const contentType = response.headers.get("content-type") ?? "application/octet-stream";
  const serverTiming = response.headers.get("server-timing");
  const bytes = await response.arrayBuffer();
  return respond(c, hotResults.set(file, { bytes, contentType, etag, serverTiming }));
}

/** The stored object when the file name is `<key>.<its format's extension>`. */
async function readResult(
  c: Context<EdgeEnv>,
  cacheKey: string,
  extension: string,
): Promise<R2Object | R2ObjectBody | null> {
  const object = await c.env.CACHE.get(resultObjectName(cacheKey), { onlyIf: c.req.raw.headers });
  const format = object?.customMetadata?.format;
  return object && format && isOutputFormat(format) && extensionOf(format) === extension
    ? object
    : null;
}

/** `/cache/<key>.<ext>`: the result's bytes, immutable; memory, then the Workers Cache API, then R2. */
async function cachedResult(c: Context<EdgeEnv>): Promise<Response> {
  const file = c.req.param("file") ?? "";
  const match = CACHE_FILE.exec(file);
  if (!match || !isCacheKey(match[1] as string)) throw errors.notFound("This cached result");
  const [, cacheKey, extension] = match as unknown as [string, string, string];

  const hot = hotResults.get(file);
  if (hot) return respond(c, hot);
  const cacheable = c.req.raw.method === "GET";
  const edgeCache = await caches.open(EDGE_CACHE);
  // Looked up by URL alone: the preconditions are answered here, the same way for every source.
  const hit = cacheable ? await edgeCache.match(c.req.url) : undefined;
  if (hit) {
    const answer = conditionalAnswer(c, hit.headers.get("etag") ?? "");
    if (!answer) return keepIfSmall(c, hit, file);
    await hit.body?.cancel();
    return answer;
  }

  const object = await readResult(c, cacheKey, extension);
  if (!object) {
    // A pre-warm job that kept failing left its error where the 202 pointed.
    throw (await findFailure(c.env.CACHE, cacheKey)) ?? errors.notFound("This cached result");
  }
  const headers = headersOf(
    object.httpMetadata?.contentType ?? "application/octet-stream",
    object.httpEtag,
    object.customMetadata?.serverTiming ?? null,
  );
  // R2 leaves the body out when a precondition holds against it (onlyIf).
  if (!("body" in object)) {
    return conditionalAnswer(c, object.httpEtag) ?? new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(object.size));
  const response = new Response(object.body, { headers });
  if (cacheable) c.executionCtx.waitUntil(edgeCache.put(c.req.url, response.clone()));
  return response;
}

/**
 * Stored bytes are served as their recorded type only: browsers must not sniff another. Results
 * and 304s carry the header from the start (no copy of the response on a hit); this adds it to
 * the rest (errors, Workers Cache entries stored before it did).
 */
async function noSniffing(c: Context<EdgeEnv>, next: () => Promise<void>): Promise<void> {
  await next();
  if (!c.res.headers.has(NO_SNIFFING)) c.header(NO_SNIFFING, "nosniff");
}

export const cacheRoutes = new Hono<EdgeEnv>()
  .use("/cache/*", noSniffing)
  .get("/cache/:file", cachedResult);
