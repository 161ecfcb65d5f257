import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { thumbHashToRGBA } from "thumbhash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NewApplication } from "../cli/commands/app.ts";
import type { ImageInfo } from "../shared/info-request.ts";
import { computeToken } from "../shared/signature.ts";
import {
  freshDatabase,
  originRequestCount,
  type RunningEdge,
  seedApplications,
  startEdge,
} from "../test/harness/edge.ts";
import {
  FIXTURE_IMAGES_DIR,
  type FixtureServer,
  startFixtureServer,
} from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

// `.auto` and `/info` through the real stack: a GEGL origin, the Worker in workerd, Debian's Chromium.
const ORIGIN_SECRET = "auto-test-origin-secret";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"];

let origin: OriginProcess;
let fixtures: FixtureServer;
let edge: RunningEdge;
let app: NewApplication;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  const [started, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" }),
    freshDatabase(),
  ]);
  origin = started;
  [app] = (await seedApplications(persistDir, [{ name: "info" }])) as [NewApplication];
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

describe("/info", () => {
  const query = (file: string) => `?input=${encodeURIComponent(fixtures.at(`images/${file}`))}`;
  const info = async (path: string) => {
    const response = await get(`${edge.url}${path}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ImageInfo;
  };

  it("describes an input once: the second answer comes from R2", async () => {
    const first = await info(`/info${query("mountains.png")}`);
    const fetched = fixtures.hits("/images/mountains.png");
    expect(fetched).toBeGreaterThan(0);
    expect(await info(`/info${query("mountains.png")}`)).toEqual(first);
    expect(fixtures.hits("/images/mountains.png")).toBe(fetched);
  });

  it("describes a JPEG: size, orientation, colour space, file size, colour, placeholder", async () => {
    const first = await info(`/info${query("gridbear.jpg")}`);
    expect(first).toMatchObject({
      format: "jpeg",
      width: 150,
      height: 150,
      orientation: 1,
      hasAlpha: false,
      animated: false,
      frames: 1,
      colourSpace: "srgb",
      fileSize: readFileSync(join(FIXTURE_IMAGES_DIR, "gridbear.jpg")).length,
    });
    expect(first.dominantColour).toMatch(/^#[0-9a-f]{6}$/);
    const placeholder = thumbHashToRGBA(Buffer.from(first.thumbHash, "base64"));
    expect(placeholder.w).toBe(placeholder.h);
  });

  it("reports animation, alpha, colour space and the ICC profile", async () => {
    expect(await info(`/info${query("time.gif")}`)).toMatchObject({
      format: "gif",
      animated: true,
      frames: 8,
      hasAlpha: true,
    });
    const cmyk = await info(`/info${query("cmyk-color.jpg")}`);
    expect(cmyk).toMatchObject({ colourSpace: "cmyk", width: 500, height: 333 });
    expect(cmyk.iccDescription).toEqual(expect.any(String));
  });

  it("takes the signed form, token over info + the raw query", async () => {
    const search = query("gradient_rainbow.png");
    const token = computeToken("info", search, app.secret);
    expect((await info(`/info/${app.key}/${token}${search}`)).format).toBe("png");
    const wrong = await get(`${edge.url}/info/${app.key}/${"0".repeat(32)}${search}`);
    expect(wrong.status).toBe(403);
    // A forged URL learns nothing about its input: 403 before the input is validated.
    const forged = await get(`${edge.url}/info/${app.key}/${"0".repeat(32)}?input=ftp%3A%2F%2Fx`);
    expect(forged.status).toBe(403);
  });

  it("answers 415 for an input that is no image, and replays it without the origin", async () => {
    fixtures.add("/page.png", Buffer.from("<!doctype html><p>hello</p>"), "image/png");
    const path = `/info?input=${encodeURIComponent(fixtures.at("page.png"))}`;
    expect((await get(`${edge.url}${path}`)).status).toBe(415);
    const fetched = fixtures.hits("/page.png");
    expect((await get(`${edge.url}${path}`)).status).toBe(415);
    expect(fixtures.hits("/page.png")).toBe(fetched);
  });

  it("answers 400 naming input when it is missing or not a URL", async () => {
    for (const path of ["/info", "/info?input=ftp%3A%2F%2Fx.org%2Fa.png"]) {
      const response = await get(`${edge.url}${path}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ parameter: "input" });
    }
  });
});
