import type {
  GraphHistoryDocument,
  GraphVersionRef,
  removeGraph as removeGraphOnEdge,
} from "../edge/graph-publishing.ts";
import type { PurgeSelector } from "../edge/result-purge.ts";
import type { CatalogueDocument } from "../shared/catalogue.ts";
import { UsageError } from "./arguments.ts";

/** An edge and the token for its admin API (contract §7). */
export interface AdminServer {
  /** The edge's base URL, ending in a slash: paths resolve below it. */
  url: URL;
  /** ADMIN_TOKEN; without one the edge answers 401, which is the sentence the user sees. */
  token: string | undefined;
}

export const DEFAULT_SERVER = "http://localhost:8787/";

/** A publish validates the graph on an origin, a render included: allow for a slow one. */
const TIMEOUT_MS = 120_000;

/** `--server` (env IMGFLO_SERVER) and `--token` (env IMGFLO_ADMIN_TOKEN), as every admin command takes them. */
export function adminServer(
  options: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
): AdminServer {
  const text = options.server ?? env.IMGFLO_SERVER ?? DEFAULT_SERVER;
  let url: URL | null = null;
  try {
    url = new URL(text.endsWith("/") ? text : `${text}/`);
  } catch {}
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`The server "${text}" is not an http(s) URL.`);
  }
  const token = options.token ?? env.IMGFLO_ADMIN_TOKEN;
  return { url, token: token === "" ? undefined : token };
}

interface AdminRequest {
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** Relative to the server's URL, without a leading slash. */
  path: string;
  body?: { contentType: string; text: string };
}

/** Why the server could not be asked: a sentence naming it. */
function unreachable(server: AdminServer, error: unknown): string {
  if ((error as Error).name === "TimeoutError") {
    return `The server at ${server.url.href} did not answer within ${TIMEOUT_MS / 1000} s.`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why =
    cause?.code === "ECONNREFUSED"
      ? "connection refused"
      : cause?.code === "ENOTFOUND"
        ? "no such host"
        : (cause?.message ?? (error as Error).message);
  return `Could not reach the server at ${server.url.href} (${why}); give its address with --server or IMGFLO_SERVER.`;
}

/** The server's own sentence and its status (contract §5's `{error, code, requestId}`). */
function refusal(server: AdminServer, response: Response, body: unknown): string {
  const { error, code, requestId } = (body ?? {}) as Record<string, unknown>;
  if (typeof error !== "string") {
    return `The server at ${server.url.href} answered ${response.status} ${response.statusText}.`;
  }
  const request = typeof requestId === "string" ? `, request ${requestId}` : "";
  return `${error} (${response.status} ${String(code)}${request})`;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One request to the edge; resolves to its JSON answer, or throws an Error whose message is the sentence to print. */
async function ask(server: AdminServer, request: AdminRequest): Promise<unknown> {
  const headers = new Headers({ accept: "application/json" });
  if (server.token !== undefined) headers.set("authorization", `Bearer ${server.token}`);
  if (request.body) headers.set("content-type", request.body.contentType);
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL(request.path, server.url), {
      method: request.method,
      headers,
      body: request.body?.text,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new Error(unreachable(server, error));
  }
  const body = parsedJson(text);
  if (!response.ok) throw new Error(refusal(server, response, body));
  if (body === undefined) {
    throw new Error(`The server at ${server.url.href} answered ${response.status} without JSON.`);
  }
  return body;
}

const json = (value: unknown) => ({ contentType: "application/json", text: JSON.stringify(value) });
const graphPath = (name: string) => `admin/graphs/${encodeURIComponent(name)}`;

/** A graph's source as sent: FBP JSON (`application/json`) or the `.fbp` DSL (`text/plain`). */
export interface GraphSource {
  contentType: "application/json" | "text/plain";
  text: string;
}

export function publishGraph(
  server: AdminServer,
  name: string,
  source: GraphSource,
  note: string,
): Promise<GraphVersionRef> {
  const query = note === "" ? "" : `?note=${encodeURIComponent(note)}`;
  return ask(server, {
    method: "PUT",
    path: `${graphPath(name)}${query}`,
    body: source,
  }) as Promise<GraphVersionRef>;
}

export function graphHistory(server: AdminServer, name: string): Promise<GraphHistoryDocument> {
  return ask(server, {
    method: "GET",
    path: `${graphPath(name)}/versions`,
  }) as Promise<GraphHistoryDocument>;
}

export function rollBackGraph(
  server: AdminServer,
  name: string,
  version: number,
): Promise<GraphVersionRef> {
  return ask(server, {
    method: "POST",
    path: `${graphPath(name)}/rollback`,
    body: json({ version }),
  }) as Promise<GraphVersionRef>;
}

export function removeGraph(
  server: AdminServer,
  name: string,
): ReturnType<typeof removeGraphOnEdge> {
  return ask(server, { method: "DELETE", path: graphPath(name) }) as ReturnType<
    typeof removeGraphOnEdge
  >;
}

/** The public `GET /graphs`: every graph served, built-in or published; it is sent no token. */
export function catalogue(server: AdminServer): Promise<CatalogueDocument> {
  return ask(
    { ...server, token: undefined },
    {
      method: "GET",
      path: "graphs",
    },
  ) as Promise<CatalogueDocument>;
}

/** Contract §7: every result of an input, of a graph, or one result, out of R2 and the caches. */
export function purgeResults(
  server: AdminServer,
  selector: PurgeSelector,
): Promise<{ purged: number }> {
  return ask(server, { method: "POST", path: "admin/purge", body: json(selector) }) as Promise<{
    purged: number;
  }>;
}
