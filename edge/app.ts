import { Hono } from "hono";
import { errorResponse, errors } from "../shared/errors.ts";
import { requestIds } from "../shared/request-id.ts";
import type { EdgeEnv } from "./env.ts";
import { observeRequests } from "./request-observer.ts";
import { adminRoutes } from "./routes/admin.ts";
import { cacheRoutes } from "./routes/cache.ts";
import { catalogueRoutes } from "./routes/catalogue.ts";
import { fileRoutes } from "./routes/files.ts";
import { infoRoutes } from "./routes/info.ts";
import { processingRoutes } from "./routes/processing.ts";
import { statusRoutes } from "./routes/status.ts";
import { testingUiRoutes } from "./routes/testing-ui.ts";

/**
 * Longer URLs get 414 before anything else runs: a processing URL's input (4096 characters at
 * most) fits, and what the edge forwards stays well under the origins' 16 KB header limit.
 */
export const MAX_URL_LENGTH = 8192;

/** The routes of contract §1–§4, §6 and the admin API of §7; every error leaves as the contract's JSON. */
export const app = new Hono<EdgeEnv>()
  .use(requestIds())
  .use(observeRequests())
  .use(async (c, next) => {
    if (c.req.url.length > MAX_URL_LENGTH) throw errors.urlTooLong(MAX_URL_LENGTH);
    await next();
  })
  .route("/", testingUiRoutes)
  .route("/", catalogueRoutes)
  .route("/", processingRoutes)
  .route("/", cacheRoutes)
  .route("/", fileRoutes)
  .route("/", infoRoutes)
  .route("/", statusRoutes)
  .route("/", adminRoutes)
  .notFound((c) =>
    errorResponse(errors.notFound(`The path ${new URL(c.req.url).pathname}`), c.get("requestId")),
  )
  // Failures are logged with their cause by observeRequests, once per request.
  .onError((error, c) => errorResponse(error, c.get("requestId")));
