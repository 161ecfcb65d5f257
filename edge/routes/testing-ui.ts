import { Hono } from "hono";
import { editorPage, testingUiPage } from "../../build/edge-assets.ts";
import type { EdgeEnv } from "../app.ts";

export const testingUiRoutes = new Hono<EdgeEnv>()
  .get("/", (c) => c.html(testingUiPage, 200, { "cache-control": "no-cache" }))
  .get("/editor", (c) => c.html(editorPage, 200, { "cache-control": "no-cache" }));
