import type { UrlParams } from "../shared/signed-url.ts";
import { formatChoice } from "./form-state.ts";

/** What the page's own query asks for, as `debug=1` redirects and shared page links write it. */
export interface PageQuery {
  graph: string | null;
  /** An output extension, or "" for the input's own format. */
  format: string;
  /** Every other parameter, decoded (`input`, `width`, `height` and the graph's own). */
  params: Record<string, string>;
}

const NOT_PARAMS = ["graph", "format", "debug"];

export function parsePageQuery(search: string): PageQuery {
  const query = new URLSearchParams(search);
  const params: Record<string, string> = {};
  for (const [name, value] of query) {
    if (!NOT_PARAMS.includes(name)) params[name] = value;
  }
  return { graph: query.get("graph"), format: formatChoice(query.get("format") ?? ""), params };
}

/** The page query that reopens the form as it is: the same shape `debug=1` redirects to. */
export function pageSearch(graph: string, format: string, params: UrlParams): string {
  const query = new URLSearchParams({ graph, format });
  for (const [name, value] of Object.entries(params)) query.set(name, String(value));
  return `?${query}`;
}
