import { Hono } from "hono";
import { catalogueJson } from "../catalogue.ts";
import type { EdgeEnv } from "../env.ts";

/** `GET /graphs`: contract §4, from the catalogue bundled at build time. */
export const catalogueRoutes = new Hono<EdgeEnv>().get("/graphs", (c) =>
  c.body(catalogueJson, 200, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "public, max-age=300",
  }),
);
