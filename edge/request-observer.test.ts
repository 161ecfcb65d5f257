import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorResponse, errors } from "../shared/errors.ts";
import { requestIds } from "../shared/request-id.ts";
import type { EdgeEnv } from "./env.ts";
import { logLevelOf, observeRequests, routeOf, SLOW_REQUEST_MS } from "./request-observer.ts";

// Local workerd accepts the ANALYTICS binding but keeps nothing to read back, so the data points
// are checked here against a recording stand-in for AnalyticsEngineDataset.
function appWith(env: Partial<Env>) {
  const app = new Hono<EdgeEnv>()
    .use(requestIds())
    .use(observeRequests())
    .get("/graph/hit.png", (c) => {
      c.set("cache", "hit");
      c.set("application", "app-1");
      return c.redirect("/cache/x.png", 301);
    })
    .get("/graph/miss.png", (c) => {
      c.set("cache", "miss");
      return c.redirect("/cache/y.png", 301);
    })
    .get("/files/*", () => {
      throw errors.notFound("The file");
    })
    .get("/healthz", () => {
      throw new Error("boom");
    })
    .onError((error, c) => errorResponse(error, c.get("requestId")));
  return (path: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers }, env as Env);
}

function consoleSpies() {
  return Object.fromEntries(
    (["log", "warn", "error"] as const).map((level) => [
      level,
      vi.spyOn(console, level).mockImplementation(() => {}),
    ]),
  ) as Record<"log" | "warn" | "error", ReturnType<typeof vi.spyOn>>;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("observeRequests", () => {
  it("writes one data point per request, hits included, and logs no hit", async () => {
    const writeDataPoint = vi.fn();
    const spies = consoleSpies();
    const get = appWith({ ANALYTICS: { writeDataPoint } as AnalyticsEngineDataset });
    const response = await get("/graph/hit.png?input=x", { "x-request-id": "r-1" });
    expect(response.headers.get("x-request-id")).toBe("r-1");
    expect(writeDataPoint).toHaveBeenCalledWith({
      indexes: ["processing"],
      blobs: ["processing", "hit", "app-1", "GET"],
      doubles: [301, expect.any(Number)],
    });
    for (const spy of Object.values(spies)) expect(spy).not.toHaveBeenCalled();
  });

  it("logs a render (a miss) under its id", async () => {
    const spies = consoleSpies();
    await appWith({})("/graph/miss.png", { "x-request-id": "r-2" });
    expect(spies.log).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: "r-2",
        route: "processing",
        status: 301,
        cache: "miss",
      }),
    );
  });

  it("logs errors with their code, 5xx ones with their cause, and needs no analytics binding", async () => {
    const spies = consoleSpies();
    const response = await appWith({})("/files/nope.png");
    expect(response.status).toBe(404);
    expect(spies.warn).toHaveBeenCalledWith(
      expect.objectContaining({
        route: "files",
        status: 404,
        error: expect.objectContaining({ code: "not-found" }),
      }),
    );
    expect((await appWith({})("/healthz")).status).toBe(500);
    expect(spies.error).toHaveBeenCalledWith(
      expect.objectContaining({
        status: 500,
        error: expect.objectContaining({ code: "internal-error" }),
        cause: expect.stringContaining("boom"),
      }),
    );
  });
});

describe("logLevelOf", () => {
  it.each([
    [301, "hit", 0, null],
    [200, "", SLOW_REQUEST_MS - 1, null],
    [304, "", 3, null],
    [301, "miss", 0, "log"],
    [202, "miss", 0, "log"],
    [301, "hit", SLOW_REQUEST_MS, "warn"],
    [403, "", 0, "warn"],
    [404, "failure", 0, "warn"],
    [502, "miss", 0, "error"],
  ])("status %i, cache %j, %i ms: %s", (status, cache, durationMs, level) => {
    expect(logLevelOf(status, cache, durationMs)).toBe(level);
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
