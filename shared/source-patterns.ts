import { errors } from "./errors.ts";
import { resolveInputUrl } from "./parameters.ts";

/**
 * Allowed sources (contract §2). A pattern is an http(s) origin written out in full (no `*`, no
 * user name) and a path, e.g. `https://cdn.example.com/images/*`. A URL matches when its origin is
 * the pattern's and its path and query (`pathname + search` of `new URL`) match the pattern's path,
 * where `*` stands for any run of characters, none included and `/`, `?`, `&` too; every other
 * character stands for itself. So `https://cdn.example.com/*` takes every image of that origin and
 * nothing of `https://cdn.example.com.evil.com/` or `http://cdn.example.com/`.
 */
const PATTERN = /^https?:\/\/[^/\\?#*@]+\/[^#]*$/i;

/**
 * A pattern in the form matched against: origin and path as `new URL` writes them (host in lower
 * case, default port dropped, characters percent-encoded as in the URLs it is compared with).
 * Throws an Error saying why for anything else.
 */
export function canonicalSourcePattern(text: string): string {
  if (!PATTERN.test(text) || !URL.canParse(text)) {
    throw new Error(
      `"${text}" is not a source pattern: an http(s) origin without "*" or user name, then a path such as /images/* ("*" stands for any characters).`,
    );
  }
  const url = new URL(text);
  return `${url.origin}${url.pathname}${url.search}`;
}

/** Whether `text` matches `pattern`, where `*` stands for any run of characters (greedy, O(n·m), no backtracking blow-up). */
function wildcardMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** Whether a resolved URL matches a canonical pattern (see canonicalSourcePattern). */
export function sourceMatches(url: URL, pattern: string): boolean {
  const pathStart = pattern.indexOf("/", pattern.indexOf("//") + 2);
  if (pathStart < 0 || url.origin !== pattern.slice(0, pathStart)) return false;
  return wildcardMatch(`${url.pathname}${url.search}`, pattern.slice(pathStart));
}

/**
 * 403 `source-not-allowed` unless every image URL matches one of the patterns (null: any source).
 * Relative URLs (`files/…`, a chained `graph/…`) are checked by what they resolve to against
 * `publicUrl`, the base every fetch of them uses.
 */
export function checkSources(
  urls: readonly string[],
  patterns: readonly string[] | null,
  publicUrl: string,
): void {
  if (patterns === null) return;
  for (const url of urls) {
    const resolved = resolveInputUrl(url, publicUrl);
    if (!patterns.some((pattern) => sourceMatches(resolved, pattern))) {
      throw errors.sourceNotAllowed(resolved.href);
    }
  }
}
