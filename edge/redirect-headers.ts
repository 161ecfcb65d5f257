import { autoVariantOf } from "../shared/formats.ts";
import type { RenderRequest } from "../shared/render-request.ts";

/** Results never change, but a disabled application must lose access within the hour. */
const SHARED_REDIRECT = "public, max-age=3600";

/**
 * A `.auto` redirect depends on the Accept header. Browsers honour `Vary: Accept`; shared caches
 * often do not (Cloudflare's cache ignores Vary on everything but Polish/Image Resizing images,
 * and would hand the AVIF redirect to a browser that cannot show AVIF), so `private` keeps them
 * out: each browser caches its own answer, and the Worker, which folds Accept into at most three
 * variants, answers everyone else.
 */
const PER_CLIENT_REDIRECT = "private, max-age=3600";

/** The headers of a processing URL's 301 to its result. */
export function redirectHeaders(render: RenderRequest): Record<string, string> {
  return autoVariantOf(render.output)
    ? { "cache-control": PER_CLIENT_REDIRECT, vary: "Accept" }
    : { "cache-control": SHARED_REDIRECT };
}
