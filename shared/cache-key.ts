import type { OutputChoice, OutputFormat, RequestedFormat } from "./formats.ts";
import { AUTO, extensionOf } from "./formats.ts";
import { imageOptionsKey } from "./image-options.ts";
import { toHex } from "./md5.ts";
import type { ValidatedParams } from "./parameters.ts";

function formatField(format: OutputChoice): string {
  if (format === null) return "same-as-input";
  return typeof format === "string" ? format : `auto:${format.auto}`;
}

function sortedPairs(values: Record<string, string>): [string, string][] {
  return Object.keys(values)
    .sort()
    .map((name) => [name, values[name] as string]);
}

/**
 * The identity of a result: the graph's content hash (not its name: a changed graph renders
 * anew, an earlier version's results are found again), requested format and canonical
 * parameters, and nothing about who asked. Parameter order, percent-encoding variants and
 * defaults spelled out or left implicit all give the same key.
 */
export async function computeCacheKey(
  graphHash: string,
  format: OutputChoice,
  params: ValidatedParams,
): Promise<string> {
  const fields: unknown[] = [
    "imgflo/2",
    graphHash,
    formatField(format),
    params.input,
    params.width,
    params.height,
    sortedPairs(params.values),
  ];
  // Appended only when some option is not its default, so every earlier URL keeps its key.
  const options = imageOptionsKey(params.options);
  if (options.length > 0) fields.push(options);
  // Likewise each image inport's URL, as given (relative ones resolve against PUBLIC_URL alone).
  const images = sortedPairs(params.images);
  if (images.length > 0) fields.push(["images", images]);
  return sha256Hex(JSON.stringify(fields));
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

/** The identity of an `/info` answer: the input URL alone. */
export function computeInfoKey(input: string): Promise<string> {
  return sha256Hex(JSON.stringify(["imgflo-info/1", input]));
}

const CACHE_KEY = /^[0-9a-f]{64}$/;

export function isCacheKey(text: string): boolean {
  return CACHE_KEY.test(text);
}

/** The R2 object holding a rendered result. */
export function resultObjectName(cacheKey: string): string {
  return `results/${cacheKey}`;
}

/** The R2 object holding an `/info` answer (JSON). */
export function infoObjectName(infoKey: string): string {
  return `info/${infoKey}`;
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
 * parameters with defaults, image options that are not their defaults): what the edge
 * forwards, so nothing outside the key reaches an origin. `.auto` stays `.auto`: the edge sends
 * the folded Accept variant with it.
 */
export function canonicalPath(
  graph: string,
  format: RequestedFormat,
  params: ValidatedParams,
): string {
  const pairs: [string, string][] = [];
  if (params.input !== null) pairs.push(["input", params.input]);
  if (params.width !== null) pairs.push(["width", String(params.width)]);
  if (params.height !== null) pairs.push(["height", String(params.height)]);
  pairs.push(...sortedPairs({ ...params.values, ...params.images }));
  for (const [name, value] of imageOptionsKey(params.options)) pairs.push([name, String(value)]);
  // encodeURIComponent leaves '()*!~ bare as clients do, so the path is no longer than theirs.
  const search = pairs
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
  const extension = format === AUTO ? AUTO : format && extensionOf(format);
  const graphSpec = extension ? `${graph}.${extension}` : graph;
  return `/graph/${graphSpec}${search ? `?${search}` : ""}`;
}
