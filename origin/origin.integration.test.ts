import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE_KEY_HEADER, PUBLIC_BASE_HEADER } from "../shared/origin-headers.ts";
import {
  FIXTURE_IMAGES_DIR,
  type FixtureServer,
  startFixtureServer,
} from "../test/harness/fixture-server.ts";
import { redBlueHalves } from "../test/harness/made-images.ts";
import {
  meanDifference as difference,
  type Image,
  type OriginProcess,
  pixelsOf,
  readImage,
  startOrigin,
} from "../test/harness/origin.ts";

// One origin for the whole file: real GEGL workers, inputs from a loopback fixture server.
let origin: OriginProcess;
let fixtures: FixtureServer;

const fixture = (name: string) => readFileSync(join(FIXTURE_IMAGES_DIR, name));
const input = (path: string) => encodeURIComponent(fixtures.at(path));
const render = (path: string, headers?: Record<string, string>) =>
  readImage(origin.get(path, headers));

async function makeInputs(server: FixtureServer): Promise<void> {
  const halves = await redBlueHalves();
  // EXIF orientation 6: the stored image is shown turned 90° clockwise, so red ends up on top.
  server.add(
    "/made/rotated.jpg",
    await sharp(halves).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    "image/jpeg",
  );
  server.add(
    "/made/deep.png",
    await sharp(fixture("gridbear.jpg")).toColourspace("rgb16").png().toBuffer(),
    "image/png",
  );
  const translucent = {
    create: {
      width: 64,
      height: 64,
      channels: 4 as const,
      background: { r: 255, g: 0, b: 0, alpha: 0.5 },
    },
  };
  server.add("/made/translucent.png", await sharp(translucent).png().toBuffer(), "image/png");
  server.add(
    "/made/photo.webp",
    await sharp(fixture("gridbear.jpg")).webp().toBuffer(),
    "image/webp",
  );
  server.add(
    "/made/photo.tiff",
    await sharp(fixture("gridbear.jpg")).tiff().toBuffer(),
    "image/tiff",
  );
  const huge = {
    create: { width: 7000, height: 6000, channels: 3 as const, background: "#808080" },
  };
  server.add(
    "/made/huge.png",
    await sharp(huge).png({ compressionLevel: 1 }).toBuffer(),
    "image/png",
  );
  server.add(
    "/made/huge.svg",
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"><rect width="10" height="10"/></svg>',
    ),
    "image/svg+xml",
  );
  server.add(
    "/made/page.html",
    Buffer.from("<!doctype html><html><body>Not an image</body></html>"),
    "image/png",
  );
  server.add("/made/truncated.jpg", fixture("grid-toastybob.jpg").subarray(0, 2000), "image/jpeg");
}

beforeAll(async () => {
  fixtures = await startFixtureServer();
  [origin] = await Promise.all([
    startOrigin({
      ALLOW_PRIVATE_INPUTS: "1",
      MAX_INPUT_BYTES: "3000000",
      FETCH_TIMEOUT_MS: "1500",
    }),
    makeInputs(fixtures),
  ]);
});

afterAll(async () => {
  await origin?.stop();
  await fixtures?.close();
});

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Mean absolute difference between neighbours along one axis: high for sharp images. */
function sharpness(image: Image, axis: "x" | "y"): number {
  const step = axis === "x" ? 4 : image.width * 4;
  const values: number[] = [];
  for (let i = 0; i + step < image.pixels.length; i += 4) {
    if (axis === "x" && (i / 4) % image.width === image.width - 1) continue;
    values.push(Math.abs((image.pixels[i] as number) - (image.pixels[i + step] as number)));
  }
  return mean(values);
}

/** Mean spread between the RGB channels of each pixel: 0 for a grey image. */
function colourfulness(image: Image): number {
  const values: number[] = [];
  for (let i = 0; i < image.pixels.length; i += 4) {
    const [r, g, b] = [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]] as number[];
    values.push(
      Math.max(r as number, g as number, b as number) -
        Math.min(r as number, g as number, b as number),
    );
  }
  return mean(values);
}

function averageOf(image: Image, channel: number): number {
  let total = 0;
  for (let i = channel; i < image.pixels.length; i += 4) total += image.pixels[i] as number;
  return total / (image.pixels.length / 4);
}

const at = (image: Image, x: number, y: number) => [
  ...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
];

describe("catalogue and service routes", () => {
  it("serves the catalogue with every graph of the contract", async () => {
    const response = await origin.get("graphs");
    expect(response.status).toBe(200);
    const { graphs } = (await response.json()) as {
      graphs: Record<string, { inports: Record<string, unknown> }>;
    };
    expect(Object.keys(graphs).sort()).toEqual(
      [
        "canvas",
        "crop",
        "croprotate",
        "customgrey",
        "delaunay_triangles",
        "desaturate",
        "enhancelowres",
        "gaussianblur",
        "gradientmap",
        "halodarken",
        "motionblur",
        "noop",
        "passthrough",
        "retro",
        "watermark",
        "blend",
      ].sort(),
    );
    expect(Object.keys(graphs.crop?.inports ?? {})).toEqual(
      expect.arrayContaining(["input", "x", "y", "cropwidth", "cropheight", "width", "height"]),
    );
  });

  it("reports the server, GEGL, babl and codec versions", async () => {
    const versions = (await (await origin.get("version")).json()) as Record<string, unknown>;
    expect(versions).toMatchObject({
      server: { name: "imgflo-server", version: expect.any(String) },
      gegl: expect.stringMatching(/^0\.4\./),
      babl: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      vips: expect.any(String),
      node: process.versions.node,
    });
  });

  it("serves the testing UI, and opens debug=1 URLs in it pre-filled", async () => {
    const page = await origin.get("");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("<title>");
    const debug = await fetch(new URL("graph/gradientmap.png?input=nowhere&debug=1", origin.url), {
      redirect: "manual",
    });
    expect(debug.status).toBe(302);
    expect(debug.headers.get("location")).toBe("/?graph=gradientmap&format=png&input=nowhere");
  });

  it("reports health: queue, workers and counters", async () => {
    const health = await origin.healthz();
    expect(health.status).toBe("ok");
    expect(health.workers.count).toBe(health.queue.concurrency);
    expect(health.workers.pids).toHaveLength(health.workers.count);
    expect(health.counters).toMatchObject({
      started: expect.any(Number),
      deduplicated: expect.any(Number),
    });
  });
});

describe("every graph", () => {
  it("passthrough re-encodes, resized when asked", async () => {
    const image = await render(
      `graph/passthrough.png?input=${input("images/gridbear.jpg")}&width=100`,
    );
    expect(image).toMatchObject({ format: "png", width: 100, height: 100 });
    const expected = await pixelsOf(
      await sharp(fixture("gridbear.jpg")).resize(100, 100).png().toBuffer(),
    );
    expect(difference(image, expected)).toBeLessThan(3);
  });

  it("noop returns the input bytes untouched (an animated GIF stays animated)", async () => {
    const response = await origin.get(`graph/noop?input=${input("images/time.gif")}`);
    expect(response.headers.get("content-type")).toBe("image/gif");
    expect(Buffer.from(await response.arrayBuffer()).equals(fixture("time.gif"))).toBe(true);
  });

  it("crop cuts the rectangle out", async () => {
    const image = await render(
      `graph/crop.png?input=${input("images/mountains.png")}&x=300&y=200&cropwidth=120&cropheight=80`,
    );
    expect(image).toMatchObject({ format: "png", width: 120, height: 80 });
    const region = { left: 300, top: 200, width: 120, height: 80 };
    const expected = await pixelsOf(
      await sharp(fixture("mountains.png")).extract(region).png().toBuffer(),
    );
    expect(difference(image, expected)).toBeLessThan(1);
  });

  it("croprotate turns the image about its centre before cropping", async () => {
    const size = "x=0&y=0&cropwidth=150&cropheight=150";
    const image = await render(
      `graph/croprotate.png?input=${input("images/gridbear.jpg")}&degrees=180&${size}`,
    );
    expect(image).toMatchObject({ format: "png", width: 150, height: 150 });
    const expected = await pixelsOf(
      await sharp(fixture("gridbear.jpg")).rotate(180).png().toBuffer(),
    );
    const unrotated = await pixelsOf(await sharp(fixture("gridbear.jpg")).png().toBuffer());
    expect(difference(image, expected)).toBeLessThan(difference(image, unrotated) / 4);
  });

  it("gaussianblur blurs", async () => {
    const original = await pixelsOf(fixture("gridbear.jpg"));
    const image = await render(
      `graph/gaussianblur.png?input=${input("images/gridbear.jpg")}&std-dev-x=4&std-dev-y=4`,
    );
    expect(image).toMatchObject({ format: "png", width: 150, height: 150 });
    expect(sharpness(image, "x")).toBeLessThan(sharpness(original, "x") / 2);
    expect(sharpness(image, "y")).toBeLessThan(sharpness(original, "y") / 2);
  });

  it("desaturate turns colour into grey", async () => {
    const image = await render(
      `graph/desaturate.png?input=${input("images/gradient_rainbow.png")}&grainsize=50&samples=2`,
    );
    expect(image).toMatchObject({ format: "png", width: 400, height: 100 });
    expect(colourfulness(await pixelsOf(fixture("gradient_rainbow.png")))).toBeGreaterThan(100);
    expect(colourfulness(image)).toBeLessThan(2);
  });

  it("customgrey turns colour into grey with the project's own operation", async () => {
    const image = await render(
      `graph/customgrey.jpg?input=${input("images/gradient_rainbow.png")}`,
    );
    expect(image).toMatchObject({ format: "jpeg", width: 400, height: 100 });
    expect(colourfulness(image)).toBeLessThan(3);
  });

  it("gradientmap maps dark to the first stop and light to the second", async () => {
    const stops = `color1=${encodeURIComponent("#ff0000")}&color2=${encodeURIComponent("#0000ff")}&opacity=1`;
    const image = await render(
      `graph/gradientmap.png?input=${input("images/gradient-black-white.png")}&${stops}`,
    );
    expect(image).toMatchObject({ format: "png", width: 600, height: 200 });
    const [darkR, , darkB] = at(image, 2, 100) as number[];
    const [lightR, , lightB] = at(image, 597, 100) as number[];
    expect(darkR).toBeGreaterThan(200);
    expect(darkB).toBeLessThan(50);
    expect(lightB).toBeGreaterThan(200);
    expect(lightR).toBeLessThan(50);
  });

  it("retro grades colours by preset", async () => {
    const original = await pixelsOf(fixture("gridbear.jpg"));
    const none = await render(`graph/retro.png?input=${input("images/gridbear.jpg")}&preset=none`);
    const batcave = await render(
      `graph/retro.png?input=${input("images/gridbear.jpg")}&preset=batcave&strength=1`,
    );
    const country = await render(
      `graph/retro.png?input=${input("images/gridbear.jpg")}&preset=country&strength=1`,
    );
    expect(difference(none, original)).toBeLessThan(2);
    expect(difference(batcave, original)).toBeGreaterThan(8);
    expect(difference(country, batcave)).toBeGreaterThan(8);
  });

  it("motionblur smears along its angle", async () => {
    const smear = async (angle: number) => {
      const image = await render(
        `graph/motionblur.png?input=${input("images/gridbear.jpg")}&length=30&angle=${angle}&strength=1`,
      );
      expect(image).toMatchObject({ format: "png", width: 150, height: 150 });
      return sharpness(image, "x") / sharpness(image, "y");
    };
    expect(await smear(0)).toBeLessThan((await smear(90)) * 0.8);
  });

  it("halodarken dodges blurred edges over the image", async () => {
    const original = await pixelsOf(fixture("gridbear.jpg"));
    const image = await render(
      `graph/halodarken.png?input=${input("images/gridbear.jpg")}&strength=1`,
    );
    expect(image).toMatchObject({ format: "png", width: 150, height: 150 });
    expect(difference(image, original)).toBeGreaterThan(3);
  });

  it("enhancelowres smooths and adds fine grain", async () => {
    const original = await pixelsOf(fixture("gridbear.jpg"));
    const image = await render(
      `graph/enhancelowres.png?input=${input("images/gridbear.jpg")}&iterations=4`,
    );
    expect(image).toMatchObject({ format: "png", width: 150, height: 150 });
    const changed = difference(image, original);
    expect(changed).toBeGreaterThan(0.5);
    expect(changed).toBeLessThan(25);
  });

  it("delaunay_triangles generates a mosaic, the same for the same seed", async () => {
    const first = await render("graph/delaunay_triangles.png?seed=7&width=200&height=120");
    const again = await render("graph/delaunay_triangles.png?seed=7&height=120&width=200");
    const other = await render("graph/delaunay_triangles.png?seed=8&width=200&height=120");
    expect(first).toMatchObject({ format: "png", width: 200, height: 120 });
    expect(first.pixels.equals(again.pixels)).toBe(true);
    expect(difference(first, other)).toBeGreaterThan(5);
    const colours = new Set<number>();
    for (let i = 0; i < first.pixels.length; i += 4) colours.add(first.pixels.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(5);
  });

  it("canvas fills with one colour, 512x512 by default", async () => {
    const image = await render(`graph/canvas?color=${encodeURIComponent("#336699")}`);
    expect(image).toMatchObject({ format: "png", width: 512, height: 512 });
    expect(
      new Set(image.pixels.map((_, i) => (i % 4 === 3 ? 0 : (image.pixels[i] as number)))).size,
    ).toBeLessThanOrEqual(4);
    expect(at(image, 300, 300)).toEqual([0x33, 0x66, 0x99, 255]);
    expect(await render("graph/canvas.jpg?width=40")).toMatchObject({
      format: "jpeg",
      width: 40,
      height: 40,
    });
  });
});

describe("formats", () => {
  it.each([
    ["png", "png"],
    ["jpg", "jpeg"],
    ["jpeg", "jpeg"],
    ["webp", "webp"],
    ["avif", "avif"],
    ["gif", "gif"],
  ])("encodes .%s as %s", async (extension, format) => {
    const image = await render(
      `graph/passthrough.${extension}?input=${input("images/gridbear.jpg")}&width=64`,
    );
    expect(image).toMatchObject({ format, width: 64, height: 64, contentType: `image/${format}` });
    expect(image.bytes.length).toBe(Number(image.headers.get("content-length")));
  });

  it("writes 8-bit, progressive (baseline from 2 MP up) and well-compressed files", async () => {
    const png = await render(`graph/gaussianblur.png?input=${input("made/deep.png")}`);
    expect(png.metadata.depth).toBe("uchar");
    expect(png.bytes[24]).toBe(8);
    const jpeg = await render(`graph/passthrough.jpg?input=${input("images/mountains.png")}`);
    expect(jpeg.metadata.isProgressive).toBe(true);
    expect(jpeg.bytes.length).toBeLessThan(fixture("mountains.png").length / 8);
    const large = await render(
      `graph/passthrough.jpg?input=${input("images/mountains.png")}&width=1800`,
    );
    expect(large).toMatchObject({ width: 1800, height: 1250 });
    expect(large.metadata.isProgressive).toBe(false);
  });

  it.each([
    ["images/gridbear.jpg", "jpeg"],
    ["images/mountains.png", "png"],
    ["made/photo.webp", "webp"],
    ["images/time.gif", "gif"],
    ["images/happy-kitten.svg", "png"],
    ["made/photo.tiff", "png"],
  ])("keeps the input's format without an extension: %s → %s", async (path, format) => {
    expect(await render(`graph/passthrough?input=${input(path)}&width=50`)).toMatchObject({
      format,
      width: 50,
    });
  });

  it("keeps animation when a GIF is re-encoded as GIF", async () => {
    const image = await render(`graph/passthrough.gif?input=${input("images/time.gif")}&width=100`);
    expect(image.metadata.pages).toBe(8);
    expect(image.width).toBe(100);
  });

  it("converts CMYK JPEGs to sRGB with the right colours", async () => {
    const image = await render(`graph/passthrough.png?input=${input("images/cmyk-color.jpg")}`);
    expect(image).toMatchObject({ width: 500, height: 333 });
    expect(image.metadata.space).toBe("srgb");
    const expected = await pixelsOf(
      await sharp(fixture("cmyk-color.jpg")).toColourspace("srgb").png().toBuffer(),
    );
    expect(difference(image, expected)).toBeLessThan(2);
    const blurred = await render(
      `graph/gaussianblur.png?input=${input("images/cmyk-color.jpg")}&std-dev-x=1&std-dev-y=1`,
    );
    // Blurring in linear light shifts sRGB averages a little; inverted CMYK would shift them by ~100.
    for (let channel = 0; channel < 3; channel++) {
      expect(Math.abs(averageOf(blurred, channel) - averageOf(expected, channel))).toBeLessThan(8);
    }
  });

  it("applies EXIF orientation before anything else", async () => {
    for (const graph of ["passthrough", "gaussianblur"]) {
      const image = await render(
        `graph/${graph}.png?input=${input("made/rotated.jpg")}&std-dev-x=1&std-dev-y=1`,
      );
      expect(image).toMatchObject({ width: 100, height: 200 });
      const [topR, , topB] = at(image, 50, 20) as number[];
      const [bottomR, , bottomB] = at(image, 50, 180) as number[];
      expect(topR).toBeGreaterThan(200);
      expect(topB).toBeLessThan(60);
      expect(bottomB).toBeGreaterThan(200);
      expect(bottomR).toBeLessThan(60);
    }
  });

  it("rasterises SVG input at the requested size", async () => {
    const image = await render(
      `graph/gaussianblur.png?input=${input("images/happy-kitten.svg")}&width=372&std-dev-x=1`,
    );
    expect(image).toMatchObject({ format: "png", width: 372, height: 290 });
    expect(colourfulness(image)).toBeGreaterThan(5);
  });

  it("reads 16-bit PNGs and writes 8-bit ones", async () => {
    const image = await render(`graph/passthrough.png?input=${input("made/deep.png")}`);
    expect(image.bytes[24]).toBe(8);
    expect(difference(image, await pixelsOf(fixture("gridbear.jpg")))).toBeLessThan(2);
  });

  it("keeps transparency in PNG and puts JPEG on white", async () => {
    const png = await render(
      `graph/gaussianblur.png?input=${input("made/translucent.png")}&std-dev-x=1`,
    );
    expect(png.metadata.hasAlpha).toBe(true);
    expect(at(png, 32, 32)[3]).toBeGreaterThan(100);
    expect(at(png, 32, 32)[3]).toBeLessThan(160);
    const jpeg = await render(`graph/passthrough.jpg?input=${input("made/translucent.png")}`);
    expect(at(jpeg, 32, 32).slice(0, 3)).toEqual([
      expect.closeTo(255, -1),
      expect.closeTo(128, -1),
      expect.closeTo(128, -1),
    ]);
  });

  it.each([
    ["a wrong Content-Type", "images/gridbear.jpg?type=text/plain"],
    ["no Content-Type", "images/gridbear.jpg?type=none"],
    ["a query string", "images/gridbear.jpg?size=large&v=3"],
    ["a :large suffix", "images/gridbear.jpg:large"],
  ])("detects the type from the bytes despite %s", async (_, path) => {
    expect(await render(`graph/passthrough?input=${input(path)}`)).toMatchObject({
      format: "jpeg",
      width: 150,
    });
  });
});

describe("inputs", () => {
  it("resolves relative inputs against this origin: bundled files and chained renders", async () => {
    expect(await render("graph/passthrough.png?input=files/gridbear.jpg&width=30")).toMatchObject({
      width: 30,
    });
    const inner = encodeURIComponent(
      `/graph/canvas.png?color=${encodeURIComponent("#ff0000")}&width=50`,
    );
    const chained = await render(`graph/gaussianblur.png?input=${inner}&std-dev-x=1`);
    expect(chained).toMatchObject({ width: 50, height: 50 });
    expect(at(chained, 25, 25)).toEqual([255, 0, 0, 255]);
  });

  it("resolves relative inputs against the edge's public base when given", async () => {
    const image = await render("graph/passthrough?input=images/gridbear.jpg", {
      [PUBLIC_BASE_HEADER]: fixtures.url,
    });
    expect(image).toMatchObject({ format: "jpeg", width: 150 });
  });
});

describe("errors", () => {
  const bear = () => input("images/gridbear.jpg");
  // The contract's error table, one row per way of getting there; [case, path, status, code, message].
  const table: [string, () => string, number, string, RegExp][] = [
    [
      "a bad number",
      () => `graph/gaussianblur?input=${bear()}&std-dev-x=wide`,
      400,
      "invalid-parameter",
      /std-dev-x/,
    ],
    ["no input", () => "graph/gaussianblur", 400, "missing-parameter", /input/],
    [
      "an unknown extension",
      () => `graph/passthrough.bmp?input=${bear()}`,
      400,
      "malformed-url",
      /bmp/,
    ],
    [
      "a non-http input",
      () => "graph/passthrough?input=ftp://example.com/a.png",
      400,
      "invalid-parameter",
      /http/,
    ],
    ["an unknown graph", () => "graph/sepia?input=x", 404, "unknown-graph", /sepia/],
    ["an unknown path", () => "nothing/here", 404, "not-found", /nothing/],
    [
      "a large input",
      () => `graph/passthrough?input=${input("bytes/3000001")}`,
      413,
      "input-too-large",
      /3000000/,
    ],
    [
      "a large chunked input",
      () => `graph/passthrough?input=${input("bytes/3000001?chunked=1")}`,
      413,
      "input-too-large",
      /3000000/,
    ],
    [
      "an HTML page",
      () => `graph/passthrough?input=${input("made/page.html")}`,
      415,
      "unsupported-input",
      /HTML.*jpeg, png/,
    ],
    [
      "a truncated JPEG",
      () => `graph/gaussianblur?input=${input("made/truncated.jpg")}`,
      415,
      "unsupported-input",
      /jpeg/,
    ],
    [
      "a huge PNG",
      () => `graph/passthrough?input=${input("made/huge.png")}`,
      422,
      "too-many-pixels",
      /42000000/,
    ],
    [
      "a huge SVG",
      () => `graph/passthrough?input=${input("made/huge.svg")}`,
      422,
      "too-many-pixels",
      /81000000/,
    ],
    [
      "a huge resize",
      () => `graph/gaussianblur?input=${bear()}&width=16000`,
      422,
      "too-many-pixels",
      /256000000/,
    ],
    [
      "a huge generator",
      () => "graph/canvas?width=10000&height=10000",
      422,
      "too-many-pixels",
      /100000000/,
    ],
    [
      "a WebP beyond its format",
      () => "graph/canvas.webp?width=16384&height=10",
      422,
      "too-many-pixels",
      /16383/,
    ],
    [
      "a value above maximum",
      () => `graph/gaussianblur?input=${bear()}&std-dev-x=1000`,
      422,
      "out-of-range",
      /at most 100/,
    ],
    [
      "an input answering 404",
      () => `graph/passthrough?input=${input("status/404")}`,
      504,
      "input-unreachable",
      /404/,
    ],
    [
      "an unreachable input",
      () => "graph/passthrough?input=http%3A%2F%2F127.0.0.1%3A1%2Fa.png",
      504,
      "input-unreachable",
      /ECONNREFUSED/,
    ],
    [
      "a stalled input",
      () => `graph/passthrough?input=${input("stall")}`,
      504,
      "input-unreachable",
      /1.5 s/,
    ],
  ];

  it.each(table)("%s", async (_, path, status, code, message) => {
    const response = await origin.get(path());
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string; code: string };
    expect({ status: response.status, code: body.code }).toEqual({ status, code });
    expect(body.error).toMatch(message);
  });

  it("400 for a relative input that cannot be resolved against the given public base", async () => {
    const response = await origin.get("graph/passthrough?input=files/a.png", {
      [PUBLIC_BASE_HEADER]: "not a url",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid-parameter", parameter: "input" });
  });

  it("405 for other methods", async () => {
    const response = await fetch(new URL("graph/passthrough?input=x", origin.url), {
      method: "PUT",
    });
    expect(response.status).toBe(405);
  });
});

describe("concurrency", () => {
  it("shares one fetch and one render between identical requests in flight", async () => {
    const before = await origin.healthz();
    const fetched = fixtures.hits("/images/gridbear.jpg");
    const path = `graph/gaussianblur.png?input=${input("images/gridbear.jpg?delay=400")}&std-dev-x=3`;
    const results = await Promise.all(Array.from({ length: 6 }, () => render(path)));
    const after = await origin.healthz();
    expect(after.counters.started - before.counters.started).toBe(1);
    expect(after.counters.deduplicated - before.counters.deduplicated).toBe(5);
    expect(fixtures.hits("/images/gridbear.jpg") - fetched).toBe(1);
    for (const result of results)
      expect(result.bytes.equals(results[0]?.bytes as Buffer)).toBe(true);
    expect(new Set(results.map((result) => result.headers.get(CACHE_KEY_HEADER))).size).toBe(1);
  });

  it("survives a worker crashing mid-render: 500 for that render, the next one works", async () => {
    const before = await origin.healthz();
    const heavy = origin.get(
      `graph/gaussianblur.jpg?input=${input("images/mountains.png")}&width=4000&std-dev-x=20`,
    );
    let busy: number[] = [];
    for (let i = 0; i < 400 && busy.length === 0; i++) {
      busy = (await origin.healthz()).workers.busyPids;
      if (busy.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(busy).toHaveLength(1);
    process.kill(busy[0] as number, "SIGKILL");
    const response = await heavy;
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: "render-failed" });
    expect(
      await render(`graph/gaussianblur.png?input=${input("images/gridbear.jpg")}&std-dev-x=2`),
    ).toMatchObject({ width: 150 });
    const after = await origin.healthz();
    expect(after.workers.replaced).toBe(before.workers.replaced + 1);
    expect(after.workers.restarts.crash).toBe(before.workers.restarts.crash + 1);
    expect(after.workers.pids).not.toContain(busy[0]);
    // The crashed render's pixel files (44 MB of input: not through the pipes) are gone too.
    const pixelFiles = /pixel files in ([^\s"]+)/.exec(origin.output())?.[1] as string;
    expect(await readdir(pixelFiles)).toEqual([]);
  });
});
