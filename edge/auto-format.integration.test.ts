import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freshDatabase,
  originRequestCount,
  type RunningEdge,
  startEdge,
} from "../test/harness/edge.ts";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

// `<graph>.auto` through the real stack: a GEGL origin, the Worker in workerd, Debian's Chromium.
const ORIGIN_SECRET = "auto-test-origin-secret";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"];

let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const [started, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" }),
    freshDatabase(),
  ]);
  origin = started;
  edge = await startEdge({ originUrls: [origin.url], originSecret: ORIGIN_SECRET, persistDir });
});

afterAll(async () => {
  await edge?.stop();
  await origin?.stop();
  await fixtures?.close();
});

/** An unsigned `.auto` URL of a fixture; `width` makes each test its own set of results. */
const autoUrl = (file: string, width: number, graph = "passthrough") =>
  `${edge.url}/graph/${graph}.auto?input=${encodeURIComponent(fixtures.at(`images/${file}`))}&width=${width}`;
const get = (url: string, accept?: string) =>
  fetch(url, { redirect: "manual", headers: accept === undefined ? {} : { accept } });

/** Follows the 301 and answers the result's content type. */
async function contentTypeFor(url: string, accept?: string): Promise<string | null> {
  const redirect = await get(url, accept);
  expect(redirect.status).toBe(301);
  const result = await fetch(new URL(redirect.headers.get("location") ?? "", edge.url));
  await result.arrayBuffer();
  return result.headers.get("content-type");
}

describe("<graph>.auto", () => {
  it("gives Debian's Chromium AVIF", async () => {
    const browser: Browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage();
      const types: string[] = [];
      page.on("response", (response) => {
        if (response.url().includes("/cache/"))
          types.push(response.headers()["content-type"] ?? "");
      });
      await page.goto(`${edge.url}/version`);
      const size = await page.evaluate(
        async (src) => {
          const img = document.createElement("img");
          img.src = src;
          await img.decode();
          return [img.naturalWidth, img.naturalHeight];
        },
        autoUrl("gridbear.jpg", 61),
      );
      expect(size).toEqual([61, 61]);
      expect(types).toEqual(["image/avif"]);
    } finally {
      await browser.close();
    }
  });

  it("gives WebP to image/webp, the input's family to */* and to no Accept", async () => {
    expect(await contentTypeFor(autoUrl("gridbear.jpg", 62), "image/webp")).toBe("image/webp");
    expect(await contentTypeFor(autoUrl("gridbear.jpg", 62), "*/*")).toBe("image/jpeg");
    expect(await contentTypeFor(autoUrl("gridbear.jpg", 62))).toBe("image/jpeg");
    expect(await contentTypeFor(autoUrl("happy-kitten.svg", 62))).toBe("image/png");
  });

  it("keeps animations animated: WebP when accepted, else GIF, never AVIF", async () => {
    const gif = autoUrl("time.gif", 63);
    expect(await contentTypeFor(gif, "image/avif,image/webp,*/*")).toBe("image/webp");
    expect(await contentTypeFor(gif, "*/*")).toBe("image/gif");
  });

  it("marks the redirect Vary: Accept and private, the result immutable", async () => {
    const redirect = await get(autoUrl("gridbear.jpg", 64), "image/webp");
    expect(redirect.headers.get("vary")).toBe("Accept");
    expect(redirect.headers.get("cache-control")).toMatch(/^private\b/);
    expect(redirect.headers.get("location")).toMatch(/^\/cache\/[0-9a-f]{64}\.webp$/);
    const fixed = await get(autoUrl("gridbear.jpg", 64).replace(".auto", ".webp"));
    expect(fixed.headers.get("vary")).toBeNull();
    expect(fixed.headers.get("cache-control")).toMatch(/^public\b/);
  });

  it("folds 50 made-up Accept values into at most 3 results and 3 renders", async () => {
    const url = autoUrl("gridbear.jpg", 65);
    const before = await originRequestCount(origin);
    const locations = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const types = ["image/avif", "image/webp", "image/png", `image/x-made-up-${i}`, "*/*"];
      const accept = types
        .filter((_, bit) => (i >> bit) & 1 || bit === 3)
        .map((type) => `${type};q=0.${(i % 9) + 1}`)
        .join(", ");
      const response = await get(url, accept);
      expect(response.status).toBe(301);
      locations.add(response.headers.get("location") ?? "");
    }
    expect(locations.size).toBeLessThanOrEqual(3);
    expect((await originRequestCount(origin)) - before).toBeLessThanOrEqual(3);
  });

  it("answers 400 for a generator whose client takes none of its formats", async () => {
    const response = await get(`${edge.url}/graph/canvas.auto?width=8`, "image/gif");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "not-acceptable", header: "accept" });
  });
});
