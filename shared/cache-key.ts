import type { OutputFormat } from "./formats.ts";
import { extensionOf } from "./formats.ts";
import { toHex } from "./md5.ts";
import type { ValidatedParams } from "./parameters.ts";

/**
 * The identity of a result: graph, requested format and canonical parameters, and nothing
 * about who asked. Parameter order, percent-encoding variants and defaults spelled out or
 * left implicit all give the same key.
 */
export async function computeCacheKey(
  graph: string,
  format: OutputFormat | null,
  params: ValidatedParams,
): Promise<string> {
  const canonical = JSON.stringify([
    "imgflo/1",
    graph,
    format ?? "same-as-input",
    params.input,
    params.width,
    params.height,
    Object.keys(params.values)
      .sort()
      .map((name) => [name, params.values[name]]),
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical));
  return toHex(new Uint8Array(digest));
}

const CACHE_KEY = /^[0-9a-f]{64}$/;

export function isCacheKey(text: string): boolean {
  return CACHE_KEY.test(text);
}

/** The R2 object holding a rendered result. */
export function resultObjectName(cacheKey: string): string {
  return `results/${cacheKey}`;
}

/** The R2 object recording a failed render (a 4xx), replayed until it expires. */
export function failureObjectName(cacheKey: string): string {
  return `failures/${cacheKey}`;
}

/** The public path of a cached result on the edge. */
export function cachePath(cacheKey: string, format: OutputFormat): string {
  return `/cache/${cacheKey}.${extensionOf(format)}`;
}

/**
 * The processing path holding exactly what the cache key holds (graph, format, canonical
 * parameters with defaults): what the edge forwards, so nothing outside the key reaches an origin.
 */
export function canonicalPath(
  graph: string,
  format: OutputFormat | null,
  params: ValidatedParams,
): string {
  const pairs: [string, string][] = [];
  if (params.input !== null) pairs.push(["input", params.input]);
  if (params.width !== null) pairs.push(["width", String(params.width)]);
  if (params.height !== null) pairs.push(["height", String(params.height)]);
  for (const name of Object.keys(params.values).sort()) {
    pairs.push([name, params.values[name] as string]);
  }
  // encodeURIComponent leaves '()*!~ bare as clients do, so the path is no longer than theirs.
  const search = pairs
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
  const graphSpec = format ? `${graph}.${extensionOf(format)}` : graph;
  return `/graph/${graphSpec}${search ? `?${search}` : ""}`;
}
