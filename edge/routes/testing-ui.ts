import { Hono } from "hono";
import { testingUiPage } from "../../build/edge-assets.ts";
import type { EdgeEnv } from "../app.ts";

export const testingUiRoutes = new Hono<EdgeEnv>().get("/", (c) =>
  c.html(testingUiPage, 200, { "cache-control": "no-cache" }),
);
