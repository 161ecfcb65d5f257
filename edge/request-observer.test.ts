import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { errorResponse, errors } from "../shared/errors.ts";
import { requestIds } from "../shared/request-id.ts";
import type { EdgeEnv } from "./env.ts";
import { observeRequests, routeOf } from "./request-observer.ts";

// Local workerd accepts the ANALYTICS binding but keeps nothing to read back, so the data points
// are checked here against a recording stand-in for AnalyticsEngineDataset.
function appWith(env: Partial<Env>) {
  const app = new Hono<EdgeEnv>()
    .use(requestIds())
    .use(observeRequests())
    .get("/graph/*", (c) => {
      c.set("cache", "hit");
      c.set("application", "app-1");
      return c.redirect("/cache/x.png", 301);
    })
    .get("/files/*", () => {
      throw errors.notFound("The file");
    })
    .onError((error, c) => errorResponse(error, c.get("requestId")));
  return (path: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers }, env as Env);
}

describe("observeRequests", () => {
  it("writes one data point per request: route, cache, application, method; status, duration", async () => {
    const writeDataPoint = vi.fn();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const get = appWith({ ANALYTICS: { writeDataPoint } as AnalyticsEngineDataset });
    const response = await get("/graph/k/t/gaussianblur.png?input=x", { "x-request-id": "r-1" });
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect(writeDataPoint).toHaveBeenCalledWith({
      indexes: ["processing"],
      blobs: ["processing", "hit", "app-1", "GET"],
      doubles: [301, expect.any(Number)],
    });
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: "r-1", route: "processing", status: 301, cache: "hit" }),
    );
    log.mockRestore();
  });

  it("logs errors with their code, and is a no-op for analytics without the binding", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await appWith({})("/files/nope.png");
    expect(response.status).toBe(404);
    expect(log).toHaveBeenCalledWith(
      expect.objectContaining({ route: "files", status: 404, error: expect.any(Object) }),
    );
    log.mockRestore();
  });
});

describe("routeOf", () => {
  it.each([
    ["/graph/gaussianblur.png", "processing"],
    ["/graphs/gaussianblur", "processing"],
    ["/graphs", "catalogue"],
    ["/cache/abc.png", "cache"],
    ["/files/gridbear.jpg", "files"],
    ["/", "ui"],
    ["/healthz", "healthz"],
    ["/version", "version"],
    ["/wp-admin/x.php", "other"],
  ])("%s is %s", (path, route) => {
    expect(routeOf(path)).toBe(route);
  });
});
