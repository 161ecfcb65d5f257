import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { Deadline } from "../admission/deadline.ts";
import { decodeToRgba, inspect, openImage } from "./decode.ts";
import type { Size } from "./resize.ts";

/** A grey image of `width` x `height` whose every fourth column (1, 5, 9...) is white. */
async function stripes(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i % width) % 4 === 1 ? 255 : 0;
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

async function open(bytes: Buffer, size: Size, sampling?: "area" | "point"): Promise<Sharp> {
  const source = await inspect(bytes, "png");
  return openImage(source, size, { maxPixels: 1_000_000, animated: false, sampling });
}

const firstRow = async (image: Sharp) => [...(await image.extractChannel(0).raw().toBuffer())];

describe("openImage", () => {
  it("point sampling interpolates at each target pixel's centre, without antialiasing", async () => {
    const bytes = await stripes(8, 1);
    // The centres of 2 pixels out of 8 fall between columns 1 (white) and 2, and 5 and 6.
    expect(await firstRow(await open(bytes, { width: 2, height: 1 }, "point"))).toEqual([128, 128]);
    // The filtered resize averages the white column with its three black neighbours.
    for (const grey of await firstRow(await open(bytes, { width: 2, height: 1 }))) {
      expect(grey).toBeLessThan(100);
    }
  });

  it("point sampling gives exactly the planned size, down and up", async () => {
    const bytes = await stripes(37, 23);
    for (const size of [
      { width: 5, height: 3 },
      { width: 36, height: 22 },
      { width: 1, height: 1 },
      { width: 80, height: 47 },
    ]) {
      const { info } = await (await open(bytes, size, "point")).raw().toBuffer({
        resolveWithObject: true,
      });
      expect({ width: info.width, height: info.height }).toEqual(size);
    }
  });
});

const SIZE = { width: 6, height: 4 };

async function source() {
  const png = await sharp({ create: { ...SIZE, channels: 3, background: "#336699" } })
    .png()
    .toBuffer();
  return inspect(png, "png");
}

describe("decoding for the GEGL worker", () => {
  it("decodes into a pixel file, or into memory without one", async () => {
    const dir = await mkdtemp(join("/dev/shm", "imgflo-decode-test-"));
    try {
      const file = join(dir, "in.v");
      const options = { maxPixels: 1000 };
      const inFile = await decodeToRgba(await source(), SIZE, options, new Deadline(10_000), file);
      expect(inFile).toEqual({ file, ...SIZE });
      const inMemory = await decodeToRgba(await source(), SIZE, options, new Deadline(10_000));
      expect("pixels" in inMemory && [...inMemory.pixels.subarray(0, 4)]).toEqual([
        51, 102, 153, 255,
      ]);
      expect(
        (await sharp(file).raw().toBuffer()).equals((inMemory as { pixels: Buffer }).pixels),
      ).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("decodes into memory when the file cannot be written (a full file system)", async () => {
    const decoded = await decodeToRgba(
      await source(),
      SIZE,
      { maxPixels: 1000 },
      new Deadline(10_000),
      "/nonexistent/in.v",
    );
    expect("pixels" in decoded && decoded.pixels.length).toBe(SIZE.width * SIZE.height * 4);
  });
});
