import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogue } from "../origin/graph-files.ts";
import { freshDatabase, type RunningEdge, startEdge } from "../test/harness/edge.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { freePort, type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";

// kill -9 during a render, of a GEGL worker and of the whole origin: the edge answers 502 JSON,
// stores nothing, and the same URL renders once the origin is back (on the same address).
const ORIGIN_SECRET = "faults-test-origin-secret";

let port: number;
let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;

const startTheOrigin = () =>
  startOrigin({
    PORT: String(port),
    ORIGIN_SECRET,
    ALLOW_PRIVATE_INPUTS: "1",
    RENDER_CONCURRENCY: "1",
  });

beforeAll(async () => {
  port = await freePort();
  fixtures = await startFixtureServer();
  const [started, persistDir] = await Promise.all([startTheOrigin(), freshDatabase()]);
  origin = started;
  edge = await startEdge({
    originUrls: [`http://127.0.0.1:${port}`],
    originSecret: ORIGIN_SECRET,
    persistDir,
  });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
  await fixtures?.close();
});

/**
 * A render that keeps a GEGL worker busy for a while (colour to grey, large neighbourhood), long
 * enough at 1200 px (some 0.3 s) for the polls below to see it: imgflo:c2g's draws made a 400 px
 * one end within their first 50 ms.
 */
const slowRender = (width: number) =>
  `/graph/desaturate.png?input=${encodeURIComponent(fixtures.at("images/mountains.png"))}&grainsize=500&samples=5&width=${width}`;
const get = (path: string) => fetch(`${edge.url}${path}`, { redirect: "manual" });

async function cacheKeyOf(path: string): Promise<string> {
  return (await renderRequestFor(await loadCatalogue(), path)).cacheKey;
}

/** The PIDs of the workers rendering right now, once there are some (asked at most 600 times). */
async function busyWorkers(): Promise<number[]> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { workers } = await origin.healthz();
    if (workers.busyPids.length > 0) return workers.busyPids;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("no worker started rendering");
}

async function expectOriginFailed(response: Response): Promise<void> {
  expect(response.status).toBe(502);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await response.json()).toMatchObject({ code: "origin-failed" });
}

/** Nothing was stored under the key: the result is absent and no failure is replayed. */
async function expectNothingStored(path: string): Promise<void> {
  const stored = await get(`/cache/${await cacheKeyOf(path)}.png`);
  expect(stored.status).toBe(404);
  expect(await stored.json()).toMatchObject({ code: "not-found" });
}

async function expectCompleteImage(path: string): Promise<void> {
  const response = await get(path);
  expect(response.status).toBe(301);
  const bytes = Buffer.from(
    await (await get(response.headers.get("location") ?? "")).arrayBuffer(),
  );
  const { width } = await sharp(bytes).metadata();
  expect(width).toBe(Number(new URL(path, edge.url).searchParams.get("width")));
  // Every pixel decodes: a truncated PNG makes sharp fail here.
  await sharp(bytes).raw().toBuffer();
}

describe("kill -9 mid-render", () => {
  it("of a GEGL worker: 502 JSON, nothing stored, and the next request renders", async () => {
    const path = slowRender(1200);
    const pending = get(path);
    const [worker] = await busyWorkers();
    process.kill(worker as number, "SIGKILL");
    await expectOriginFailed(await pending);
    await expectNothingStored(path);
    await expectCompleteImage(path);
  }, 120_000);

  it("of the origin: 502 JSON, nothing stored, and renders resume once it is back", async () => {
    const path = slowRender(1201);
    const pending = get(path);
    await busyWorkers();
    const { workers } = await origin.healthz();
    process.kill(origin.pid, "SIGKILL");
    await origin.stop();
    // Its workers lose their parent; they are this test's processes, so it ends them.
    for (const pid of workers.pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone with their parent.
      }
    }
    await expectOriginFailed(await pending);
    await expectNothingStored(path);

    origin = await startTheOrigin();
    await expectCompleteImage(path);
  }, 180_000);
});
