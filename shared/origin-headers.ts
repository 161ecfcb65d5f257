/** Headers of the edge → origin exchange, beside `Authorization: Bearer <ORIGIN_SECRET>`. */

/** Sent by the edge: its public base URL, against which the origin resolves relative inputs. */
export const PUBLIC_BASE_HEADER = "x-imgflo-public-base";

/** Sent back by the origin: the cache key of what it rendered. */
export const CACHE_KEY_HEADER = "x-imgflo-cache-key";

/** Sent back by the origin, as "1", when the request joined a render already in flight for its key. */
export const SHARED_RENDER_HEADER = "x-imgflo-shared-render";
