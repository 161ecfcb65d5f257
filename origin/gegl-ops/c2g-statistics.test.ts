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
 * as close to a render of GEGL's as two of GEGL's renders are to each other (within half as much
 * again, pixel by pixel and over 8x8 blocks, where the draws' noise averages out). Its own bytes
 * repeat, on any thread count.
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

/**
 * Expects `ours` to be as close to GEGL's first render as GEGL's two renders are to each other,
 * within half as much again, pixel by pixel and over 8x8 blocks.
 */
function expectGeglPicture(ours: Result, [gegl, again]: Result[], label: string, width: number) {
  expect(ours.channels, label).toBe(gegl?.channels);
  for (const block of [1, 8]) {
    const spread = (a: Result, b: Result) => greyDifference(a, b, width, block);
    const geglSpread = spread(gegl as Result, again as Result);
    expect(spread(ours, gegl as Result), `${label}, GEGL's ${geglSpread}`).toBeLessThan(
      Math.max(1.5 * geglSpread, 0.5),
    );
  }
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
        const [gegl, geglAgain] = [
          await render("gegl:c2g", props, source),
          await render("gegl:c2g", props, source),
        ];
        const ours = await render("imgflo:c2g", props, source);
        const oursOnTwo = await render("imgflo:c2g", props, source, 2);
        expect(ours.header).toMatchObject({ ok: true, operations: ["imgflo:c2g"] });
        expect(gegl.header.operations, source.label).toEqual([]);
        expect(oursOnTwo.payload.equals(ours.payload), source.label).toBe(true);
        expectGeglPicture(
          resultOf(ours),
          [resultOf(gegl), resultOf(geglAgain)],
          source.label,
          source.width,
        );
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
    const [gegl, geglAgain, ours] = [
      await rendered("gegl:c2g"),
      await rendered("gegl:c2g"),
      await rendered("imgflo:c2g"),
    ];
    // Opaque (3 channels, as GEGL's): every pixel was rendered, from the squares around it too.
    expect(ours.channels).toBe(3);
    expectGeglPicture(ours, [gegl, geglAgain], "squares", 64);
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
