import { type Context, Hono } from "hono";
import type { EdgeEnv } from "../env.ts";

/** A page of the Worker's Static Assets, always revalidated (it changes with each deploy). */
async function page(c: Context<EdgeEnv>, path: string): Promise<Response> {
  const asset = await c.env.ASSETS.fetch(new URL(path, c.req.url));
  const response = new Response(asset.body, asset);
  response.headers.set("cache-control", "no-cache");
  return response;
}

/** `/`: the testing UI; `/editor`: the graph editor. */
export const testingUiRoutes = new Hono<EdgeEnv>()
  .get("/", (c) => page(c, "/"))
  .get("/editor", (c) => page(c, "/editor"));
