import type { GraphHistoryDocument, GraphVersionRef } from "../../edge/graph-publishing.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";

export type { GraphHistoryDocument, GraphVersionRef };

/** A publish's answer: `created` false when the edge already served this content. */
export interface PublishOutcome extends GraphVersionRef {
  created: boolean;
}

/** An answer of the admin API other than 2xx, with the sentence of its JSON error. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** 401 or 403: the token is missing, wrong, or the edge has none. */
  get refusedToken(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

const STORAGE_KEY = "imgflo-editor-admin-token";

/** The edge's ADMIN_TOKEN: from the page's `#…&token=…` (npm start prints it), else as last used. */
export function adminToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  if (token) rememberAdminToken(token);
  return token || localStorage.getItem(STORAGE_KEY) || null;
}

export function rememberAdminToken(token: string): void {
  localStorage.setItem(STORAGE_KEY, token);
}

export function forgetAdminToken(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/**
 * One request to the admin API of the edge that served this page: a relative URL, so the token
 * goes to that edge and nowhere else.
 */
async function admin(
  token: string,
  method: string,
  path: string,
  body?: { type: string; text: string },
): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body) headers["content-type"] = body.type;
  const response = await fetch(`/admin/graphs/${path}`, {
    method,
    headers,
    ...(body ? { body: body.text } : {}),
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (json ?? {}) as { error?: unknown; code?: unknown };
    throw new AdminApiError(
      response.status,
      String(error.code ?? ""),
      typeof error.error === "string"
        ? error.error
        : `The edge answered ${response.status} to ${method} /admin/graphs/${path}.`,
    );
  }
  return { status: response.status, json };
}

/** PUT /admin/graphs/<name>: 201 for a new version, 200 when the content is unchanged. */
export async function publishGraph(
  token: string,
  name: string,
  graph: FbpGraph,
  note: string,
): Promise<PublishOutcome> {
  const query = note ? `?${new URLSearchParams({ note })}` : "";
  const { status, json } = await admin(token, "PUT", `${encodeURIComponent(name)}${query}`, {
    type: "application/json",
    text: JSON.stringify(graph),
  });
  return { ...(json as GraphVersionRef), created: status === 201 };
}

/** GET /admin/graphs/<name>/versions; null for a name with neither a file nor a published version. */
export async function graphVersions(
  token: string,
  name: string,
): Promise<GraphHistoryDocument | null> {
  try {
    const { json } = await admin(token, "GET", `${encodeURIComponent(name)}/versions`);
    return json as GraphHistoryDocument;
  } catch (error) {
    if (error instanceof AdminApiError && error.code === "unknown-graph") return null;
    throw error;
  }
}

/** POST /admin/graphs/<name>/rollback: the edge serves that version again. */
export async function rollBackGraph(
  token: string,
  name: string,
  version: number,
): Promise<GraphVersionRef> {
  const { json } = await admin(token, "POST", `${encodeURIComponent(name)}/rollback`, {
    type: "application/json",
    text: JSON.stringify({ version }),
  });
  return json as GraphVersionRef;
}
