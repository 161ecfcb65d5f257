import type { Context, MiddlewareHandler } from "hono";
import { asImgfloError } from "../shared/errors.ts";
import type { EdgeEnv } from "./env.ts";

/**
 * A request that waited at least this long on R2, D1 and origins is logged even when it was a hit:
 * a healthy hit waits tens of milliseconds at most (or nothing, once the isolate knows the result).
 */
export const SLOW_REQUEST_MS = 1000;

/** The route family of a path: a bounded value for logs and Analytics Engine, never the URL. */
export function routeOf(pathname: string): string {
  const [, first = "", second] = pathname.split("/");
  if (first === "graph" || (first === "graphs" && second !== undefined)) return "processing";
  if (first === "graphs") return "catalogue";
  if (first === "") return "ui";
  return ["cache", "files", "healthz", "version"].includes(first) ? first : "other";
}

type LogLevel = "error" | "warn" | "log";

/**
 * What a person must read: errors (5xx as errors, the rest as warnings: their ids are in the
 * bodies users quote), renders (misses) and slow requests. Hits and other quick answers are not
 * logged: Workers Logs records every invocation, Analytics Engine counts every request.
 */
export function logLevelOf(status: number, cache: string, durationMs: number): LogLevel | null {
  if (status >= 500) return "error";
  if (status >= 400 || durationMs >= SLOW_REQUEST_MS) return "warn";
  return cache === "miss" ? "log" : null;
}

function logEntry(c: Context<EdgeEnv>, route: string, durationMs: number): Record<string, unknown> {
  const cache = c.get("cache");
  const application = c.get("application");
  const entry: Record<string, unknown> = {
    msg: "request",
    requestId: c.get("requestId"),
    method: c.req.method,
    route,
    path: new URL(c.req.url).pathname,
    status: c.res.status,
    durationMs,
  };
  if (cache) entry.cache = cache;
  if (application) entry.application = application;
  if (c.error) {
    const error = asImgfloError(c.error);
    entry.error = { code: error.code, message: error.message };
    if (error.status >= 500) entry.cause = c.error.stack ?? c.error.message;
  }
  return entry;
}

/**
 * Once a request is answered, writes one Analytics Engine data point for it when the ANALYTICS
 * binding exists (blobs [route, cache, application, method], doubles [status, duration ms], index
 * route) and logs it as one object under its id (from `requestIds`) when logLevelOf says so.
 */
export function observeRequests(): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const start = Date.now();
    await next();
    // Workers clocks advance with I/O only: this is the time spent waiting on R2, D1 and origins.
    const durationMs = Date.now() - start;
    const route = routeOf(c.req.path);
    const { status } = c.res;
    const cache = c.get("cache") ?? "";
    c.env.ANALYTICS?.writeDataPoint({
      indexes: [route],
      blobs: [route, cache, c.get("application") ?? "", c.req.method],
      doubles: [status, durationMs],
    });
    const level = logLevelOf(status, cache, durationMs);
    if (level) console[level](logEntry(c, route, durationMs));
  };
}
