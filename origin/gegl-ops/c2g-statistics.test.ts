import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noise } from "../../test/harness/noise-pixels.ts";
import { Deadline } from "../admission/deadline.ts";
import { link, node, photo, renderGraph, type Source } from "../gegl-worker/tests/graph-jobs.ts";
import { startWorker } from "../gegl-worker/tests/worker.ts";
import type { WorkerProcess } from "../worker/worker-process.ts";

/**
 * imgflo:c2g stands in for gegl:c2g (compile/operation-swaps.ts), whose output is random: GEGL
 * seeds its table of distances from the clock once per process, and one counter walks it for
 * every pixel of every render. So the swap cannot give GEGL's bytes; it must give GEGL's picture:
 * as close to GEGL's renders as they are to each other (within half as much again, pixel by pixel
 * and over 8x8 blocks, where the draws' noise averages out), on average over GEGL_RENDERS of
 * them: one pair of GEGL's renders of 64x48 squares differed by 0.37 to 0.68 levels over 8x8
 * blocks, so a bound from one pair failed about one run in six (with means over five renders,
 * one run in 59 of the whole file failed). Its own bytes repeat, on any thread count.
 */

/** A render's result: its pixels, `channels` bytes each (3 when opaque, else 4). */
interface Result {
  payload: Buffer;
  channels: number;
}

const resultOf = ({ header, payload }: { header: Record<string, unknown>; payload: Buffer }) => ({
  payload,
  channels: header.channels as number,
});

/**
 * Mean absolute difference of two results' grey (their first channel), in levels, over blocks of
 * `block` x `block` pixels (1: pixel by pixel; larger blocks average the draws' noise out).
 */
function greyDifference(a: Result, b: Result, width: number, block: number): number {
  const height = a.payload.length / a.channels / width;
  let total = 0;
  let blocks = 0;
  for (let by = 0; by + block <= height; by += block)
    for (let bx = 0; bx + block <= width; bx += block) {
      let sum = 0;
      for (let y = by; y < by + block; y++)
        for (let x = bx; x < bx + block; x++) {
          const i = y * width + x;
          sum += (a.payload[i * a.channels] as number) - (b.payload[i * b.channels] as number);
        }
      total += Math.abs(sum) / (block * block);
      blocks++;
    }
  return total / blocks;
}

/** GEGL's renders each comparison takes the mean over. */
const GEGL_RENDERS = 6;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Expects `ours` to be as close to GEGL's renders, on average, as they are to each other, within
 * half as much again, pixel by pixel and over 8x8 blocks.
 */
function expectGeglPicture(ours: Result, gegl: Result[], label: string, width: number) {
  for (const render of gegl) expect(ours.channels, label).toBe(render.channels);
  for (const block of [1, 8]) {
    const spread = (a: Result, b: Result) => greyDifference(a, b, width, block);
    const geglSpread = mean(gegl.flatMap((a, i) => gegl.slice(i + 1).map((b) => spread(a, b))));
    expect(
      mean(gegl.map((render) => spread(ours, render))),
      `${label}, GEGL's ${geglSpread}`,
    ).toBeLessThan(Math.max(1.5 * geglSpread, 0.5));
  }
}

/** GEGL_RENDERS of GEGL's renders, one after another (the worker takes one request at a time). */
async function geglRenders<T>(render: () => Promise<T>): Promise<T[]> {
  const renders: T[] = [];
  for (let i = 0; i < GEGL_RENDERS; i++) renders.push(await render());
  return renders;
}

const PROPERTY_SETS: Record<string, string>[] = [
  { radius: "30", iterations: "12", "enhance-shadows": "true" },
  { radius: "300", samples: "3" },
  { radius: "12", samples: "6", iterations: "4" },
  // More draws a pixel than a walk makes ahead (imgflo-c2g.c's WALK_DRAWS).
  { radius: "40", samples: "9", iterations: "9" },
];

describe("imgflo:c2g", () => {
  let worker: WorkerProcess;
  const sources: Source[] = [];

  beforeAll(async () => {
    worker = await startWorker({ IMGFLO_WORKER_POINT_CHAINS: "0" });
    sources.push(await photo(160), {
      label: "noise with alpha",
      pixels: noise(90, 70, 3),
      width: 90,
      height: 70,
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
  });

  const render = (op: string, props: Record<string, string>, source: Source, threads = 1) =>
    renderGraph(worker, { name: op, nodes: [node("grey", op, props)], links: [] }, source, threads);

  it.each(PROPERTY_SETS)(
    "gives GEGL's picture and the same bytes every time, %o",
    async (props) => {
      for (const source of sources) {
        const gegl = await geglRenders(() => render("gegl:c2g", props, source));
        const ours = await render("imgflo:c2g", props, source);
        const oursOnTwo = await render("imgflo:c2g", props, source, 2);
        expect(ours.header).toMatchObject({ ok: true, operations: ["imgflo:c2g"] });
        for (const render of gegl) expect(render.header.operations, source.label).toEqual([]);
        expect(oursOnTwo.payload.equals(ours.payload), source.label).toBe(true);
        expectGeglPicture(resultOf(ours), gegl.map(resultOf), source.label, source.width);
      }
    },
    120_000,
  );

  it("reads an unbounded input around the region rendered", async () => {
    const job = (op: string) => ({
      cmd: "render",
      nodes: [
        node("squares", "gegl:checkerboard", { "x-offset": "3", y: "5" }),
        node("grey", op, { radius: "9", iterations: "6" }),
      ],
      links: [link("squares", "grey")],
      output: { node: "grey", pad: "output" },
      size: { x: 0, y: 0, width: 64, height: 48 },
      max_pixels: 100_000,
    });
    const rendered = async (op: string) =>
      resultOf(await worker.request(job(op), Buffer.alloc(0), new Deadline(60_000)));
    const gegl = await geglRenders(() => rendered("gegl:c2g"));
    const ours = await rendered("imgflo:c2g");
    // Opaque (3 channels, as GEGL's): every pixel was rendered, from the squares around it too.
    expect(ours.channels).toBe(3);
    expectGeglPicture(ours, gegl, "squares", 64);
  }, 60_000);

  it("gives mid grey where there is no contrast, as GEGL's does", async () => {
    const flat = { label: "flat", pixels: Buffer.alloc(40 * 30 * 4, 0x80), width: 40, height: 30 };
    flat.pixels.forEach((_, i) => {
      if (i % 4 === 3) flat.pixels[i] = 255;
    });
    const [ours, gegl] = [await render("imgflo:c2g", {}, flat), await render("gegl:c2g", {}, flat)];
    expect(ours.payload.equals(gegl.payload)).toBe(true);
  }, 60_000);
});
