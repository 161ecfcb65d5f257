import { Hono } from "hono";
import { errors } from "../../shared/errors.ts";
import type { EdgeEnv } from "../env.ts";

/** `/files/<name>`: the example images, from the Worker's Static Assets. */
export const fileRoutes = new Hono<EdgeEnv>().get("/files/:name", async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  if (asset.status === 404) throw errors.notFound(`The file "${c.req.param("name")}"`);
  const response = new Response(asset.body, asset);
  response.headers.set("cache-control", "public, max-age=86400");
  return response;
});
