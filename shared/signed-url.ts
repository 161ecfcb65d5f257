import { computeToken } from "./signature.ts";
import { EXPIRES_PARAMETER } from "./url-expiry.ts";

export interface SigningConfig {
  /** Base URL of the server, e.g. `https://img.example.com/`. */
  server: string;
  /** Application key and secret; without them the URL is unsigned. */
  key?: string | undefined;
  secret?: string | undefined;
}

export type UrlParams = Record<string, string | number | boolean>;

/** The input's file extension as the imgflo-url client finds it (its quirks included). */
function inputExtension(input: string): string | undefined {
  // imgflo-url strips 3 characters when "//" is found early and 2 otherwise; only the last segment matters.
  const stripped = input.substring(input.indexOf("//") < 7 ? 3 : 2);
  const lastSegment = stripped.split("/").pop() ?? "";
  const fileName = (lastSegment.split("?")[0] ?? "").split(":")[0] ?? "";
  return fileName.match(/\.(\w+)$/)?.[1]?.toLowerCase();
}

function serialise(params: UrlParams): string {
  const names = Object.keys(params).sort();
  if (names.length === 0) return "";
  return `?${names.map((name) => `${name}=${encodeURIComponent(String(params[name]))}`).join("&")}`;
}

/**
 * Builds a processing URL exactly as the `imgflo-url` npm client does: the output format
 * defaults to the input's extension (tif becomes png, gif turns the request into `noop`),
 * parameters are sorted and `encodeURIComponent`-ed, and the token signs graphspec + query.
 * data: and blob: inputs are returned unchanged, as the client does. One departure: a `.gif`
 * turned into `noop` keeps its `expires` (the client keeps only `input`, and would drop it).
 */
export function buildProcessingUrl(
  config: SigningConfig,
  graph: string,
  params: UrlParams,
  format?: string,
): string {
  const input = params.input === undefined ? undefined : String(params.input);
  if (input?.startsWith("data:") || input?.startsWith("blob:")) return input;

  let chosenFormat =
    format?.toLowerCase() ?? (input === undefined ? undefined : inputExtension(input));
  let chosenGraph = graph;
  let chosenParams = params;
  if (chosenFormat === "tif") chosenFormat = "png";
  if (chosenFormat === "gif" && input !== undefined) {
    chosenGraph = "noop";
    const expires = params[EXPIRES_PARAMETER];
    chosenParams = expires === undefined ? { input } : { input, [EXPIRES_PARAMETER]: expires };
  }
  const graphSpec = chosenFormat ? `${chosenGraph}.${chosenFormat}` : chosenGraph;
  const query = serialise(chosenParams);
  const server = config.server.endsWith("/") ? config.server : `${config.server}/`;
  if (!config.key || !config.secret) return `${server}graph/${graphSpec}${query}`;
  const token = computeToken(graphSpec, query, config.secret);
  return `${server}graph/${config.key}/${token}/${graphSpec}${query}`;
}
