import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noise } from "../../test/harness/noise-pixels.ts";
import { Deadline } from "../admission/deadline.ts";
import { swappedOperation } from "../compile/operation-swaps.ts";
import { WORKER_BINARY } from "../config.ts";
import type { JobNode } from "../worker/render-job.ts";
import { WorkerProcess } from "../worker/worker-process.ts";

/**
 * Each project operation the compile swaps in for GEGL's (compile/operation-swaps.ts) must give
 * GEGL's bytes: the same graph renders with the swap and with GEGL's own operation, standing
 * between two other nodes, and the outputs must be identical. The swapped render's reply must
 * name the project operation, so that a swap that does not match cannot pass by rendering
 * GEGL's.
 */

interface SwapCase {
  op: string;
  props: Record<string, string>;
  width: number;
  height: number;
  pixels: Buffer;
  threads?: number;
}

/** The operation between a nop and an opacity: it is one node of a graph, not the graph. */
function job({ op, props, width, height, threads }: SwapCase, swap: boolean) {
  const node: JobNode = { id: "fx", op, props };
  return {
    cmd: "render",
    nodes: [
      { id: "pre", op: "gegl:nop", props: {} },
      { ...node, op: swap ? swappedOperation(node) : op },
      { id: "post", op: "gegl:opacity", props: { value: "0.8" } },
    ],
    links: [
      { from: "pre", from_pad: "output", to: "fx", to_pad: "input" },
      { from: "fx", from_pad: "output", to: "post", to_pad: "input" },
    ],
    input: { node: "pre", pad: "input", width, height },
    output: { node: "post", pad: "output" },
    max_pixels: 100_000_000,
    ...(threads ? { threads } : {}),
  };
}

const SIZES: [number, number][] = [
  [1, 1],
  [1, 9],
  [9, 1],
  [3, 2],
  [129, 65],
  [300, 257],
];

/** Every size with each property set, alternately opaque and with every kind of alpha. */
function cases(op: string, propSets: Record<string, string>[]) {
  return SIZES.flatMap(([width, height], s) =>
    propSets.map((props, p) => ({ op, props, width, height, seed: s * 17 + p + 1 })),
  );
}

describe("operation swaps", () => {
  let worker: WorkerProcess;

  beforeAll(async () => {
    worker = await WorkerProcess.start({
      binary: WORKER_BINARY,
      // The opacity after the operation would render as a point chain: this test is the swaps'.
      env: {
        ...(process.env as Record<string, string>),
        GEGL_THREADS: "1",
        IMGFLO_WORKER_POINT_CHAINS: "0",
      },
      startTimeoutMs: 60_000,
      log: () => {},
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
  });

  async function expectGeglBytes(swapCase: SwapCase) {
    const swapped = await worker.request(
      job(swapCase, true),
      swapCase.pixels,
      new Deadline(60_000),
    );
    const gegl = await worker.request(job(swapCase, false), swapCase.pixels, new Deadline(60_000));
    expect(gegl.header).toMatchObject({ ok: true, path: "gegl", operations: [] });
    // A node whose properties do not allow its swap renders GEGL's: the reply names none.
    const by = swappedOperation({ id: "fx", op: swapCase.op, props: swapCase.props });
    // The fast conversions' counts include babl's trials of a chain, in whichever render first needs it.
    const { conversions: _, ...header } = gegl.header;
    expect({ ...swapped.header, conversions: undefined }).toEqual({
      ...header,
      conversions: undefined,
      operations: by === swapCase.op ? [] : [by],
    });
    expect(swapped.payload.equals(gegl.payload)).toBe(true);
  }

  // Each swapped operation's property sets: every size renders with each of them.
  const propertySets: Record<string, Record<string, string>[]> = {
    "gegl:motion-blur-linear": [
      { length: "0", angle: "0" },
      { length: "0.5", angle: "0" },
      { length: "1", angle: "0" },
      { length: "10", angle: "0" },
      { length: "40.7", angle: "0" },
      { length: "10", angle: "30" },
      { length: "7.3", angle: "-97.3" },
      { length: "12", angle: "90" },
      { length: "25", angle: "180" },
      { length: "9", angle: "-180" },
      { length: "300", angle: "45" },
    ],
    "gegl:edge-sobel": [
      {},
      { "keep-sign": "false" },
      { horizontal: "false" },
      { vertical: "false", "keep-sign": "false" },
      { horizontal: "false", vertical: "false" },
    ],
    "gegl:noise-cie-lch": [
      {},
      { holdness: "4", "lightness-distance": "4", "chroma-distance": "2", "hue-distance": "1" },
      { holdness: "1", "lightness-distance": "0", seed: "7" },
      { holdness: "8", "chroma-distance": "0", "hue-distance": "180", seed: "4000000" },
      { "lightness-distance": "100", "chroma-distance": "100", "hue-distance": "0", seed: "99" },
    ],
    "gegl:noise-reduction": [
      { iterations: "0" },
      { iterations: "1" },
      { iterations: "2" },
      {},
      { iterations: "9" },
    ],
  };

  it.each(Object.entries(propertySets).flatMap(([op, sets]) => cases(op, sets)))(
    "$op swapped gives GEGL's bytes at $width x $height, $props",
    async ({ seed, ...swapCase }) => {
      const pixels = noise(swapCase.width, swapCase.height, seed, seed % 2 === 0);
      await expectGeglBytes({ ...swapCase, pixels });
    },
    60_000,
  );

  it.each([1, 2, 3])(
    "the swaps give GEGL's bytes on %i threads, transparent or not",
    async (threads) => {
      const width = 640;
      const height = 300;
      const nodes: [string, Record<string, string>][] = [
        ["gegl:motion-blur-linear", { length: "40", angle: "0" }],
        ["gegl:motion-blur-linear", { length: "15", angle: "-33" }],
        ["gegl:edge-sobel", { "keep-sign": "false" }],
        ["gegl:noise-reduction", { iterations: "3" }],
        ["gegl:noise-cie-lch", { holdness: "4", "chroma-distance": "2", seed: "3" }],
      ];
      for (const pixels of [noise(width, height, threads), Buffer.alloc(width * height * 4)]) {
        for (const [op, props] of nodes) {
          await expectGeglBytes({ op, props, width, height, pixels, threads });
        }
      }
    },
    120_000,
  );
});
