import { afterAll, beforeAll, describe, it } from "vitest";
import type { WorkerProcess } from "../worker/worker-process.ts";
import {
  expectGeglBytes,
  link,
  node,
  type Source,
  type TestGraph,
  testSources,
} from "./tests/graph-jobs.ts";
import { startWorker } from "./tests/worker.ts";

/**
 * blur-swaps.c replaces each gegl:gaussian-blur of a graph that the recursive filter computes
 * (its standard deviations from 1 up, or `iir`, clipped to its input) by imgflo:whole-image-blur,
 * which blurs the input's whole extent in one float image. Every graph renders with the swap and
 * with IMGFLO_WORKER_DIRECT=0 (GEGL's own gblur-1d nodes), and the bytes must be the same; the
 * reply must name imgflo:whole-image-blur where a blur was swapped, and not where none may be.
 */

interface BlurGraph extends TestGraph {
  /** Whether a blur is swapped in it. */
  swapped: boolean;
}

const blur = (id: string, props: Record<string, string>) => node(id, "gegl:gaussian-blur", props);

const GRAPHS: BlurGraph[] = [
  {
    name: "a blur before a blend with the image (halodarken's shape)",
    nodes: [
      node("in", "gegl:nop"),
      blur("blur", { "std-dev-x": "4", "std-dev-y": "2.5" }),
      node("fade", "gegl:opacity", { value: "0.7" }),
      node("dodge", "svg:color-dodge", { srgb: "true" }),
    ],
    links: [
      link("in", "blur"),
      link("blur", "fade"),
      link("fade", "dodge", "aux"),
      link("in", "dodge"),
    ],
    swapped: true,
  },
  ...["0", "1", "2", "3"].map((abyss) => ({
    name: `a blur after a crop off the origin, abyss policy ${abyss}`,
    nodes: [
      node("crop", "gegl:crop", { x: "3", y: "5", width: "40", height: "23" }),
      blur("blur", { "std-dev-x": "6", "std-dev-y": "1", "abyss-policy": abyss }),
      node("fade", "gegl:opacity", { value: "0.9" }),
    ],
    links: [link("crop", "blur"), link("blur", "fade")],
    swapped: true,
  })),
  {
    name: "two blurs, the second forced to the recursion below a standard deviation of 1",
    nodes: [
      blur("wide", { "std-dev-x": "20", "std-dev-y": "20" }),
      blur("narrow", { "std-dev-x": "0.6", "std-dev-y": "1.2", filter: "iir" }),
    ],
    links: [link("wide", "narrow")],
    swapped: true,
  },
  {
    name: "a blur after an edge detection",
    nodes: [
      node("edge", "gegl:edge-sobel"),
      blur("blur", { "std-dev-x": "3", "std-dev-y": "3" }),
      node("contrast", "gegl:brightness-contrast", { contrast: "1.3" }),
    ],
    links: [link("edge", "blur"), link("blur", "contrast")],
    swapped: true,
  },
  {
    // gblur-1d blurs a grey source in Y float: not swapped.
    name: "a blur of a grey image",
    nodes: [node("gray", "gegl:gray"), blur("blur", { "std-dev-x": "3", "std-dev-y": "3" })],
    links: [link("gray", "blur")],
    swapped: false,
  },
  {
    // Below a standard deviation of 1, "auto" convolves, and unclipped the extent grows.
    name: "blurs GEGL convolves or does not clip",
    nodes: [
      node("in", "gegl:nop"),
      blur("small", { "std-dev-x": "0.8", "std-dev-y": "3" }),
      blur("unclipped", { "std-dev-x": "2", "std-dev-y": "2", "clip-extent": "false" }),
    ],
    links: [link("in", "small"), link("small", "unclipped")],
    swapped: false,
  },
];

describe("whole-image blurs", () => {
  let swapping: WorkerProcess;
  let gegl: WorkerProcess;
  const sources: Source[] = [];

  beforeAll(async () => {
    [swapping, gegl] = await Promise.all([
      startWorker({}),
      startWorker({ IMGFLO_WORKER_DIRECT: "0" }),
    ]);
    sources.push(...(await testSources()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([swapping?.close(), gegl?.close()]);
  });

  it.each(GRAPHS.flatMap((graph) => [1, 2].map((threads) => ({ graph, threads }))))(
    "$graph.name on $threads thread(s) gives GEGL's bytes",
    ({ graph, threads }) =>
      expectGeglBytes({ own: swapping, gegl }, graph, sources, threads, {
        operation: "imgflo:whole-image-blur",
        ran: graph.swapped,
      }),
    120_000,
  );
});
