import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewApplication } from "../cli/commands/app.ts";
import { loadCatalogue } from "../origin/graph-files.ts";
import type { Catalogue } from "../shared/catalogue.ts";
import { buildProcessingUrl } from "../shared/signed-url.ts";
import {
  freshDatabase,
  originRequestCount,
  type RunningEdge,
  seedApplications,
  startEdge,
} from "../test/harness/edge.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { rendezvousOrder } from "./origins.ts";

// Two real origins and one that is always overloaded (503) behind a production-like edge:
// signed URLs only, redirects to a public R2 bucket.
const ORIGIN_SECRET = "origins-test-origin-secret";
const R2_PUBLIC_URL = "https://images.example.com";

let origins: OriginProcess[];
let originUrls: string[];
let overloaded: Server;
let overloadedHits = 0;
let edge: RunningEdge;
let app: NewApplication;
let catalogue: Catalogue;

beforeAll(async () => {
  overloaded = createServer((_request, response) => {
    overloadedHits++;
    response.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
    response.end(JSON.stringify({ error: "Too many renders are waiting.", code: "overloaded" }));
  });
  overloaded.listen(0, "127.0.0.1");
  const env = { ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" };
  const [first, second, persistDir, loaded] = await Promise.all([
    startOrigin(env),
    startOrigin(env),
    freshDatabase(),
    loadCatalogue(),
  ]);
  origins = [first, second];
  catalogue = loaded;
  [app] = (await seedApplications(persistDir, [{ name: "cluster" }])) as [NewApplication];
  const { port } = overloaded.address() as AddressInfo;
  originUrls = [
    ...origins.map((origin) => origin.url.replace(/\/$/, "")),
    `http://127.0.0.1:${port}`,
  ];
  edge = await startEdge({
    originUrls,
    originSecret: ORIGIN_SECRET,
    persistDir,
    allowUnsigned: false,
    r2PublicUrl: R2_PUBLIC_URL,
  });
});

afterAll(async () => {
  await edge?.stop();
  await Promise.all((origins ?? []).map((origin) => origin.stop()));
  overloaded?.close();
});

const canvasUrl = (color: string) =>
  buildProcessingUrl(
    { server: `${edge.url}/`, key: app.key, secret: app.secret },
    "canvas",
    { color, width: 32 },
    "png",
  );
const get = (url: string) => fetch(url, { redirect: "manual" });

/** /healthz shares one fan-out for a few seconds: asks until it reports `status` (or 40 times). */
async function healthOnceItSays(
  status: string,
): Promise<{ status: string; origins: { ok: boolean }[] }> {
  for (let attempt = 1; ; attempt++) {
    const health = (await (await get(`${edge.url}/healthz`)).json()) as {
      status: string;
      origins: { ok: boolean }[];
    };
    if (health.status === status || attempt === 40) return health;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Requests each real origin received so far. */
const originRequests = () => Promise.all(origins.map(originRequestCount));

/** Colours whose render the edge sends first to the given origin (by the edge's own hashing). */
async function coloursPreferring(
  originIndex: number,
  count: number,
  offset: number,
): Promise<string[]> {
  const colours: string[] = [];
  for (let i = offset; colours.length < count; i++) {
    const colour = `#${i.toString(16).padStart(6, "0")}`;
    const { cacheKey } = await renderRequestFor(catalogue, canvasUrl(colour));
    if (rendezvousOrder(originUrls, cacheKey)[0] === originUrls[originIndex]) colours.push(colour);
  }
  return colours;
}

describe("several origins", () => {
  it("refuses unsigned URLs when ALLOW_UNSIGNED is false", async () => {
    const response = await get(`${edge.url}/graph/canvas.png?color=%23ff0000`);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe("signature-required");
  });

  it("sends each result to its preferred origin, past an overloaded one, and redirects to R2", async () => {
    const [forFirst, forSecond, forOverloaded] = await Promise.all([
      coloursPreferring(0, 2, 0x100),
      coloursPreferring(1, 2, 0x200),
      coloursPreferring(2, 2, 0x300),
    ]);
    const before = await originRequests();
    for (const colour of [...forFirst, ...forSecond]) {
      const response = await get(canvasUrl(colour));
      expect(response.status).toBe(301);
      expect(response.headers.get("location")).toMatch(
        /^https:\/\/images\.example\.com\/results\/[0-9a-f]{64}$/,
      );
    }
    expect(await originRequests()).toEqual([(before[0] ?? 0) + 2, (before[1] ?? 0) + 2]);

    const hitsBefore = overloadedHits;
    for (const colour of forOverloaded as string[])
      expect((await get(canvasUrl(colour))).status).toBe(301);
    expect(overloadedHits).toBe(hitsBefore + 2);
  });

  it("keeps rendering when an origin is killed mid-test", async () => {
    const [beforeKill, afterKill] = await Promise.all([
      coloursPreferring(0, 2, 0x400),
      coloursPreferring(0, 3, 0x500),
    ]);
    for (const colour of beforeKill as string[])
      expect((await get(canvasUrl(colour))).status).toBe(301);
    const concurrent = (afterKill as string[]).map((colour) => get(canvasUrl(colour)));
    await origins[0]?.stop();
    const statuses = (await Promise.all(concurrent)).map((response) => response.status);
    expect(statuses).toEqual([301, 301, 301]);
    for (const colour of await coloursPreferring(0, 2, 0x600))
      expect((await get(canvasUrl(colour))).status).toBe(301);

    const health = await healthOnceItSays("degraded");
    expect(health.status).toBe("degraded");
    expect(health.origins.map((origin) => origin.ok)).toEqual([false, true, false]);
  });

  it("serves cached results while every origin is down, and answers 502 for new ones", async () => {
    const cached = canvasUrl("#123456");
    expect((await get(cached)).status).toBe(301);
    await origins[1]?.stop();

    expect((await get(cached)).status).toBe(301);
    const uncached = await get(canvasUrl("#654321"));
    expect(uncached.status).toBe(502);
    const body = (await uncached.json()) as { code: string; error: string };
    expect(body.code).toBe("origin-failed");
    expect((await healthOnceItSays("origins-down")).status).toBe("origins-down");
  });
});
