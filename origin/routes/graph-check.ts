import type { Hono } from "hono";
import { asInvalidGraph } from "../../shared/catalogue.ts";
import { parseGraphSource } from "../../shared/graph-source.ts";
import { readGraphText } from "../../shared/render-graph.ts";
import { trialRender } from "../catalogue-check.ts";
import { sentCatalogueGraph } from "../compile/compiled-graphs.ts";
import type { OriginEnv } from "../request-observer.ts";
import type { OriginServices } from "../services.ts";

/**
 * A graph about to be published (contract §7), as FBP JSON or `.fbp` text: parsed, compiled
 * against this GEGL and rendered once with its defaults; answers its parsed definition and
 * hash, or 400 `invalid-graph` naming the culprit.
 */
export function graphCheckRoutes(app: Hono<OriginEnv>, services: OriginServices): void {
  app.post("/graph-check/:name", async (c) => {
    const name = c.req.param("name");
    const kind = (c.req.header("content-type") ?? "").startsWith("text/plain") ? "fbp" : "json";
    const text = await readGraphText(c.req.raw);
    try {
      const graph = sentCatalogueGraph(parseGraphSource({ name, kind, text }));
      const compiled = services.graphs.compile(graph);
      const { renderTimeoutMs, operationSwaps } = services.config;
      await trialRender(graph, compiled, services.pool, renderTimeoutMs, operationSwaps);
      return c.json({ name, hash: graph.hash, definition: graph.definition });
    } catch (error) {
      throw asInvalidGraph(error);
    }
  });
}
