import { errors } from "./errors.ts";
import { decodeComponent } from "./processing-request.ts";

/**
 * `expires=<unix seconds>` (contract §2): the end of a signed URL's validity, covered by its
 * token like any other parameter. It is no graph's inport (the catalogue reserves it), so it is
 * never part of a cache key nor of what the edge forwards.
 */
export const EXPIRES_PARAMETER = "expires";

const UNIX_SECONDS = /^\d{1,12}$/;

function isExpiresName(rawName: string): boolean {
  if (rawName === EXPIRES_PARAMETER) return true;
  return (
    rawName.includes("%") && decodeComponent(rawName, "A parameter name") === EXPIRES_PARAMETER
  );
}

/**
 * The `expires` of a raw query string (with its `?`), null without one. Looks at that parameter
 * only; 400 naming it when it is not a whole number of seconds or is given twice.
 */
export function expiresOf(rawSearch: string): number | null {
  let expires: number | null = null;
  for (const pair of rawSearch.slice(1).split("&")) {
    const equals = pair.indexOf("=");
    if (!isExpiresName(equals < 0 ? pair : pair.slice(0, equals))) continue;
    if (expires !== null)
      throw errors.invalidParameter(EXPIRES_PARAMETER, "is given more than once");
    const value = decodeComponent(equals < 0 ? "" : pair.slice(equals + 1), "The expiry");
    if (!UNIX_SECONDS.test(value)) {
      throw errors.invalidParameter(
        EXPIRES_PARAMETER,
        `must be a time in Unix seconds, a whole number (got "${value}")`,
      );
    }
    expires = Number(value);
  }
  return expires;
}

/** 403 `expired` past the instant `expires` names. */
export function checkNotExpired(expires: number | null, nowMs: number): void {
  if (expires !== null && nowMs > expires * 1000) throw errors.expired(expires);
}

/** A cache lifetime that ends no later than the URL: `maxAgeSeconds`, or the whole seconds left. */
export function maxAgeWithin(maxAgeSeconds: number, expires: number | null, nowMs: number): number {
  if (expires === null) return maxAgeSeconds;
  return Math.max(0, Math.min(maxAgeSeconds, Math.floor((expires * 1000 - nowMs) / 1000)));
}

/** The `expires` value of a URL valid for `seconds` from `nowMs`. */
export function expiresIn(seconds: number, nowMs: number): number {
  return Math.floor(nowMs / 1000) + seconds;
}
