import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEdge } from "../test/harness/edge.ts";
import type { FixtureServer } from "../test/harness/fixture-server.ts";
import { type Image, pixelsOf } from "../test/harness/origin.ts";
import { type RunningStack, startStack } from "../test/harness/stack.ts";

// Contract §8, image inports: the watermark and blend graphs through the Worker in workerd with a
// real origin, inputs from a loopback fixture server.
const ORIGIN_SECRET = "image-inports-test-origin-secret";
const BLUE = "#0000ff";
const RED = "#ff0000";

let stack: RunningStack;
let fixtures: FixtureServer;
let edge: RunningEdge;
let scratch: string;

const solid = (
  width: number,
  height: number,
  background: string | { r: number; g: number; b: number; alpha: number },
) =>
  sharp({ create: { width, height, channels: 4, background } })
    .png()
    .toBuffer();

/** Same-sized inputs for the blends: the GEGL CLI reads the very same files. */
const BLEND_SIZE = { width: 240, height: 160 };

async function blendInputs(): Promise<void> {
  const backdrop = await sharp(`${process.cwd()}/test/fixtures/images/mountains.png`)
    .resize(BLEND_SIZE.width, BLEND_SIZE.height, { fit: "fill" })
    .png()
    .toBuffer();
  // The overlay fades out to the right: every alpha from opaque to transparent.
  const { width, height } = BLEND_SIZE;
  const pixels = (await sharp(`${process.cwd()}/test/fixtures/images/gridbear.jpg`)
    .resize(width, height, { fit: "fill" })
    .ensureAlpha()
    .raw()
    .toBuffer()) as Buffer;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) pixels[(y * width + x) * 4 + 3] = 255 - (x * 255) / width;
  }
  const overlay = await sharp(pixels, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  for (const [name, bytes] of [
    ["backdrop.png", backdrop],
    ["overlay.png", overlay],
  ] as const) {
    fixtures.add(`/${name}`, bytes, "image/png");
    await writeFile(join(scratch, name), bytes);
  }
}

beforeAll(async () => {
  stack = await startStack(ORIGIN_SECRET);
  ({ fixtures, edge } = stack);
  scratch = await mkdtemp(join(tmpdir(), "imgflo-image-inports-"));
  fixtures.add("/blue.png", await solid(200, 100, BLUE), "image/png");
  fixtures.add("/red.png", await solid(40, 20, RED), "image/png");
  fixtures.add(
    "/half-red.png",
    await solid(40, 20, { r: 255, g: 0, b: 0, alpha: 0.5 }),
    "image/png",
  );
  fixtures.add("/not-an-image.png", Buffer.from("<!doctype html><p>hello</p>"), "image/png");
  await blendInputs();
});

afterAll(async () => {
  await stack?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const processing = (graph: string, params: Record<string, string | number>) =>
  `${edge.url}/graph/${graph}.png?${Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join("&")}`;

/** The result's location (its cache key) and pixels, through the edge's 301. */
async function rendered(url: string): Promise<{ location: string; image: Image }> {
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status, await response.clone().text()).toBe(301);
  const location = response.headers.get("location") as string;
  const result = await fetch(new URL(location, edge.url));
  return { location, image: await pixelsOf(Buffer.from(await result.arrayBuffer())) };
}

function pixel(image: Image, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return [...image.pixels.subarray(at, at + 3)];
}

const near = (actual: number[], expected: number[], tolerance = 2) =>
  expect(
    actual.every((value, c) => Math.abs(value - (expected[c] as number)) <= tolerance),
    `${actual} ≈ ${expected}`,
  ).toBe(true);

const watermark = (params: Record<string, string | number>) =>
  processing("watermark", {
    input: fixtures.at("blue.png"),
    overlay: fixtures.at("red.png"),
    scale: 0.2,
    margin: 10,
    opacity: 1,
    ...params,
  });

describe("watermark", () => {
  // A 40×20 overlay at 0.2 of a 200×100 input: 40×20, 10 px from the edges it is put against.
  const JUSTIFY: Record<string, [number, number]> = {
    center: [0.5, 0.5],
    north: [0.5, 0],
    northeast: [1, 0],
    east: [1, 0.5],
    southeast: [1, 1],
    south: [0.5, 1],
    southwest: [0, 1],
    west: [0, 0.5],
    northwest: [0, 0],
  };

  it.each(Object.entries(JUSTIFY))("puts the overlay at %s", async (position, [jx, jy]) => {
    const { image } = await rendered(watermark({ position }));
    expect([image.width, image.height]).toEqual([200, 100]);
    const left = Math.round(10 + jx * (200 - 40 - 20));
    const top = Math.round(10 + jy * (100 - 20 - 20));
    for (const [x, y] of [
      [left, top],
      [left + 39, top + 19],
      [left + 20, top + 10],
    ] as const) {
      near(pixel(image, x, y), [255, 0, 0]);
    }
    for (const [x, y] of [
      [left - 1, top + 10],
      [left + 40, top + 10],
      [left + 20, top - 1],
      [left + 20, top + 20],
    ] as const) {
      near(pixel(image, x, y), [0, 0, 255]);
    }
  });

  it("weights the overlay by its opacity and its own alpha, on sRGB values", async () => {
    const faded = (await rendered(watermark({ position: "northwest", opacity: 0.5 }))).image;
    near(pixel(faded, 30, 20), [128, 0, 128]);
    const halfRed = (
      await rendered(watermark({ position: "northwest", overlay: fixtures.at("half-red.png") }))
    ).image;
    near(pixel(halfRed, 30, 20), [128, 0, 127]);
    const none = (await rendered(watermark({ position: "northwest", opacity: 0 }))).image;
    near(pixel(none, 30, 20), [0, 0, 255]);
  });

  it("scales the overlay to its share of the input's width, keeping its aspect ratio", async () => {
    const { image } = await rendered(watermark({ position: "northwest", scale: 0.5, margin: 0 }));
    near(pixel(image, 98, 48), [255, 0, 0]);
    near(pixel(image, 101, 25), [0, 0, 255]);
    near(pixel(image, 50, 51), [0, 0, 255]);
  });

  it("takes a processed URL as its overlay (chained), and keys results by the overlay", async () => {
    const chained = "graph/canvas.png?color=%2300ff00&width=40&height=20";
    const green = await rendered(watermark({ position: "northwest", overlay: chained }));
    near(pixel(green.image, 30, 20), [0, 255, 0]);
    const red = await rendered(watermark({ position: "northwest" }));
    expect(red.location).not.toBe(green.location);
    // The same URL again is the same result.
    expect((await rendered(watermark({ position: "northwest", overlay: chained }))).location).toBe(
      green.location,
    );
  });

  it.each([
    [
      "missing",
      () => fixtures.at("status/404"),
      504,
      "input-unreachable",
      /^The overlay could not be fetched: /,
    ],
    [
      "huge",
      () => fixtures.at("bytes/30000000"),
      413,
      "input-too-large",
      /^The overlay is larger than/,
    ],
    [
      "not an image",
      () => fixtures.at("not-an-image.png"),
      415,
      "unsupported-input",
      /^The overlay is not a supported image/,
    ],
  ])(
    "answers a %s overlay with the input's error, naming the overlay",
    async (_, overlay, status, code, error) => {
      const response = await fetch(watermark({ overlay: overlay() }), { redirect: "manual" });
      const body = (await response.json()) as Record<string, unknown>;
      expect({ status: response.status, code: body.code, parameter: body.parameter }).toEqual({
        status,
        code,
        parameter: "overlay",
      });
      expect(body.error).toMatch(error);
    },
  );

  it("answers 400 naming the overlay when it is left out", async () => {
    const response = await fetch(processing("watermark", { input: fixtures.at("blue.png") }), {
      redirect: "manual",
    });
    expect(await response.json()).toMatchObject({
      code: "missing-parameter",
      error: 'Parameter "overlay" is required.',
    });
  });
});

describe("blend", () => {
  const run = promisify(execFile);

  /** GEGL's own result: the gegl CLI, stock operations only, on the same files. */
  async function geglBlend(operation: string, opacity: number, swap: boolean): Promise<Image> {
    const out = join(scratch, `${operation}.png`);
    const [backdrop, overlay] = [join(scratch, "backdrop.png"), join(scratch, "overlay.png")];
    const faded = ["gegl:load", `path=${overlay}`, "gegl:opacity", `value=${opacity}`];
    // svg:hard-light with the layers swapped is overlay as SVG 1.2 defines it (GEGL's
    // svg:overlay tests the other layer's value).
    const chain = swap
      ? [...faded, operation, "srgb=true", "aux=[", "gegl:load", `path=${backdrop}`, "]"]
      : ["gegl:load", `path=${backdrop}`, operation, "srgb=true", "aux=[", ...faded, "]"];
    await run("gegl", ["-o", out, "--", ...chain]);
    return pixelsOf(await readFile(out));
  }

  const blended = async (mode: string, opacity: number) =>
    (
      await rendered(
        processing("blend", {
          input: fixtures.at("backdrop.png"),
          overlay: fixtures.at("overlay.png"),
          mode,
          opacity,
        }),
      )
    ).image;

  function maxDifference(a: Image, b: Image): number {
    let most = 0;
    for (let i = 0; i < a.pixels.length; i++) {
      if (i % 4 !== 3) most = Math.max(most, Math.abs((a.pixels[i] ?? 0) - (b.pixels[i] ?? 0)));
    }
    return most;
  }

  it.each([
    ["normal", "svg:src-over", false],
    ["screen", "svg:screen", false],
    ["overlay", "svg:hard-light", true],
    ["darken", "svg:darken", false],
    ["lighten", "svg:lighten", false],
    ["difference", "svg:difference", false],
  ] as const)(
    "matches GEGL's own %s (%s)",
    async (mode, operation, swap) => {
      const [ours, gegl] = await Promise.all([blended(mode, 0.7), geglBlend(operation, 0.7, swap)]);
      expect([ours.width, ours.height]).toEqual([BLEND_SIZE.width, BLEND_SIZE.height]);
      expect(maxDifference(ours, gegl)).toBeLessThanOrEqual(2);
    },
    90_000,
  );

  it("multiplies by the SVG 1.2 formula (GEGL has no SVG multiply), alpha respected", async () => {
    const ours = await blended("multiply", 1);
    const backdrop = await pixelsOf(await readFile(join(scratch, "backdrop.png")));
    const overlay = await pixelsOf(await readFile(join(scratch, "overlay.png")));
    let most = 0;
    for (let i = 0; i < ours.pixels.length; i += 4) {
      const alpha = (overlay.pixels[i + 3] as number) / 255;
      for (let c = 0; c < 3; c++) {
        const [a, b] = [
          (overlay.pixels[i + c] as number) / 255,
          (backdrop.pixels[i + c] as number) / 255,
        ];
        // Premultiplied, opaque backdrop: cA·cB + cB·(1 − aA).
        const expected = 255 * (a * alpha * b + b * (1 - alpha));
        most = Math.max(most, Math.abs((ours.pixels[i + c] as number) - expected));
      }
    }
    expect(most).toBeLessThanOrEqual(2);
  });

  it("covers the input with the overlay whatever their sizes, cropping the overlay", async () => {
    const { image } = await rendered(
      processing("blend", {
        input: fixtures.at("blue.png"),
        overlay: fixtures.at("red.png"),
        mode: "normal",
      }),
    );
    expect([image.width, image.height]).toEqual([200, 100]);
    for (const [x, y] of [
      [0, 0],
      [199, 99],
      [100, 50],
    ] as const) {
      near(pixel(image, x, y), [255, 0, 0]);
    }
  });
});

describe("the catalogue", () => {
  it("shows image inports with their type", async () => {
    const { graphs } = (await (await fetch(`${edge.url}/graphs`)).json()) as {
      graphs: Record<string, { inports: Record<string, { metadata: { type: string } }> }>;
    };
    expect(graphs.watermark?.inports.overlay?.metadata.type).toBe("image");
    expect(graphs.blend?.inports.overlay?.metadata.type).toBe("image");
    expect(Object.keys(graphs.watermark?.inports ?? {})).toEqual(
      expect.arrayContaining(["input", "overlay", "position", "scale", "opacity", "margin"]),
    );
  });
});
