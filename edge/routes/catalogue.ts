import { Hono } from "hono";
import type { EdgeEnv } from "../env.ts";
import { liveCatalogue } from "../graph-catalogue.ts";

/** `GET /graphs`: contract §4 and §7, built-in and published graphs with version and hash. */
export const catalogueRoutes = new Hono<EdgeEnv>().get("/graphs", async (c) =>
  c.body((await liveCatalogue(c.env.DB)).document, 200, {
    "content-type": "application/json; charset=utf-8",
    // A publish shows within the isolates' 30 s; clients revalidate rather than keep an old list.
    "cache-control": "no-cache",
  }),
);
