import { Hono } from "hono";
import { errorResponse, errors, isImgfloError } from "../shared/errors.ts";
import { cacheRoutes } from "./routes/cache.ts";
import { catalogueRoutes } from "./routes/catalogue.ts";
import { fileRoutes } from "./routes/files.ts";
import { infoRoutes } from "./routes/info.ts";
import { processingRoutes } from "./routes/processing.ts";
import { statusRoutes } from "./routes/status.ts";
import { testingUiRoutes } from "./routes/testing-ui.ts";

export type EdgeEnv = { Bindings: Env };

/** The public routes of contract §1–§4 and §6; every error leaves as the contract's JSON. */
export const app = new Hono<EdgeEnv>()
  .route("/", testingUiRoutes)
  .route("/", catalogueRoutes)
  .route("/", processingRoutes)
  .route("/", cacheRoutes)
  .route("/", fileRoutes)
  .route("/", infoRoutes)
  .route("/", statusRoutes)
  .notFound((c) => errorResponse(errors.notFound(`The path ${new URL(c.req.url).pathname}`)))
  .onError((error) => {
    if (!isImgfloError(error)) console.error(error);
    return errorResponse(error);
  });
