import type { MiddlewareHandler } from "hono";
import { asImgfloError } from "../shared/errors.ts";
import type { EdgeEnv } from "./env.ts";

/** The route family of a path: a bounded value for logs and Analytics Engine, never the URL. */
export function routeOf(pathname: string): string {
  const [, first = "", second] = pathname.split("/");
  if (first === "graph" || (first === "graphs" && second !== undefined)) return "processing";
  if (first === "graphs") return "catalogue";
  if (first === "") return "ui";
  return ["cache", "files", "healthz", "version"].includes(first) ? first : "other";
}

/**
 * Once a request is answered, logs one JSON object for it (readable in `wrangler tail`) under
 * its id (from `requestIds`) and, when the ANALYTICS binding exists, writes one data point:
 * blobs [route, cache, application, method], doubles [status, duration ms], index route.
 */
export function observeRequests(): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const start = Date.now();
    await next();
    // Workers clocks advance with I/O only: this is the time spent waiting on R2, D1 and origins.
    const durationMs = Date.now() - start;
    const { pathname } = new URL(c.req.url);
    const route = routeOf(pathname);
    const { status } = c.res;
    const cache = c.get("cache") ?? "";
    const application = c.get("application") ?? "";
    const entry: Record<string, unknown> = {
      msg: "request",
      requestId: c.get("requestId"),
      method: c.req.method,
      route,
      path: pathname,
      status,
      durationMs,
    };
    if (cache) entry.cache = cache;
    if (application) entry.application = application;
    if (c.error) {
      const error = asImgfloError(c.error);
      entry.error = { code: error.code, message: error.message };
      if (error.status >= 500) entry.cause = c.error.stack ?? c.error.message;
    }
    if (status >= 500) console.error(entry);
    else console.log(entry);
    c.env.ANALYTICS?.writeDataPoint({
      indexes: [route],
      blobs: [route, cache, application, c.req.method],
      doubles: [status, durationMs],
    });
  };
}
