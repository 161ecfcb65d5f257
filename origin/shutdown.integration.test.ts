import { readFileSync } from "node:fs";
import { Agent, get } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, readImage, startOrigin } from "../test/harness/origin.ts";

// Graceful draining of a real origin process (real GEGL workers), as Docker, Cloudflare
// Containers, `npm start` and a terminal's Ctrl-C stop it.
let fixtures: FixtureServer;

beforeAll(async () => {
  fixtures = await startFixtureServer();
});

afterAll(async () => {
  await fixtures?.close();
});

const DRAINING = /finishing the renders in flight/;
const INPUT = "/images/gridbear.jpg";

/** Resolves once the origin's output matches `pattern` (polled; the test's timeout bounds it). */
async function outputMatches(origin: OriginProcess, pattern: RegExp): Promise<void> {
  while (!pattern.test(origin.output())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The process group of a process, from /proc/<pid>/stat (the field after the state). */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

describe("origin shutdown", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "on %s stops accepting, finishes the running and the queued render, then exits 0",
    async (signal) => {
      const origin = await startOrigin({ RENDER_CONCURRENCY: "1", ALLOW_PRIVATE_INPUTS: "1" });
      const requested = fixtures.hits(INPUT);
      const slowInput = encodeURIComponent(fixtures.at(`${INPUT}?delay=1500`));
      const running = readImage(origin.get(`graph/passthrough.png?input=${slowInput}`));
      const queued = readImage(origin.get(`graph/desaturate.png?input=${slowInput}`));
      // Both are in flight once the origin has asked for their inputs (answered 1.5 s later).
      await fixtures.hitsReach(INPUT, requested + 2);

      const exited = origin.stop(signal);
      await outputMatches(origin, DRAINING);
      await expect(origin.get("healthz")).rejects.toThrow();
      expect(await running).toMatchObject({ status: 200, width: 150 });
      expect(await queued).toMatchObject({ status: 200, width: 150 });
      expect(await exited).toBe(0);
    },
  );

  it("closes a kept-alive connection after its response, so no request gets in on it", async () => {
    const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
    // One connection, kept alive between requests, as the edge's fetch keeps them.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const request = (path: string) =>
      new Promise<{ status?: number; connection?: string }>((resolve, reject) => {
        get(new URL(path, origin.url), { agent }, (response) => {
          response.resume();
          response.once("end", () =>
            resolve({ status: response.statusCode, connection: response.headers.connection }),
          );
        }).once("error", reject);
      });
    try {
      expect(await request("healthz")).toEqual({ status: 200, connection: "keep-alive" });
      const requested = fixtures.hits(INPUT);
      const slowInput = encodeURIComponent(fixtures.at(`${INPUT}?delay=1500`));
      const inFlight = request(`graph/passthrough.png?input=${slowInput}`);
      await fixtures.hitsReach(INPUT, requested + 1);

      const exited = origin.stop();
      await outputMatches(origin, DRAINING);
      expect(await inFlight).toEqual({ status: 200, connection: "close" });
      await expect(request("healthz")).rejects.toMatchObject({ code: "ECONNREFUSED" });
      expect(await exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });

  it("stops at once, without draining, on a second signal", async () => {
    const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
    const requested = fixtures.hits(INPUT);
    const stalledInput = encodeURIComponent(fixtures.at(`${INPUT}?delay=20000`));
    const inFlight = origin.get(`graph/passthrough.png?input=${stalledInput}`).then(
      () => "answered",
      () => "cut off",
    );
    await fixtures.hitsReach(INPUT, requested + 1);

    const exited = origin.stop("SIGTERM");
    await outputMatches(origin, DRAINING);
    origin.stop("SIGINT");
    expect(await exited).toBeNull();
    expect(await inFlight).toBe("cut off");
    expect(origin.output()).toContain("SIGINT again: stopping without waiting");
  });

  it("keeps the GEGL workers out of the origin's process group, so a group signal drains too", async () => {
    const origin = await startOrigin({ RENDER_CONCURRENCY: "2" });
    try {
      const { workers } = await origin.healthz();
      expect(workers.pids).toHaveLength(2);
      for (const pid of workers.pids) expect(processGroup(pid)).not.toBe(processGroup(origin.pid));
    } finally {
      await origin.stop();
    }
  });
});
