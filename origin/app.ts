import { Hono } from "hono";
import { errorResponse, errors } from "../shared/errors.ts";
import { requestIds } from "../shared/request-id.ts";
import { constantTimeEqual } from "../shared/signature.ts";
import { type OriginEnv, observeRequests } from "./request-observer.ts";
import { graphCheckRoutes } from "./routes/graph-check.ts";
import { infoRoutes } from "./routes/info.ts";
import { pageRoutes } from "./routes/pages.ts";
import { processingRoutes } from "./routes/processing.ts";
import type { OriginServices } from "./services.ts";

function healthDocument(services: OriginServices) {
  const { counters, ...queue } = services.queue.stats();
  const workers = { ...services.pool.stats(), geglThreads: services.config.geglThreads };
  return { status: "ok", queue, downloads: services.fetcher.stats(), workers, counters };
}

/** The origin's HTTP interface: renders, catalogue, versions, health, metrics, the bundled examples, the testing UI and the editor. */
export function createApp(services: OriginServices): Hono<OriginEnv> {
  const { config, metrics } = services;
  const app = new Hono<OriginEnv>();

  // Failures are logged with their cause by observeRequests, once per request.
  app.onError((error, c) => errorResponse(error, c.get("requestId")));
  app.notFound((c) =>
    errorResponse(
      c.req.method === "GET" || c.req.method === "HEAD"
        ? errors.notFound(`The path ${new URL(c.req.url).pathname}`)
        : errors.methodNotAllowed(c.req.method),
      c.get("requestId"),
    ),
  );

  app.use("*", requestIds(), observeRequests(services.logger, metrics));
  app.get("/healthz", (c) => c.json(healthDocument(services)));

  app.use("*", async (c, next) => {
    const expected = config.originSecret === null ? null : `Bearer ${config.originSecret}`;
    if (expected !== null && !constantTimeEqual(c.req.header("authorization") ?? "", expected)) {
      throw errors.unauthorized();
    }
    await next();
  });

  app.get("/metrics", () => metrics.response());
  pageRoutes(app, services);
  infoRoutes(app, services);
  processingRoutes(app, services);
  graphCheckRoutes(app, services);
  return app;
}
