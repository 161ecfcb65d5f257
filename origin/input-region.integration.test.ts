import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, readImage, startOrigin } from "../test/harness/origin.ts";
import { logLinesOf } from "../test/harness/request-log.ts";

// A crop that takes the input decodes only its rectangle (compile/input-region.ts): the same
// pixels as a graph that reads the whole image, fewer of them decoded.
let origin: OriginProcess;
let fixtures: FixtureServer;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
});

afterAll(async () => {
  await origin?.stop();
  await fixtures?.close();
});

type Rectangle = { x: number; y: number; width: number; height: number };

/** An operation the input goes through before the crop, with its initial values. */
type Before = { id: string; component: string; values?: Record<string, unknown> };

/** Before the crop: an operation no region is read through, so the whole image is decoded. */
const WHOLE: Before[] = [{ id: "cache", component: "gegl/cache" }];

/** input → [before →] crop: the graph's result is the crop's rectangle of what comes before. */
function crop(rectangle: Rectangle, before: Before[]) {
  const graph = croppedNoise(rectangle, before);
  const { noise: _, ...processes } = graph.processes;
  return {
    ...graph,
    outports: { output: { process: "crop", port: "output" } },
    processes,
    connections: graph.connections.filter((c) => c.tgt.process !== "noise"),
  };
}

/** input → [before →] crop → noise-rgb: the noise is seeded by each pixel's place in the image. */
function croppedNoise(rectangle: Rectangle, before: Before[]) {
  const ids = [...before.map(({ id }) => id), "crop", "noise"];
  return {
    inports: { input: { process: ids[0], port: "input" } },
    outports: { output: { process: "noise", port: "output" } },
    processes: {
      ...Object.fromEntries(before.map(({ id, component }) => [id, { component }])),
      crop: { component: "gegl/crop" },
      noise: { component: "gegl/noise-rgb" },
    },
    connections: [
      ...ids.slice(1).map((to, i) => ({
        src: { process: ids[i], port: "output" },
        tgt: { process: to, port: "input" },
      })),
      ...before.flatMap(({ id, values = {} }) =>
        Object.entries(values).map(([port, data]) => ({ data, tgt: { process: id, port } })),
      ),
      ...Object.entries(rectangle).map(([port, data]) => ({
        data,
        tgt: { process: "crop", port },
      })),
    ],
  };
}

let requests = 0;

async function render(
  rectangle: Rectangle,
  before: Before[],
  query: string,
  graph: (rectangle: Rectangle, before: Before[]) => object = croppedNoise,
) {
  const requestId = `input-region-${++requests}`;
  const input = encodeURIComponent(fixtures.at("images/gridbear.jpg"));
  const name = `input-region-${requests}`;
  const image = await readImage(
    fetch(new URL(`graph/${name}.png?input=${input}&${query}`, origin.url), {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({
        name,
        version: requests,
        definition: graph(rectangle, before),
      }),
    }),
  );
  const [line] = await logLinesOf(origin, requestId);
  return { image, decodedPixels: line?.decodedPixels, workerPid: line?.workerPid };
}

describe("a crop at the input", () => {
  it.each([
    ["inside the image", { x: 20, y: 35, width: 60, height: 40 }, "width=150", 60 * 40],
    ["over its edge", { x: 120, y: 130, width: 60, height: 40 }, "width=150", 30 * 20],
    ["at fractions of a pixel", { x: 10.7, y: 3.2, width: 30.9, height: 20.5 }, "width=150", 600],
    ["of an enlarged input", { x: 200, y: 100, width: 90, height: 50 }, "width=400", 90 * 50],
    [
      "of a cover crop",
      { x: 5, y: 5, width: 40, height: 30 },
      "width=120&height=60&fit=cover",
      1200,
    ],
  ])(
    "%s decodes its region alone, with the whole image's pixels",
    async (_, rectangle, query, region) => {
      const whole = await render(rectangle, WHOLE, query);
      const cropped = await render(rectangle, [], query);
      expect(cropped.image.width).toBe(whole.image.width);
      expect(cropped.image.height).toBe(whole.image.height);
      expect(cropped.image.pixels.equals(whole.image.pixels)).toBe(true);
      expect(cropped.decodedPixels).toBe(region);
      expect(whole.decodedPixels).toBeGreaterThan(region);
    },
  );

  it("covering the whole image decodes it as a whole", async () => {
    const all = await render({ x: 0, y: 0, width: 150, height: 150 }, [], "width=150");
    expect(all.decodedPixels).toBe(150 * 150);
  });
});

describe("a crop after operations that keep where pixels come from", () => {
  const rotate: Before = {
    id: "rotate",
    component: "gegl/rotate-on-center",
    values: { degrees: 90, sampler: "nearest" },
  };
  const contrast: Before = {
    id: "contrast",
    component: "gegl/brightness-contrast",
    values: { contrast: 1.5 },
  };
  it.each([
    ["a quarter turn about the centre", [rotate]],
    ["a point filter, then a rotation", [contrast, rotate]],
  ])("%s decodes what the crop reads back, with the whole image's pixels", async (_, before) => {
    const rectangle = { x: 0, y: 0, width: 40, height: 30 };
    const whole = await render(rectangle, [...WHOLE, ...before], "width=150");
    const cut = await render(rectangle, before, "width=150");
    expect([cut.image.width, cut.image.height]).toEqual([whole.image.width, whole.image.height]);
    expect(cut.image.pixels.equals(whole.image.pixels)).toBe(true);
    expect(cut.decodedPixels).toBeLessThan((whole.decodedPixels as number) / 4);
  });
});

describe("a graph that is a crop of its input", () => {
  it.each([
    ["png", { x: 20, y: 35, width: 60, height: 40 }, "width=150"],
    ["png", { x: 10.7, y: 3.2, width: 30.9, height: 20.5 }, "width=150"],
    ["png", { x: 200, y: 100, width: 90, height: 50 }, "width=400&height=300&fit=cover"],
  ])(
    "cuts it in the decode, without GEGL, to the pixels GEGL gives (%s, %o)",
    async (_, rectangle, query) => {
      const byGegl = await render(rectangle, WHOLE, query, crop);
      const cut = await render(rectangle, [], query, crop);
      expect(byGegl.workerPid).toBeGreaterThan(0);
      expect(cut.workerPid).toBeUndefined();
      expect(cut.decodedPixels).toBe(cut.image.width * cut.image.height);
      expect([cut.image.width, cut.image.height]).toEqual([
        byGegl.image.width,
        byGegl.image.height,
      ]);
      expect(cut.image.pixels.equals(byGegl.image.pixels)).toBe(true);
    },
  );

  it("runs GEGL when the crop reaches beside the image (the rest is transparent)", async () => {
    const over = await render({ x: 120, y: 130, width: 60, height: 40 }, [], "width=150", crop);
    expect(over.workerPid).toBeGreaterThan(0);
    expect([over.image.width, over.image.height]).toEqual([60, 40]);
  });
});
