import { Hono } from "hono";
import { testingUiPage } from "../../build/edge-assets.ts";
import type { ProcessingRequest } from "../../shared/processing-request.ts";
import type { EdgeEnv } from "../app.ts";

/**
 * The testing UI pre-filled from a processing URL: `/?graph=<graph>&format=<ext or empty>&<params>`,
 * the parameters exactly as the client encoded them (key, token and `debug` left out).
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

export const testingUiRoutes = new Hono<EdgeEnv>().get("/", (c) =>
  c.html(testingUiPage, 200, { "cache-control": "no-cache" }),
);
