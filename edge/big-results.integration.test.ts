import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogue } from "../origin/graph-files.ts";
import type { Catalogue } from "../shared/catalogue.ts";
import { freshDatabase, type RunningEdge, startEdge } from "../test/harness/edge.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, pixelsOf, startOrigin } from "../test/harness/origin.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { rendezvousOrder } from "./origins.ts";

// Results far beyond what a Worker could hold twice in its 128 MB: a 3800×3800 PNG of noise
// (about 43 MB, incompressible) rendered by a real origin through `passthrough`, next to a
// stand-in for a failing origin that announces a large PNG and drops the connection mid-body.
const SIDE = 3800;
const MIN_RESULT_BYTES = 40_000_000;
const ANNOUNCED_BYTES = 45_000_000;
const SENT_BEFORE_BREAKING = 4_000_000;

let fixtures: FixtureServer;
let origin: OriginProcess;
let breaking: Server;
let breakingHits = 0;
let originUrls: string[];
let edge: RunningEdge;
let catalogue: Catalogue;
let noise: Buffer;

beforeAll(async () => {
  noise = randomBytes(SIDE * SIDE * 3);
  const raw = { raw: { width: SIDE, height: SIDE, channels: 3 as const } };
  const [png, started, persistDir, loaded] = await Promise.all([
    sharp(noise, raw).png({ compressionLevel: 1 }).toBuffer(),
    startOrigin({ ALLOW_PRIVATE_INPUTS: "1", MAX_INPUT_BYTES: String(64 * 1024 * 1024) }),
    freshDatabase(),
    loadCatalogue(),
  ]);
  [origin, catalogue] = [started, loaded];
  fixtures = await startFixtureServer();
  fixtures.add("/noise.png", png, "image/png");
  breaking = createServer((_request, response) => {
    breakingHits++;
    response.writeHead(200, { "content-type": "image/png", "content-length": ANNOUNCED_BYTES });
    response.write(randomBytes(SENT_BEFORE_BREAKING), () => response.destroy());
  });
  breaking.listen(0, "127.0.0.1");
  await once(breaking, "listening");
  const { port } = breaking.address() as AddressInfo;
  originUrls = [origin.url.replace(/\/$/, ""), `http://127.0.0.1:${port}`];
  edge = await startEdge({ originUrls, originSecret: "", persistDir });
}, 180_000);

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
  await fixtures?.close();
  breaking?.close();
});

const get = (url: string) => fetch(url, { redirect: "manual" });
const cacheKeyOf = async (url: string) => (await renderRequestFor(catalogue, url)).cacheKey;

/** A canvas URL whose render the edge sends first to the given origin (by its own hashing). */
async function canvasPreferring(originIndex: number, offset: number): Promise<string> {
  for (let i = offset; ; i++) {
    const url = `${edge.url}/graph/canvas.png?width=16&color=%23${i.toString(16).padStart(6, "0")}`;
    if (rendezvousOrder(originUrls, await cacheKeyOf(url))[0] === originUrls[originIndex])
      return url;
  }
}

describe("big results", () => {
  it("streams a result of more than 40 MB from the origin into R2, whole", async () => {
    // Any input URL would do; this one (the fixture server ignores the query) goes straight to the real origin.
    const urlFor = (i: number) =>
      `${edge.url}/graph/passthrough.png?input=${encodeURIComponent(fixtures.at(`/noise.png?v=${i}`))}`;
    let i = 0;
    while (rendezvousOrder(originUrls, await cacheKeyOf(urlFor(i)))[0] !== originUrls[0]) i++;
    const url = urlFor(i);
    const response = await get(url);
    expect(response.status).toBe(301);
    const stored = await fetch(new URL(response.headers.get("location") ?? "", edge.url));
    expect(stored.status).toBe(200);
    const bytes = Buffer.from(await stored.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(MIN_RESULT_BYTES);
    expect(Number(stored.headers.get("content-length"))).toBe(bytes.length);
    const image = await pixelsOf(bytes);
    expect([image.width, image.height]).toEqual([SIDE, SIDE]);
    // Every pixel arrived: the stored image is the noise that went in (RGBA from RGB).
    for (const i of [0, 1, SIDE * SIDE - 1, Math.floor((SIDE * SIDE) / 2)]) {
      expect([...image.pixels.subarray(i * 4, i * 4 + 3)]).toEqual([
        ...noise.subarray(i * 3, i * 3 + 3),
      ]);
    }
  }, 180_000);

  it("fails over to the next origin when one breaks off mid-body", async () => {
    const url = await canvasPreferring(1, 0x100);
    const hitsBefore = breakingHits;
    const response = await get(url);
    expect(response.status).toBe(301);
    expect(breakingHits).toBe(hitsBefore + 1);
    const stored = await fetch(new URL(response.headers.get("location") ?? "", edge.url));
    expect(stored.status).toBe(200);
    expect((await pixelsOf(Buffer.from(await stored.arrayBuffer()))).width).toBe(16);
  });

  it("leaves nothing in R2 when the only origin left breaks off mid-body", async () => {
    await origin.stop();
    const url = await canvasPreferring(1, 0x200);
    const cacheKey = await cacheKeyOf(url);
    for (const attempt of [1, 2]) {
      const hitsBefore = breakingHits;
      const response = await get(url);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { code: string }).code).toBe("origin-failed");
      // No object, so no result marker either: the next request asks the origin again.
      expect(breakingHits, `attempt ${attempt}`).toBe(hitsBefore + 1);
      expect((await get(`${edge.url}/cache/${cacheKey}.png`)).status).toBe(404);
    }
  });
});
