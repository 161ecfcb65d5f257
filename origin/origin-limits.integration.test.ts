import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, readImage, startOrigin } from "../test/harness/origin.ts";

// Two origins configured at the edges of the envelope: one locked down (secret, public inputs
// only, the defaults otherwise), one tiny (one render at a time, one waiting, a short deadline).
let locked: OriginProcess;
let tiny: OriginProcess;
let fixtures: FixtureServer;

const SECRET = "origin-s3cret";
const bearer = { authorization: `Bearer ${SECRET}` };
const input = (path: string) => encodeURIComponent(fixtures.at(path));

beforeAll(async () => {
  fixtures = await startFixtureServer();
  [locked, tiny] = await Promise.all([
    startOrigin({ ORIGIN_SECRET: SECRET }),
    startOrigin({
      RENDER_CONCURRENCY: "1",
      MAX_QUEUE: "1",
      RENDER_TIMEOUT_MS: "1000",
      ALLOW_PRIVATE_INPUTS: "true",
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([locked?.stop(), tiny?.stop()]);
  await fixtures?.close();
});

async function errorOf(
  response: Response,
): Promise<{ status: number; code: string; error: string }> {
  const body = (await response.json()) as { code: string; error: string };
  return { status: response.status, ...body };
}

describe("ORIGIN_SECRET", () => {
  it("answers 401 without the bearer token or with a wrong one", async () => {
    const wrong: Record<string, string>[] = [
      {},
      { authorization: "Bearer nope" },
      { authorization: SECRET },
    ];
    for (const headers of wrong) {
      for (const path of ["graphs", "version", "graph/canvas.png?width=8"]) {
        expect(await errorOf(await locked.get(path, headers))).toMatchObject({
          status: 401,
          code: "unauthorized",
        });
      }
    }
  });

  it("serves every route with the token, and /healthz without it", async () => {
    expect((await locked.get("graphs", bearer)).status).toBe(200);
    expect((await locked.get("version", bearer)).status).toBe(200);
    expect(await readImage(locked.get("graph/canvas.png?width=8", bearer))).toMatchObject({
      width: 8,
    });
    expect((await locked.get("healthz")).status).toBe(200);
  });

  it("passes the token on to inputs on the origin itself (chained renders)", async () => {
    const inner = encodeURIComponent("/graph/canvas.png?width=20");
    expect(
      await readImage(locked.get(`graph/passthrough.png?input=${inner}`, bearer)),
    ).toMatchObject({ width: 20 });
  });
});

describe("input address rules (ALLOW_PRIVATE_INPUTS off)", () => {
  it.each([
    ["loopback", (port: string) => `http://127.0.0.1:${port}/images/gridbear.jpg`],
    ["a loopback name", (port: string) => `http://localhost:${port}/images/gridbear.jpg`],
    ["IPv6 loopback", (port: string) => `http://[::1]:${port}/images/gridbear.jpg`],
    [
      "IPv4-mapped IPv6 loopback",
      (port: string) => `http://[::ffff:127.0.0.1]:${port}/images/gridbear.jpg`,
    ],
    ["the cloud metadata address", () => "http://169.254.169.254/latest/meta-data/"],
    ["a private network", () => "http://10.1.2.3/a.png"],
    [
      "an integer-encoded loopback",
      (port: string) => `http://2130706433:${port}/images/gridbear.jpg`,
    ],
  ])("refuses %s with 403 input-forbidden, without connecting", async (_, url) => {
    const before = fixtures.hits("/images/gridbear.jpg");
    const target = encodeURIComponent(url(new URL(fixtures.url).port));
    const response = await locked.get(`graph/passthrough?input=${target}`, bearer);
    expect(await errorOf(response)).toMatchObject({ status: 403, code: "input-forbidden" });
    expect(fixtures.hits("/images/gridbear.jpg")).toBe(before);
  });

  it("refuses an image inport's private address like an input's, naming the inport", async () => {
    const overlay = encodeURIComponent(
      `http://127.0.0.1:${new URL(fixtures.url).port}/images/gridbear.jpg`,
    );
    const before = fixtures.hits("/images/gridbear.jpg");
    const response = await locked.get(
      `graph/watermark.png?input=files%2Fgridbear.jpg&overlay=${overlay}`,
      bearer,
    );
    expect(await errorOf(response)).toMatchObject({
      status: 403,
      code: "input-forbidden",
      parameter: "overlay",
      error: 'Overlay host "127.0.0.1" resolves to an address this server does not fetch from.',
    });
    expect(fixtures.hits("/images/gridbear.jpg")).toBe(before);
  });

  it("still reads bundled files and chained renders on the origin itself", async () => {
    const image = await readImage(
      locked.get("graph/passthrough.png?input=files/gridbear.jpg&width=10", bearer),
    );
    expect(image).toMatchObject({ width: 10 });
  });
});

// c2g with its most samples on the input enlarged to 11 MP: several seconds of work here, well
// past the 1 s deadline.
const SLOW = "width=4000&samples=5";

describe("limits", () => {
  it("answers 503 with Retry-After when more than MAX_QUEUE renders wait", async () => {
    const settle = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 500 && !(await check()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    // The only slot: a render far beyond the 1 s deadline holds it for that second.
    const slow = tiny.get(`graph/desaturate.png?input=${input("images/mountains.png")}&${SLOW}`);
    await settle(async () => (await tiny.healthz()).queue.rendering === 1);
    const waiting = tiny.get("graph/canvas.png?width=20");
    await settle(async () => (await tiny.healthz()).queue.waiting === 1);
    const refused = await tiny.get("graph/canvas.png?width=21");
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: "overloaded" });
    expect((await slow).status).toBe(504);
    expect(await readImage(waiting)).toMatchObject({ width: 20 });
    expect((await tiny.healthz()).counters.rejected).toBeGreaterThanOrEqual(1);
  });

  it("stops a render at RENDER_TIMEOUT_MS: 504, the worker is replaced, the next render works", async () => {
    const before = await tiny.healthz();
    const started = performance.now();
    const response = await tiny.get(
      `graph/desaturate.png?input=${input("images/mountains.png")}&${SLOW}`,
    );
    expect(await errorOf(response)).toMatchObject({ status: 504, code: "render-timeout" });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await readImage(tiny.get("graph/canvas.png?width=16"))).toMatchObject({ width: 16 });
    const after = await tiny.healthz();
    expect(after.workers.replaced).toBe(before.workers.replaced + 1);
    expect(after.workers.restarts.deadline).toBe(before.workers.restarts.deadline + 1);
    expect(after.workers.pids).not.toEqual(before.workers.pids);
  });
});

describe("start-up", () => {
  const graphWith = (process: object, connections: object[] = []) =>
    JSON.stringify({
      inports: { input: { process: "p", port: "input" } },
      outports: { output: { process: "p", port: "output" } },
      processes: { p: process },
      connections,
    });

  it.each([
    [
      "an unknown operation",
      graphWith({ component: "gegl/no-such-op" }),
      /Graph "broken".*gegl:no-such-op/,
    ],
    [
      "an unknown property",
      graphWith({ component: "gegl/gaussian-blur" }, [
        { data: 2, tgt: { process: "p", port: "radius" } },
      ]),
      /Graph "broken".*gegl:gaussian-blur has no settable property "radius"/,
    ],
  ])("refuses a catalogue with %s, naming the graph", async (_, text, message) => {
    const dir = await mkdtemp(join(tmpdir(), "imgflo-graphs-"));
    try {
      await writeFile(join(dir, "broken.json"), text);
      await expect(startOrigin({ RENDER_CONCURRENCY: "1" }, ["--graphs", dir])).rejects.toThrow(
        message,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

it("refuses a catalogue graph with 5 image inports at start-up, naming the graph", async () => {
  const dir = await mkdtemp(join(tmpdir(), "imgflo-graphs-"));
  const names = ["a", "b", "c", "d", "e"];
  const graph = {
    inports: {
      input: { process: "a", port: "input" },
      ...Object.fromEntries(
        names.map((name) => [name, { process: name, port: "aux", metadata: { type: "image" } }]),
      ),
    },
    outports: { output: { process: "e", port: "output" } },
    processes: Object.fromEntries(names.map((name) => [name, { component: "svg/src-over" }])),
    connections: names.slice(1).map((name, i) => ({
      src: { process: names[i], port: "output" },
      tgt: { process: name, port: "input" },
    })),
  };
  try {
    await writeFile(join(dir, "collage.json"), JSON.stringify(graph));
    await expect(startOrigin({ RENDER_CONCURRENCY: "1" }, ["--graphs", dir])).rejects.toThrow(
      'Graph "collage": has 5 image inports (a, b, c, d, e); a graph may have at most 4 besides "input"',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

describe("shutdown", () => {
  it("finishes the renders in flight on SIGTERM, then exits cleanly", async () => {
    const extra = await startOrigin({ RENDER_CONCURRENCY: "1", ALLOW_PRIVATE_INPUTS: "1" });
    const inFlight = extra.get(
      `graph/passthrough.png?input=${input("images/gridbear.jpg?delay=500")}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exited = extra.stop();
    expect(await readImage(inFlight)).toMatchObject({ width: 150 });
    expect(await exited).toBe(0);
  });
});
