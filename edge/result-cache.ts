import { cachePath, failureObjectName, resultObjectName } from "../shared/cache-key.ts";
import { errorBody, errorFromBody, type ImgfloError } from "../shared/errors.ts";
import { contentTypeOf, isOutputFormat, type OutputFormat } from "../shared/formats.ts";
import type { EdgeConfig } from "./config.ts";
import { IsolateCache } from "./isolate-cache.ts";
import type { OriginImage } from "./origin-types.ts";

/** A rendered result stored in R2: found by its cache key, served in its format. */
export interface CachedResult {
  cacheKey: string;
  format: OutputFormat;
}

export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Results this isolate saw in R2 recently. Results never change, so a hit repeated within a
 * minute skips the R2 lookup; an object deleted by hand is still redirected to for that minute.
 */
const known = new IsolateCache<OutputFormat>(60_000, 10_000);

/** After a purge: this isolate looks in R2 again (others within the minute). */
export function forgetResult(cacheKey: string): void {
  known.delete(cacheKey);
}

export async function findResult(bucket: R2Bucket, cacheKey: string): Promise<CachedResult | null> {
  const seen = known.get(cacheKey);
  if (seen) return { cacheKey, format: seen };
  const object = await bucket.head(resultObjectName(cacheKey));
  const format = object?.customMetadata?.format;
  return format && isOutputFormat(format)
    ? { cacheKey, format: known.set(cacheKey, format) }
    : null;
}

/**
 * Streams a rendered result into R2 and clears any recorded failure. R2 stores a stream of
 * known length in one piece: if the body ends early or errors, the put fails and no object
 * (and so no result) appears. The isolate holds only the chunks in transit, whatever the size.
 * The render's `Server-Timing` is kept with the result, so /cache/ can show it.
 */
export async function storeResult(
  bucket: R2Bucket,
  cacheKey: string,
  rendered: OriginImage,
): Promise<CachedResult> {
  const { format, serverTiming } = rendered;
  const sized = new FixedLengthStream(rendered.length);
  await Promise.all([
    rendered.body.pipeTo(sized.writable),
    bucket.put(resultObjectName(cacheKey), sized.readable, {
      httpMetadata: { contentType: contentTypeOf(format), cacheControl: IMMUTABLE },
      customMetadata: serverTiming ? { format, serverTiming } : { format },
    }),
  ]);
  await bucket.delete(failureObjectName(cacheKey));
  return { cacheKey, format: known.set(cacheKey, format) };
}

/** Where a result is served: the public bucket when configured, else /cache/<key>.<ext> here. */
export function resultLocation(config: EdgeConfig, result: CachedResult): string {
  return config.r2PublicUrl
    ? `${config.r2PublicUrl}/${resultObjectName(result.cacheKey)}`
    : cachePath(result.cacheKey, result.format);
}

export async function recordFailure(
  bucket: R2Bucket,
  cacheKey: string,
  error: ImgfloError,
  ttlMs: number,
): Promise<void> {
  await bucket.put(failureObjectName(cacheKey), JSON.stringify(errorBody(error)), {
    httpMetadata: { contentType: "application/json" },
    customMetadata: { status: String(error.status), expires: String(Date.now() + ttlMs) },
  });
}

/** The recorded failure for a cache key, until it expires. */
export async function findFailure(bucket: R2Bucket, cacheKey: string): Promise<ImgfloError | null> {
  const object = await bucket.get(failureObjectName(cacheKey));
  if (!object) return null;
  const expires = Number(object.customMetadata?.expires);
  if (!(expires > Date.now())) return null;
  return errorFromBody(Number(object.customMetadata?.status), await object.json());
}
