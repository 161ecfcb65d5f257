import { Hono } from "hono";
import { exampleFiles } from "../../build/edge-assets.ts";
import { errors } from "../../shared/errors.ts";
import type { EdgeEnv } from "../app.ts";

/** `/files/<name>`: the example images bundled with the Worker. */
export const fileRoutes = new Hono<EdgeEnv>().get("/files/:name", (c) => {
  const name = c.req.param("name");
  const file = Object.hasOwn(exampleFiles, name) ? exampleFiles[name] : undefined;
  if (!file) throw errors.notFound(`The file "${name}"`);
  return c.body(file.data, 200, {
    "content-type": file.contentType,
    "cache-control": "public, max-age=86400",
  });
});
