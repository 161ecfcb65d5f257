import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogue } from "../origin/graph-files.ts";
import type { Catalogue } from "../shared/catalogue.ts";
import { freshDatabase, type RunningEdge, startEdge } from "../test/harness/edge.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { rendezvousOrder } from "./origins.ts";

// The edge with its fleet binding and no ORIGIN_URLS, in workerd. The container class is
// replaced by a test double (test/harness/fleet-edge.ts, Cloudflare Containers cannot run here)
// whose named instances forward to one real origin and count what each one served.
const FLEET_EDGE = fileURLToPath(new URL("../test/harness/fleet-edge.ts", import.meta.url));
const ORIGIN_SECRET = "fleet-test-origin-secret";
const INSTANCES = ["render-0", "render-1", "render-2"];
const DOWN = "render-1";

let origin: OriginProcess;
let edge: RunningEdge;
let catalogue: Catalogue;

beforeAll(async () => {
  const [started, persistDir, loaded] = await Promise.all([
    startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" }),
    freshDatabase(),
    loadCatalogue(),
  ]);
  [origin, catalogue] = [started, loaded];
  edge = await startEdge({
    originUrls: [],
    originSecret: ORIGIN_SECRET,
    persistDir,
    entrypoint: FLEET_EDGE,
    vars: {
      FLEET_INSTANCES: String(INSTANCES.length),
      FLEET_TEST_ORIGIN: origin.url,
      FLEET_TEST_DOWN: DOWN,
    },
  });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
});

const get = (url: string) => fetch(url, { redirect: "manual" });
const canvasUrl = (i: number) =>
  `${edge.url}/graph/canvas.png?width=16&color=%23${i.toString(16).padStart(6, "0")}`;
const served = async (name: string) =>
  ((await (await fetch(`${edge.url}/__fleet/${name}`)).json()) as { served: number }).served;
const servedByEach = () => Promise.all(INSTANCES.map(served));

/** Canvas URLs whose render the edge sends first to the given instance (by its own hashing). */
async function urlsPreferring(name: string, count: number, offset: number): Promise<string[]> {
  const urls: string[] = [];
  for (let i = offset; urls.length < count; i++) {
    const { cacheKey } = await renderRequestFor(catalogue, canvasUrl(i));
    if (rendezvousOrder(INSTANCES, cacheKey)[0] === name) urls.push(canvasUrl(i));
  }
  return urls;
}

/** The instance a URL's render goes to when its preferred one is down. */
async function secondChoice(url: string): Promise<string> {
  const { cacheKey } = await renderRequestFor(catalogue, url);
  return rendezvousOrder(INSTANCES, cacheKey)[1] as string;
}

describe("render fleet (Cloudflare Containers, test double)", () => {
  it("sends each miss to the named instance its cache key prefers", async () => {
    const [first, third] = await Promise.all([
      urlsPreferring("render-0", 2, 0x100),
      urlsPreferring("render-2", 2, 0x200),
    ]);
    const before = await servedByEach();
    for (const url of [...first, ...third]) expect((await get(url)).status).toBe(301);
    expect(await servedByEach()).toEqual([
      (before[0] ?? 0) + 2,
      before[1] ?? 0,
      (before[2] ?? 0) + 2,
    ]);
    // A hit is answered from R2 without asking any instance.
    expect((await get(first[0] as string)).status).toBe(301);
    expect((await servedByEach())[0]).toBe((before[0] ?? 0) + 2);
  });

  it("fails over to the next instance when one cannot start", async () => {
    const urls = await urlsPreferring(DOWN, 2, 0x300);
    for (const url of urls) {
      const next = await secondChoice(url);
      const before = await served(next);
      expect((await get(url)).status).toBe(301);
      expect(await served(next)).toBe(before + 1);
    }
    expect(await served(DOWN)).toBe(0);
  });

  it("answers 502 when no instance renders", async () => {
    await origin.stop();
    const [url] = await urlsPreferring("render-0", 1, 0x400);
    const response = await get(url as string);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { code: string }).code).toBe("origin-failed");
  });
});
