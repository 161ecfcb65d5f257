import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RENDER_STEPS } from "../shared/server-timing.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { freePort, type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { logLinesOf } from "../test/harness/request-log.ts";
import { workerTunables } from "./malloc-tunables.ts";

// One real origin (real GEGL worker), behind a secret, with its metrics also on METRICS_PORT.
let origin: OriginProcess;
let fixtures: FixtureServer;
let metricsPort: number;

const SECRET = "observe-s3cret";
const bearer = { authorization: `Bearer ${SECRET}` };
const input = (path: string) => encodeURIComponent(fixtures.at(path));

beforeAll(async () => {
  fixtures = await startFixtureServer();
  metricsPort = await freePort();
  origin = await startOrigin({
    ORIGIN_SECRET: SECRET,
    METRICS_PORT: String(metricsPort),
    RENDER_CONCURRENCY: "1",
    ALLOW_PRIVATE_INPUTS: "true",
    LOG_FORMAT: "json",
  });
});

afterAll(async () => {
  await origin?.stop();
  await fixtures?.close();
});

describe("request ids, Server-Timing and the request log", () => {
  it("times each step of a render and logs it under the client's request id", async () => {
    const requestId = "client-trace-0001";
    const response = await origin.get(
      `graph/gaussianblur.png?input=${input("images/gridbear.jpg")}&width=120`,
      { ...bearer, "x-request-id": requestId },
    );
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(response.headers.get("x-request-id")).toBe(requestId);
    const timing = response.headers.get("server-timing") ?? "";
    const names = timing.split(", ").map((entry) => entry.split(";")[0]);
    expect(names).toEqual([...RENDER_STEPS]);
    expect(timing).toMatch(/^fetch;dur=\d+\.\d/);

    const [line] = await logLinesOf(origin, requestId);
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      method: "GET",
      path: "/graph/gaussianblur.png",
      status: 200,
      graph: "gaussianblur",
      format: "png",
      bytes: expect.any(Number),
      inputBytes: expect.any(Number),
      workerPid: expect.any(Number),
    });
    expect(Object.keys(line?.steps as object)).toEqual([...RENDER_STEPS]);
  });

  it("replaces a malformed id and puts the id in error bodies", async () => {
    const response = await origin.get("graph/no-such-graph.png", {
      ...bearer,
      "x-request-id": "not an id; rm -rf",
    });
    const body = (await response.json()) as { code: string; requestId: string };
    expect(response.status).toBe(404);
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).toMatchObject({ code: "unknown-graph", requestId });
    expect(await logLinesOf(origin, requestId)).toEqual([
      expect.objectContaining({ level: "warn", status: 404, error: expect.any(Object) }),
    ]);
  });

  it("writes only JSON lines with LOG_FORMAT=json, the GEGL workers' own lines included", () => {
    const lines = origin
      .output()
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("imgflo origin listening on"));
    const parsed = lines.map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(parsed).toContainEqual(
      expect.objectContaining({
        level: "info",
        msg: expect.stringMatching(/^imgflo-gegl-worker\[\d+\]: ready/),
      }),
    );
  });

  it("runs with the origin's malloc settings, and its GEGL workers with theirs", () => {
    // The origin warns when its own process.env lacks them (glibc cuts /proc's copy at the first).
    expect(origin.output()).not.toContain("started without GLIBC_TUNABLES");
    const workers = readFileSync(`/proc/${origin.pid}/task/${origin.pid}/children`, "utf8")
      .trim()
      .split(" ")
      .map(Number);
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) {
      const environ = readFileSync(`/proc/${worker}/environ`, "utf8").split("\0");
      expect(environ).toContain(`GLIBC_TUNABLES=${workerTunables({})}`);
    }
  });

  it("gives the id to a request refused for its credentials", async () => {
    const response = await origin.get("graphs", { "x-request-id": "no-secret-1" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "unauthorized", requestId: "no-secret-1" });
  });
});

describe("GET /metrics", () => {
  it("is behind the origin secret on the main port", async () => {
    expect((await origin.get("metrics")).status).toBe(401);
    const response = await origin.get("metrics", bearer);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("counts renders by graph and outcome, steps, sizes, fetch failures and the workers", async () => {
    const failed = await origin.get(`graph/passthrough.png?input=${input("status/404")}`, bearer);
    expect(failed.status).toBe(504);
    const debug = await fetch(new URL("graph/gaussianblur.png?debug=1", origin.url), {
      headers: bearer,
      redirect: "manual",
    });
    expect(debug.status).toBe(302);
    // On METRICS_PORT without the secret.
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(
      /^imgflo_renders_total\{graph="gaussianblur",format="png",outcome="ok"\} 1$/m,
    );
    expect(text).toMatch(
      /^imgflo_renders_total\{graph="passthrough",format="png",outcome="504"\} 1$/m,
    );
    expect(text).toMatch(/^imgflo_renders_total\{graph="none",format="none",outcome="404"\} 1$/m);
    expect(text).toMatch(/^imgflo_fetch_failures_total\{cause="status"\} 1$/m);
    // A debug=1 redirect to the testing UI is no render.
    expect(text).not.toMatch(/outcome="302"/);
    for (const step of RENDER_STEPS) {
      expect(text).toMatch(
        new RegExp(
          `^imgflo_render_step_seconds_count\\{step="${step}",graph="gaussianblur"\\} 1$`,
          "m",
        ),
      );
    }
    expect(text).toMatch(/^imgflo_input_bytes_count 1$/m);
    expect(text).toMatch(/^imgflo_output_bytes_count\{format="png"\} 1$/m);
    expect(text).toMatch(/^imgflo_gegl_workers\{state="idle"\} 1$/m);
    expect(text).toMatch(/^imgflo_gegl_worker_restarts_total\{cause="crash"\} 0$/m);
    expect(text).toMatch(/^imgflo_gegl_workers_resident_memory_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]/m);
    // Label values come from the catalogue and the formats table, never from URLs.
    expect(text).not.toContain("127.0.0.1");
  });
});
