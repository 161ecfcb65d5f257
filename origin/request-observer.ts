import type { MiddlewareHandler } from "hono";
import { asImgfloError } from "../shared/errors.ts";
import type { Logger, RequestLogEntry } from "./log.ts";
import type { OriginMetrics, RenderLabels } from "./metrics.ts";
import type { RenderedImage } from "./pipeline.ts";

/** What the handlers tell the observer about a request. */
export type OriginEnv = {
  Variables: {
    requestId: string;
    /** Set by the processing route (null: not a render after all, e.g. a debug=1 redirect). */
    render: RenderLabels | null;
    rendered: RenderedImage;
  };
};

// Probes and scrapes, every few seconds each: counted nowhere, logged nowhere.
const UNOBSERVED_PATHS = ["/healthz", "/metrics"];

/** Once a request is answered, writes its log line under its id (from `requestIds`) and records its metrics. */
export function observeRequests(
  logger: Logger,
  metrics: OriginMetrics,
): MiddlewareHandler<OriginEnv> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const path = new URL(c.req.url).pathname;
    if (UNOBSERVED_PATHS.includes(path)) return;
    const durationMs = performance.now() - start;
    const { status } = c.res;
    const labels = c.get("render");
    const image = c.get("rendered");
    if (labels) metrics.observe(labels, status, durationMs / 1000, image);
    const entry: RequestLogEntry = {
      requestId: c.get("requestId"),
      method: c.req.method,
      path,
      status,
      durationMs,
    };
    if (labels) Object.assign(entry, labels);
    if (image) {
      entry.bytes = image.bytes.length;
      entry.steps = image.trace.steps;
      if (image.trace.inputBytes !== null) entry.inputBytes = image.trace.inputBytes;
      if (image.trace.decodedPixels !== null) entry.decodedPixels = image.trace.decodedPixels;
      if (image.trace.decodedImagePixels !== null) {
        entry.decodedImagePixels = image.trace.decodedImagePixels;
      }
      if (image.trace.workerPid !== null) entry.workerPid = image.trace.workerPid;
    }
    if (c.error) {
      const error = asImgfloError(c.error);
      metrics.observeError(error);
      entry.error = { code: error.code, message: error.message };
      if (error.status >= 500) entry.cause = c.error.stack ?? c.error.message;
    }
    logger.request(entry);
  };
}
