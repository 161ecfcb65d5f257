import { autoVariantOf } from "../shared/formats.ts";
import type { RenderRequest } from "../shared/render-request.ts";
import { maxAgeWithin } from "../shared/url-expiry.ts";

/** Results never change, but a disabled application must lose access within the hour. */
const REDIRECT_MAX_AGE_S = 3600;

/**
 * The headers of a processing URL's 301 to its result. A `.auto` redirect depends on the Accept
 * header. Browsers honour `Vary: Accept`; shared caches often do not (Cloudflare's cache ignores
 * Vary on everything but Polish/Image Resizing images, and would hand the AVIF redirect to a
 * browser that cannot show AVIF), so `private` keeps them out: each browser caches its own
 * answer, and the Worker, which folds Accept into at most three variants, answers everyone else.
 * A URL that expires (`expires`, unix seconds) is not cached past it: it answers 403 from then on.
 */
export function redirectHeaders(
  render: RenderRequest,
  expires: number | null,
): Record<string, string> {
  const maxAge = `max-age=${maxAgeWithin(REDIRECT_MAX_AGE_S, expires, Date.now())}`;
  return autoVariantOf(render.output)
    ? { "cache-control": `private, ${maxAge}`, vary: "Accept" }
    : { "cache-control": `public, ${maxAge}` };
}
