import type { ProcessingRequest } from "./processing-request.ts";

/**
 * Where a `debug=1` processing URL sends the browser: the testing UI pre-filled,
 * `/?graph=<graph>&format=<ext or empty>&<params>`, the parameters exactly as the client encoded
 * them (key, token and `debug` left out).
 */
export function testingUiLocation(request: ProcessingRequest): string {
  const dot = request.graphSpec.lastIndexOf(".");
  const format = dot < 0 ? "" : request.graphSpec.slice(dot + 1);
  const params = request.rawSearch
    .slice(1)
    .split("&")
    .filter((pair) => pair !== "" && pair.split("=")[0] !== "debug");
  const prefilled = new URLSearchParams({ graph: request.graph, format }).toString();
  return `/?${[prefilled, ...params].join("&")}`;
}
