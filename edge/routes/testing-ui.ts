import { Hono } from "hono";
import type { EdgeEnv } from "../app.ts";

/** `/`: the testing UI page, from the Worker's Static Assets. */
export const testingUiRoutes = new Hono<EdgeEnv>().get("/", async (c) => {
  const page = await c.env.ASSETS.fetch(new URL("/", c.req.url));
  const response = new Response(page.body, page);
  response.headers.set("cache-control", "no-cache");
  return response;
});
