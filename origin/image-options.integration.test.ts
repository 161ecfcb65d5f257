import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { redBlueHalves } from "../test/harness/made-images.ts";
import { type Image, type OriginProcess, readImage, startOrigin } from "../test/harness/origin.ts";

// A real origin with real GEGL workers; inputs made here and served on loopback.
let origin: OriginProcess;
let fixtures: FixtureServer;

const HALVES = "/made/halves.png";
const ROTATED = "/made/rotated.jpg";
const render = (graph: string, query: string) =>
  readImage(origin.get(`graph/${graph}?input=${encodeURIComponent(fixtures.at(HALVES))}&${query}`));
const at = (image: Image, x: number, y: number) => [
  ...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
];
const RED = [255, 0, 0, 255];
const BLUE = [0, 0, 255, 255];

async function makeInputs(server: FixtureServer): Promise<void> {
  const halves = await redBlueHalves();
  server.add(HALVES, halves, "image/png");
  const rotated = await sharp(halves)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Copyright: "imgflo test" } })
    .toBuffer();
  server.add(ROTATED, rotated, "image/jpeg");
}

beforeAll(async () => {
  fixtures = await startFixtureServer();
  [origin] = await Promise.all([startOrigin({ ALLOW_PRIVATE_INPUTS: "1" }), makeInputs(fixtures)]);
});

afterAll(async () => {
  await origin?.stop();
  await fixtures?.close();
});

describe("fit and gravity", () => {
  it("cover crops to the box, keeping the side gravity names", async () => {
    for (const graph of ["passthrough.png", "gaussianblur.png"]) {
      const blur = graph.startsWith("gaussian") ? "&std-dev-x=0.5&std-dev-y=0.5" : "";
      const west = await render(graph, `width=50&height=50&fit=cover&gravity=west${blur}`);
      const east = await render(graph, `width=50&height=50&fit=cover&gravity=east${blur}`);
      expect([west.width, west.height, east.width, east.height]).toEqual([50, 50, 50, 50]);
      expect(at(west, 25, 25)).toEqual(RED);
      expect(at(east, 25, 25)).toEqual(BLUE);
    }
  });

  it("cover with attention or entropy crops by content", async () => {
    for (const gravity of ["attention", "entropy"]) {
      const image = await render(
        "passthrough.png",
        `width=40&height=100&fit=cover&gravity=${gravity}`,
      );
      expect([image.width, image.height]).toEqual([40, 100]);
    }
  });

  it("keeps animations animated through cover and contain", async () => {
    const gif = encodeURIComponent(fixtures.at("/images/time.gif"));
    for (const query of ["fit=cover&gravity=attention", "fit=contain&gravity=south"]) {
      const image = await readImage(
        origin.get(`graph/passthrough.gif?input=${gif}&width=50&height=30&${query}`),
      );
      expect([image.metadata.width, image.metadata.pageHeight, image.metadata.pages]).toEqual([
        50, 30, 8,
      ]);
    }
  });

  it("contain pads with transparency, or the background, after the graph", async () => {
    const clear = await render("gaussianblur.png", "width=100&height=100&fit=contain&std-dev-x=1");
    expect([clear.width, clear.height]).toEqual([100, 100]);
    expect(at(clear, 50, 5)[3]).toBe(0);
    expect(at(clear, 10, 50)).toEqual(RED);
    const north = await render("passthrough.png", "width=100&height=100&fit=contain&gravity=north");
    expect(at(north, 10, 10)).toEqual(RED);
    expect(at(north, 10, 90)[3]).toBe(0);
    const white = await render("gaussianblur.jpg", "width=100&height=100&fit=contain");
    expect(
      at(white, 50, 5)
        .slice(0, 3)
        .every((value) => (value as number) > 245),
    ).toBe(true);
    const green = await render(
      "passthrough.jpg",
      "width=100&height=100&fit=contain&background=%2300ff00",
    );
    const [r, g, b] = at(green, 50, 5) as number[];
    expect([r, b]).toEqual([expect.closeTo(0, -1.5), expect.closeTo(0, -1.5)]);
    expect(g).toBeGreaterThan(240);
  });

  it("fill stretches, outside covers the box without cropping", async () => {
    const fill = await render("passthrough.png", "width=30&height=60&fit=fill");
    expect([fill.width, fill.height]).toEqual([30, 60]);
    const outside = await render("passthrough.png", "width=50&height=50&fit=outside");
    expect([outside.width, outside.height]).toEqual([100, 50]);
  });

  it("dpr multiplies the size", async () => {
    const image = await render("gaussianblur.png", "width=40&dpr=2.5");
    expect([image.width, image.height]).toEqual([100, 50]);
  });

  it("answers 400 and 422 naming the parameter", async () => {
    for (const [query, status, parameter] of [
      ["fit=banana", 400, "fit"],
      ["dpr=0", 422, "dpr"],
      ["quality=101", 422, "quality"],
      ["width=10&height=10&gravity=north", 400, "gravity"],
    ] as const) {
      const response = await origin.get(
        `graph/passthrough.png?input=${encodeURIComponent(fixtures.at(HALVES))}&${query}`,
      );
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ parameter });
    }
  });
});

describe("quality and metadata", () => {
  it("quality trades bytes for fidelity in every lossy format", async () => {
    const photo = encodeURIComponent(fixtures.at("/images/gridbear.jpg"));
    for (const extension of ["jpg", "webp", "avif"]) {
      const sizeAt = async (quality: number) =>
        (
          await readImage(
            origin.get(`graph/passthrough.${extension}?input=${photo}&quality=${quality}`),
          )
        ).bytes.length;
      expect(await sizeAt(20), extension).toBeLessThan(await sizeAt(90));
    }
  });

  it("strips EXIF by default after applying the orientation", async () => {
    const input = encodeURIComponent(fixtures.at(ROTATED));
    const image = await readImage(origin.get(`graph/gaussianblur.jpg?input=${input}`));
    expect([image.width, image.height]).toEqual([100, 200]);
    expect(image.metadata.exif).toBeUndefined();
    expect(image.metadata.icc).toBeUndefined();
  });

  it("metadata=keep keeps EXIF (orientation reset) and tags the sRGB pixels", async () => {
    const input = encodeURIComponent(fixtures.at(ROTATED));
    for (const graph of ["passthrough.jpg", "gaussianblur.png"]) {
      const image = await readImage(origin.get(`graph/${graph}?input=${input}&metadata=keep`));
      expect([image.width, image.height], graph).toEqual([100, 200]);
      expect(image.metadata.orientation, graph).toBe(1);
      expect(image.metadata.exif?.includes("imgflo test"), graph).toBe(true);
      expect(image.metadata.icc, graph).toBeDefined();
    }
    // The graph's pixels, not the input's: grey where the input is red.
    const grey = await readImage(origin.get(`graph/customgrey.png?input=${input}&metadata=keep`));
    const rgb = at(grey, 50, 20).slice(0, 3);
    expect(Math.max(...rgb) - Math.min(...rgb)).toBeLessThan(8);
    expect(grey.metadata.exif?.includes("imgflo test")).toBe(true);
    const cmyk = encodeURIComponent(fixtures.at("/images/cmyk-color.jpg"));
    const converted = await readImage(
      origin.get(`graph/gaussianblur.jpg?input=${cmyk}&metadata=keep`),
    );
    expect([converted.metadata.space, converted.metadata.channels]).toEqual(["srgb", 3]);
    expect(converted.metadata.icc).toBeDefined();
  });
});
