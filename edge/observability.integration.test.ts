import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freshDatabase, type RunningEdge, startEdge } from "../test/harness/edge.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

// One real origin and the Worker in workerd: request ids and Server-Timing across the hop.
const ORIGIN_SECRET = "observe-edge-secret";

let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;
/** What the Worker logged: wrangler prints workerd's console output through this process's console. */
let workerOutput = "";

beforeAll(async () => {
  for (const method of ["log", "info", "warn", "error"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      workerOutput += `${args.map(String).join(" ")}\n`;
      original(...args);
    });
  }
  fixtures = await startFixtureServer();
  const [started, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" }),
    freshDatabase(),
  ]);
  origin = started;
  edge = await startEdge({
    originUrls: [origin.url],
    originSecret: ORIGIN_SECRET,
    persistDir,
    logLevel: "log",
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await edge?.stop();
  await origin?.stop();
  await fixtures?.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${edge.url}${path}`, { redirect: "manual", headers });

describe("the edge's request ids and Server-Timing", () => {
  const path = () =>
    `/graph/gaussianblur.png?input=${encodeURIComponent(fixtures.at("images/gridbear.jpg"))}&width=90`;

  it("sends the client's id to the origin and passes the origin's steps on with the 301", async () => {
    const response = await get(path(), { "x-request-id": "edge-trace-0001" });
    expect(response.status).toBe(301);
    expect(response.headers.get("x-request-id")).toBe("edge-trace-0001");
    const timing = response.headers.get("server-timing") ?? "";
    expect(timing).toMatch(/^cache;desc=miss, fetch;dur=[\d.]+, decode;dur=/);
    expect(timing).toMatch(/render;dur=[\d.]+, encode;dur=[\d.]+$/);
    // The result keeps the steps of the render that produced it (what the testing UI shows).
    const cached = await get(response.headers.get("location") ?? "");
    await cached.arrayBuffer();
    expect(cached.headers.get("server-timing")).toBe(timing.replace("cache;desc=miss, ", ""));
    // Both sides log the same id.
    await vi.waitFor(() => {
      expect(origin.output()).toMatch(
        /"requestId":"edge-trace-0001".*"path":"\/graph\/gaussianblur.png"/,
      );
      expect(workerOutput).toMatch(/requestId: 'edge-trace-0001',[\s\S]*?cache: 'miss'/);
    });
  });

  it("marks a cache hit, with a fresh id when the client sent none", async () => {
    const response = await get(path());
    expect(response.status).toBe(301);
    expect(response.headers.get("server-timing")).toBe("cache;desc=hit");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs renders and errors, not hits", async () => {
    const hit = await get(path(), { "x-request-id": "edge-hit-0001" });
    expect(hit.headers.get("server-timing")).toBe("cache;desc=hit");
    const error = await get("/graph/no-such-graph.png", { "x-request-id": "edge-error-0001" });
    expect(error.status).toBe(404);
    // Lines arrive in order: once the error's is there, the hit's would have been too.
    await vi.waitFor(() => {
      expect(workerOutput).toMatch(/requestId: 'edge-error-0001',[\s\S]*?code: 'unknown-graph'/);
    });
    expect(workerOutput).not.toContain("edge-hit-0001");
  });

  it("puts the id in error bodies, replacing a malformed one", async () => {
    const response = await get("/graph/no-such-graph.png", { "x-request-id": "two words" });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(404);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).toMatchObject({ code: "unknown-graph", requestId });
    expect(
      (await (await get("/nowhere", { "x-request-id": "r-404" })).json()) as object,
    ).toMatchObject({ code: "not-found", requestId: "r-404" });
  });

  it("gives the id to every response", async () => {
    for (const route of ["/graphs", "/healthz", "/files/gridbear.jpg"]) {
      const response = await get(route, { "x-request-id": "every-1" });
      await response.arrayBuffer();
      expect(response.headers.get("x-request-id"), route).toBe("every-1");
    }
  });
});
