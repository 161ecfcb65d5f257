import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { Deadline } from "./deadline.ts";
import { decodeToRgba, inspect } from "./decode.ts";

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
