import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

let fixtures: FixtureServer;
// The harness turns the input cache off, and with it the decoded inputs: `fresh` decodes every
// input each time, `keeping` decodes a PNG once and renders the next requests from its pixels.
let fresh: OriginProcess;
let keeping: OriginProcess;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  // A PNG with alpha varying over the image, so that resizing and blurring it mix alphas.
  const width = 120;
  const height = 90;
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const [x, y] = [i % width, Math.floor(i / width)];
    pixels.set([(x * 2) % 256, (y * 3) % 256, (x * y) % 256, (x + y * 2) % 256], i * 4);
  }
  fixtures.add(
    "/made/alpha.png",
    await sharp(pixels, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer(),
    "image/png",
  );
  const env = { ALLOW_PRIVATE_INPUTS: "1" };
  [fresh, keeping] = await Promise.all([
    startOrigin(env),
    startOrigin({ ...env, INPUT_CACHE_TTL_MS: "60000" }),
  ]);
});

afterAll(async () => {
  await Promise.all([fresh?.stop(), keeping?.stop()]);
  await fixtures?.close();
});

async function bytesOf(origin: OriginProcess, path: string): Promise<Buffer> {
  const response = await origin.get(path);
  const body = Buffer.from(await response.arrayBuffer());
  expect(response.status, body.toString().slice(0, 200)).toBe(200);
  return body;
}

describe("decoded inputs", () => {
  const mountains = () => encodeURIComponent(fixtures.at("images/mountains.png"));
  const alpha = () => encodeURIComponent(fixtures.at("made/alpha.png"));
  it.each([
    ["full size, PNG", () => `graph/gaussianblur.png?input=${mountains()}&std-dev-x=3&std-dev-y=3`],
    ["resized, JPEG", () => `graph/gaussianblur.jpg?input=${mountains()}&width=300`],
    [
      "with alpha, covered and blurred",
      () => `graph/gaussianblur.png?input=${alpha()}&width=50&height=80&fit=cover&std-dev-x=2`,
    ],
    [
      "with alpha, contained in padding",
      () => `graph/gaussianblur.png?input=${alpha()}&width=200&height=100&fit=contain`,
    ],
  ])("render a PNG %s to the same bytes as decoding it again", async (_what, path) => {
    const expected = await bytesOf(fresh, path());
    // The first request decodes and keeps the pixels; the second renders from them.
    expect((await bytesOf(keeping, path())).equals(expected)).toBe(true);
    expect((await bytesOf(keeping, path())).equals(expected)).toBe(true);
  });
});
