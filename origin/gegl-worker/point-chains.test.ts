import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noise } from "../../test/harness/noise-pixels.ts";
import { Deadline } from "../admission/deadline.ts";
import type { JobNode } from "../worker/render-job.ts";
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
 * point-chain-fusion.c replaces each chain of point operations that one source feeds with one
 * imgflo:point-chain, which calls the graph's own operations over small runs of pixels and, when
 * the source's pixels are 8 bytes or fewer, once per distinct source value. Every graph here
 * renders with chains and without (IMGFLO_WORKER_POINT_CHAINS=0), and the bytes must be the
 * same; the reply must name imgflo:point-chain where a chain rendered and not where none can.
 * Between them the graphs hold every operation of point-chain-fusion.c's chainable_operations.
 */

interface ChainGraph extends TestGraph {
  /** Whether a chain renders in it. */
  chained: boolean;
}

/** A look put over its own input, as the catalogue's retro and gradientmap do. */
function overItself(name: string, look: JobNode, blend: string, opacity = "0.5"): ChainGraph {
  return {
    name,
    nodes: [
      node("in", "gegl:nop"),
      look,
      node("opacity", "gegl:opacity", { value: opacity }),
      node("blend", blend, { srgb: "true" }),
    ],
    links: [
      link("in", look.id),
      link(look.id, "opacity"),
      link("opacity", "blend", "aux"),
      link("in", "blend"),
    ],
    chained: true,
  };
}

const GRAPHS: ChainGraph[] = [
  overItself("retro", node("curve", "imgflo:retro-curve", { preset: "prog" }), "svg:src-over"),
  overItself(
    "gradientmap",
    node("map", "imgflo:gradient-map", { color1: "#0A2A2F", color5: "#FFFFFF" }),
    "svg:src-over",
  ),
  // The catalogue's gradientmap leaves opacity at its default, 1: GEGL hands its input on.
  overItself(
    "gradientmap at full opacity",
    node("map", "imgflo:gradient-map", { color3: "#D1495B" }),
    "svg:src-over",
    "1",
  ),
  overItself(
    "contrast screened",
    node("contrast", "gegl:brightness-contrast", { contrast: "1.2", brightness: "0.1" }),
    "svg:screen",
  ),
  overItself("grey dodged", node("gray", "gegl:gray"), "svg:color-dodge", "0.7"),
  {
    name: "one operation",
    nodes: [node("grey", "imgflo:custom-grey")],
    links: [],
    chained: true,
  },
  {
    name: "opacity by a mask of the image's grey",
    nodes: [node("in", "gegl:nop"), node("gray", "gegl:gray"), node("mask", "gegl:opacity")],
    links: [link("in", "gray"), link("gray", "mask", "aux"), link("in", "mask")],
    chained: true,
  },
  {
    name: "a chain before a blur and one after it, from its float pixels",
    nodes: [
      node("contrast", "gegl:brightness-contrast", { contrast: "0.8" }),
      node("blur", "gegl:gaussian-blur", { "std-dev-x": "2", "std-dev-y": "2" }),
      node("fade", "gegl:opacity", { value: "0.8" }),
      node("gray", "gegl:gray"),
    ],
    links: [link("contrast", "blur"), link("blur", "fade"), link("fade", "gray")],
    chained: true,
  },
  {
    name: "a chain whose output two nodes read",
    nodes: [
      node("contrast", "gegl:brightness-contrast", { contrast: "1.5" }),
      node("blur", "gegl:gaussian-blur", { "std-dev-x": "1.5", "std-dev-y": "1.5" }),
      node("crop", "gegl:crop"),
    ],
    links: [link("contrast", "blur"), link("blur", "crop"), link("contrast", "crop", "aux")],
    chained: true,
  },
  {
    // opacity at 1 without an aux hands its input on: the chain does the same.
    name: "an opacity of 1 within a chain",
    nodes: [
      node("gray", "gegl:gray"),
      node("same", "gegl:opacity", { value: "1" }),
      node("contrast", "gegl:brightness-contrast", { contrast: "1.1" }),
    ],
    links: [link("gray", "same"), link("same", "contrast")],
    chained: true,
  },
  {
    // A chain's output is a step's: one that ends in a hand-on is not made.
    name: "an opacity of 1 at the end",
    nodes: [node("gray", "gegl:gray"), node("same", "gegl:opacity", { value: "1" })],
    links: [link("gray", "same")],
    chained: false,
  },
  {
    // halodarken's shape: the blend reads the image and its blurred edges, two sources.
    name: "a blend of two sources",
    nodes: [
      node("in", "gegl:nop"),
      node("blur", "gegl:gaussian-blur", { "std-dev-x": "3", "std-dev-y": "3" }),
      node("fade", "gegl:opacity", { value: "0.7" }),
      node("dodge", "svg:color-dodge", { srgb: "true" }),
    ],
    links: [
      link("in", "blur"),
      link("blur", "fade"),
      link("fade", "dodge", "aux"),
      link("in", "dodge"),
    ],
    chained: false,
  },
];

describe("point chains", () => {
  let chained: WorkerProcess;
  let unchained: WorkerProcess;
  const sources: Source[] = [];

  beforeAll(async () => {
    [chained, unchained] = await Promise.all([
      startWorker({}),
      startWorker({ IMGFLO_WORKER_POINT_CHAINS: "0" }),
    ]);
    sources.push(
      ...(await testSources()),
      // More pixels than the memo's trial on each of 2 threads, nearly all new: computed run by run.
      { label: "800x700 noise", pixels: noise(800, 700, 11, true), width: 800, height: 700 },
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all([chained?.close(), unchained?.close()]);
  });

  it.each(GRAPHS.flatMap((graph) => [1, 2].map((threads) => ({ graph, threads }))))(
    "$graph.name on $threads thread(s) gives GEGL's bytes",
    ({ graph, threads }) =>
      expectGeglBytes({ own: chained, gegl: unchained }, graph, sources, threads, {
        operation: "imgflo:point-chain",
        ran: graph.chained,
      }),
    120_000,
  );

  it("keeps imgflo:point-chain to itself: not described, not to be named in a graph", async () => {
    const described = await chained.request(
      { cmd: "describe" },
      Buffer.alloc(0),
      new Deadline(60_000),
    );
    expect(Object.keys(described.header.operations as Record<string, unknown>)).not.toContain(
      "imgflo:point-chain",
    );
    const named = await chained.request(
      {
        cmd: "render",
        nodes: [node("chain", "imgflo:point-chain")],
        links: [],
        output: { node: "chain", pad: "output" },
        size: { width: 4, height: 4 },
        max_pixels: 100,
      },
      Buffer.alloc(0),
      new Deadline(60_000),
    );
    expect(named.header).toMatchObject({ ok: false, kind: "bad-request" });
    expect(named.header.error).toContain("unknown operation 'imgflo:point-chain'");
  });
});
