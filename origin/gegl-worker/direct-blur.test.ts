import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";
import { noise } from "../../test/harness/noise-pixels.ts";
import { Deadline } from "../admission/deadline.ts";
import type { WorkerProcess } from "../worker/worker-process.ts";
import { startWorker } from "./tests/worker.ts";

/**
 * direct-blur.c computes a lone gegl:gaussian-blur without GEGL's buffers. It must give GEGL's
 * own bytes: the same requests go to a worker that takes the direct path and to one that
 * renders through GEGL (IMGFLO_WORKER_DIRECT=0), and the outputs must be identical.
 */

const MOUNTAINS = join(FIXTURE_IMAGES_DIR, "mountains.png");

interface BlurCase {
  width: number;
  height: number;
  props: Record<string, string>;
  pixels: Buffer;
}

function blurJob({ width, height, props }: BlurCase) {
  return {
    cmd: "render",
    nodes: [{ id: "blur", op: "gegl:gaussian-blur", props: { "clip-extent": "true", ...props } }],
    input: { node: "blur", pad: "input", width, height },
    output: { node: "blur", pad: "output" },
    max_pixels: 100_000_000,
  };
}

/**
 * A reply's header without the pixels each fast conversion converted: the direct blur converts
 * its table of opaque values (512 pixels) through babl's fish as well as the image.
 */
function withoutConversions(header: Record<string, unknown>): Record<string, unknown> {
  const { conversions: _, ...rest } = header;
  return rest;
}

describe("the direct gaussian blur", () => {
  let direct: WorkerProcess;
  let viaGegl: WorkerProcess;
  let mountains: { data: Buffer; width: number; height: number };

  beforeAll(async () => {
    [direct, viaGegl] = await Promise.all([
      startWorker({}),
      startWorker({ IMGFLO_WORKER_DIRECT: "0" }),
    ]);
    const { data, info } = await sharp(MOUNTAINS)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    mountains = { data, width: info.width, height: info.height };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([direct?.close(), viaGegl?.close()]);
  });

  async function bothWays(blur: BlurCase, threads?: number) {
    const job = { ...blurJob(blur), ...(threads ? { threads } : {}) };
    const a = await direct.request(job, blur.pixels, new Deadline(60_000));
    const b = await viaGegl.request(job, blur.pixels, new Deadline(60_000));
    expect(b.header).toMatchObject({
      ok: true,
      width: blur.width,
      height: blur.height,
      path: "gegl",
    });
    // The reply names the path that rendered: a broken match cannot pass by falling back to GEGL.
    expect(withoutConversions(a.header)).toEqual({
      ...withoutConversions(b.header),
      path: "direct-blur",
    });
    return { direct: a.payload, viaGegl: b.payload };
  }

  const sizes: [number, number][] = [
    [1, 1],
    [1, 9],
    [9, 1],
    [2, 3],
    [129, 65],
    [257, 130],
    [300, 17],
  ];
  const stdDevs: [string, string][] = [
    ["1", "1"],
    ["2", "2"],
    ["2.49", "2.5"],
    ["4", "10.37"],
    ["37", "3"],
    ["100", "100"],
  ];

  it.each(
    sizes.flatMap(([width, height], s) =>
      stdDevs.flatMap(([x, y], d) =>
        [false, true].map((opaque) => ({ width, height, x, y, opaque, seed: s * 31 + d + 1 })),
      ),
    ),
  )(
    "gives GEGL's bytes for $width x $height at std-dev $x / $y (opaque: $opaque)",
    async ({ width, height, x, y, opaque, seed }) => {
      const out = await bothWays({
        width,
        height,
        props: { "std-dev-x": x, "std-dev-y": y },
        pixels: noise(width, height, seed, opaque),
      });
      expect(out.direct.equals(out.viaGegl)).toBe(true);
    },
  );

  it.each(["none", "clamp", "black", "white"])(
    "gives GEGL's bytes with the %s abyss policy and the iir filter",
    async (policy) => {
      const out = await bothWays({
        width: 150,
        height: 70,
        props: { "std-dev-x": "0.5", "std-dev-y": "6", "abyss-policy": policy, filter: "iir" },
        pixels: noise(150, 70, 7),
      });
      expect(out.direct.equals(out.viaGegl)).toBe(true);
    },
  );

  it("gives GEGL's bytes for an opaque image with a few transparent pixels", async () => {
    const pixels = noise(300, 40, 11, true);
    for (const pixel of [5, 140, 5000, 11_999]) pixels[pixel * 4 + 3] = 0;
    const out = await bothWays({
      width: 300,
      height: 40,
      props: { "std-dev-x": "3", "std-dev-y": "3" },
      pixels,
    });
    expect(out.direct.equals(out.viaGegl)).toBe(true);
  });

  it("gives GEGL's bytes with 8-bit input (IMGFLO_WORKER_INPUT=u8)", async () => {
    const [direct8, viaGegl8] = await Promise.all([
      startWorker({ IMGFLO_WORKER_INPUT: "u8" }),
      startWorker({ IMGFLO_WORKER_INPUT: "u8", IMGFLO_WORKER_DIRECT: "0" }),
    ]);
    try {
      const blur = {
        width: 129,
        height: 65,
        props: { "std-dev-x": "2.5", "std-dev-y": "4" },
        pixels: noise(129, 65, 5),
      };
      const opaque = { ...blur, pixels: noise(129, 65, 6, true) };
      for (const job of [blur, opaque]) {
        const a = await direct8.request(blurJob(job), job.pixels, new Deadline(60_000));
        const b = await viaGegl8.request(blurJob(job), job.pixels, new Deadline(60_000));
        expect(b.header).toMatchObject({ ok: true, width: 129, height: 65, path: "gegl" });
        expect(withoutConversions(a.header)).toEqual({
          ...withoutConversions(b.header),
          path: "direct-blur",
        });
        expect(a.payload.equals(b.payload)).toBe(true);
      }
    } finally {
      await Promise.all([direct8.close(), viaGegl8.close()]);
    }
  });

  // The origin gives a render that has the machine to itself every core: each pass is divided
  // among GEGL's threads, whose count must not change a byte.
  it.each([2, 3])("gives GEGL's bytes on %i threads", async (threads) => {
    const cases = [
      { width: 257, height: 130, props: { "std-dev-x": "4", "std-dev-y": "10.37" } },
      { width: 3, height: 70, props: { "std-dev-x": "2", "std-dev-y": "2" } },
    ].map((blur, k) => ({ ...blur, pixels: noise(blur.width, blur.height, 40 + k) }));
    const photo = { ...mountains, props: { "std-dev-x": "10.21", "std-dev-y": "10.21" } };
    for (const blur of [...cases, { ...photo, pixels: mountains.data }]) {
      const out = await bothWays(blur, threads);
      expect(out.direct.equals(out.viaGegl)).toBe(true);
    }
  });

  it("gives GEGL's bytes for a photograph (the benchmark's W2)", async () => {
    const out = await bothWays({
      width: mountains.width,
      height: mountains.height,
      props: { "std-dev-x": "10.21", "std-dev-y": "10.21" },
      pixels: mountains.data,
    });
    expect(out.direct.equals(out.viaGegl)).toBe(true);
  });
});
