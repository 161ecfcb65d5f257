import { parseBooleanWord } from "./boolean-words.ts";
import { errors } from "./errors.ts";
import { formatFromExtension, OUTPUT_EXTENSIONS, type RequestedFormat } from "./formats.ts";

export interface Signature {
  key: string;
  token: string;
}

/** The parts of a signed URL (processing or `/info`) its signature covers, split without decoding the query. */
export interface SignedParts {
  signature: Signature | null;
  /** The last path segment exactly as sent, e.g. `gradientmap.jpg`. */
  graphSpec: string;
  /** The query string exactly as sent, with its leading `?`, or "" when there is none. */
  rawSearch: string;
}

/** A processing URL, parsed once at the door; nothing downstream re-parses the URL. */
export interface ProcessingRequest extends SignedParts {
  graph: string;
  /** `<graph>@<version>` pins a published version (0: the built-in file); null: the current one. */
  version: number | null;
  /** From the extension; null means "same as the input" (png for generators), `auto` by Accept. */
  format: RequestedFormat;
  /** Decoded query parameters, `debug` excluded. */
  params: Record<string, string>;
  debug: boolean;
}

/** What a graph may be named: in a URL, a file of `graphs/` or a publish (contract §1, §7). */
export const GRAPH_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PINNED_GRAPH = /^([^@]*)@(0|[1-9][0-9]{0,8})$/;
const ROUTE_PREFIXES = ["graph", "graphs"];

/** A raw URL's path and its query string exactly as sent (with its `?`, or "" when empty). */
export function splitRawUrl(rawUrl: string): { path: string; search: string } {
  const withoutFragment = rawUrl.split("#")[0] ?? "";
  const afterOrigin = withoutFragment.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i, "");
  const queryStart = afterOrigin.indexOf("?");
  if (queryStart < 0) return { path: afterOrigin || "/", search: "" };
  const search = afterOrigin.slice(queryStart);
  return { path: afterOrigin.slice(0, queryStart) || "/", search: search === "?" ? "" : search };
}

export function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw errors.malformedUrl(`${what} is not valid percent-encoding.`);
  }
}

/** Parses a query string (with or without its `?`) into decoded pairs; a repeated name is an error. */
export function parseQuery(rawSearch: string): Record<string, string> {
  const params: Record<string, string> = {};
  const body = rawSearch.startsWith("?") ? rawSearch.slice(1) : rawSearch;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const rawName = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? "" : pair.slice(equals + 1);
    const name = decodeComponent(rawName, `Parameter name "${rawName}"`);
    if (Object.hasOwn(params, name)) {
      throw errors.invalidParameter(name, "is given more than once");
    }
    params[name] = decodeComponent(rawValue, `The value of parameter "${name}"`);
  }
  return params;
}

/** `<graph>` or `<graph>@<version>`. */
function parseGraphName(text: string): { graph: string; version: number | null } {
  const pinned = PINNED_GRAPH.exec(text);
  const graph = pinned ? (pinned[1] as string) : text;
  if (!GRAPH_NAME.test(graph)) {
    throw errors.malformedUrl(
      `"${text}" is not a valid graph name (letters, digits, _ and -, optionally @<version>).`,
    );
  }
  return { graph, version: pinned ? Number(pinned[2]) : null };
}

function parseGraphSpec(graphSpec: string): {
  graph: string;
  version: number | null;
  format: RequestedFormat;
} {
  const decoded = decodeComponent(graphSpec, "The graph name");
  const dot = decoded.lastIndexOf(".");
  const { graph, version } = parseGraphName(dot < 0 ? decoded : decoded.slice(0, dot));
  if (dot < 0) return { graph, version, format: null };
  const extension = decoded.slice(dot + 1);
  const format = formatFromExtension(extension);
  if (!format) {
    throw errors.malformedUrl(
      `Unsupported output format ".${extension}"; use one of ${OUTPUT_EXTENSIONS.join(", ")}.`,
    );
  }
  return { graph, version, format };
}

function isDebugFlag(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "" && parseBooleanWord(value) !== false;
}

/** Whether the query asks for the testing UI; pairs that do not decode count as not asking. */
export function asksForDebug(rawSearch: string): boolean {
  return rawSearch
    .slice(1)
    .split("&")
    .some((pair) => {
      const equals = pair.indexOf("=");
      if (equals < 0 || pair.slice(0, equals) !== "debug") return false;
      try {
        return isDebugFlag(decodeURIComponent(pair.slice(equals + 1)));
      } catch {
        return false;
      }
    });
}

/**
 * Splits `/graph[s]/[<key>/<token>/]<graphspec>?<query>`, checking only the path's shape, so that
 * a signature is verified before any parameter is looked at (a key that does not decode is forged).
 */
export function splitProcessingUrl(rawUrl: string): SignedParts {
  const { path, search } = splitRawUrl(rawUrl);
  const segments = path.split("/").slice(1);
  const [prefix, ...rest] = segments;
  if (!prefix || !ROUTE_PREFIXES.includes(prefix)) {
    throw errors.malformedUrl("A processing URL starts with /graph/.");
  }
  if (rest.length !== 1 && rest.length !== 3) {
    throw errors.malformedUrl(
      "Expected /graph/<graph>[.<ext>] or /graph/<key>/<token>/<graph>[.<ext>].",
    );
  }
  const graphSpec = rest[rest.length - 1] as string;
  if (rest.length === 1) return { signature: null, graphSpec, rawSearch: search };
  const [rawKey, token] = rest as [string, string];
  return { signature: signatureFrom(rawKey, token), graphSpec, rawSearch: search };
}

/**
 * The key and token of a signed URL (processing or `/info`) as sent. A key that does not decode,
 * or an empty key or token, names no application: 403 like any unknown key (contract §2).
 */
export function signatureFrom(rawKey: string, token: string): Signature {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    throw errors.invalidSignature();
  }
  if (!key || !token) throw errors.invalidSignature();
  return { key, token };
}

/**
 * Parses `/graph[s]/<graph>[.<ext>]?…` or `/graph[s]/<key>/<token>/<graph>[.<ext>]?…`.
 * Takes the raw URL text (absolute or path-only) so that the signed parts stay byte-exact.
 */
export function parseProcessingRequest(rawUrl: string): ProcessingRequest {
  const parts = splitProcessingUrl(rawUrl);
  const { graph, version, format } = parseGraphSpec(parts.graphSpec);
  const { debug, ...params } = parseQuery(parts.rawSearch);
  return { ...parts, graph, version, format, params, debug: isDebugFlag(debug) };
}
