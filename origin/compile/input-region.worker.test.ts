import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noise } from "../../test/harness/noise-pixels.ts";
import { Deadline } from "../admission/deadline.ts";
import { link, node, photo, type Source } from "../gegl-worker/tests/graph-jobs.ts";
import { startWorker } from "../gegl-worker/tests/worker.ts";
import type { OperationDescriptions } from "../worker/operation-description.ts";
import type { JobNode } from "../worker/render-job.ts";
import type { WorkerProcess } from "../worker/worker-process.ts";
import type { CompiledGraph } from "./graph-compiler.ts";
import { type InputRegion, inputRegion } from "./input-region.ts";

// inputRegion reads a crop's region back through the operations before it (region-rules.ts);
// the worker then gets those pixels in their place within the whole image's extent. Each chain
// here renders from that region and from the whole image, and the bytes must be the same.
let worker: WorkerProcess;
let sources: Source[];

beforeAll(async () => {
  worker = await startWorker({});
  sources = [
    await photo(400),
    { label: "300x257 noise with alpha", pixels: noise(300, 257, 5), width: 300, height: 257 },
  ];
});

afterAll(async () => {
  await worker?.close();
});

const crop = (id: string, x: number, y: number, width: number, height: number) =>
  node(id, "gegl:crop", { x: `${x}`, y: `${y}`, width: `${width}`, height: `${height}` });

const CHAINS: [string, JobNode[]][] = [
  [
    "croprotate's quarter turn, nearest",
    [
      node("rotate", "gegl:rotate-on-center", { degrees: "90", sampler: "nearest" }),
      crop("crop", 0, 0, 100, 100),
    ],
  ],
  [
    "a rotation about the centre by 30°, cubic",
    [
      node("rotate", "gegl:rotate-on-center", { degrees: "30", sampler: "cubic" }),
      crop("crop", 50, 60, 120, 80),
    ],
  ],
  [
    "a rotation about a point by -45°, lohalo",
    [
      node("rotate", "gegl:rotate", {
        degrees: "-45",
        sampler: "lohalo",
        "origin-x": "100",
        "origin-y": "80",
      }),
      crop("crop", 90, 40, 60, 50),
    ],
  ],
  [
    "a shrink to 0.3, lohalo (mipmap levels)",
    [
      node("scale", "gegl:scale-ratio", { x: "0.3", y: "0.35", sampler: "lohalo" }),
      crop("crop", 20, 15, 40, 30),
    ],
  ],
  [
    "an enlargement by 2.5, nohalo",
    [
      node("scale", "gegl:scale-ratio", { x: "2.5", y: "2.5", sampler: "nohalo" }),
      crop("crop", 200, 150, 90, 70),
    ],
  ],
  [
    "a translation by fractions, linear",
    [
      node("move", "gegl:translate", { x: "10.5", y: "-20.25", sampler: "linear" }),
      crop("crop", 30, 20, 50, 40),
    ],
  ],
  [
    "a scale to a size",
    [
      node("scale", "gegl:scale-size", { x: "150", y: "100", sampler: "cubic" }),
      crop("crop", 40, 30, 50, 40),
    ],
  ],
  [
    "point filters, one of them reading the image's extent (vignette)",
    [
      node("contrast", "gegl:brightness-contrast", { contrast: "1.4", brightness: "0.1" }),
      node("vignette", "gegl:vignette", { radius: "0.8" }),
      crop("crop", 70, 50, 60, 60),
    ],
  ],
  [
    "crop, rotation, crop, then noise seeded by place",
    [
      crop("first", 10, 10, 200, 150),
      node("rotate", "gegl:rotate-on-center", { degrees: "-90", sampler: "linear" }),
      crop("crop", 20, 30, 40, 50),
      node("noise", "gegl:noise-rgb"),
    ],
  ],
];

/** The chain as compiled: each node feeds the next, the first takes the input. */
function chainGraph(name: string, nodes: JobNode[], operations: OperationDescriptions) {
  const links = nodes.slice(1).map((to, i) => link((nodes[i] as JobNode).id, to.id));
  const compiled: CompiledGraph = {
    name,
    nodes,
    links,
    input: { node: (nodes[0] as JobNode).id, pad: "input" },
    output: { node: (nodes.at(-1) as JobNode).id, pad: "output" },
    parameters: {},
    images: {},
    identity: false,
    pointFilters: nodes.filter(({ op }) => operations[op]?.point_filter).map(({ id }) => id),
  };
  return compiled;
}

/** The region's rows of the source's RGBA. */
function regionPixels(source: Source, { x, y, width, height }: InputRegion): Buffer {
  const rows = Array.from({ length: height }, (_, row) => {
    const start = ((y + row) * source.width + x) * 4;
    return source.pixels.subarray(start, start + width * 4);
  });
  return Buffer.concat(rows);
}

function render(compiled: CompiledGraph, input: object, pixels: Buffer) {
  const job = {
    cmd: "render",
    nodes: compiled.nodes,
    links: compiled.links,
    input: { ...compiled.input, ...input },
    output: compiled.output,
    max_pixels: 100_000_000,
  };
  return worker.request(job, pixels, new Deadline(60_000));
}

describe("a crop read back through the operations before it", () => {
  it.each(CHAINS)("%s: its region renders the whole image's bytes", async (name, nodes) => {
    const ops = [...new Set(nodes.map(({ op }) => op))];
    const described = await worker.request(
      { cmd: "describe", operations: ops },
      [],
      new Deadline(10_000),
    );
    const compiled = chainGraph(name, nodes, described.header.operations as OperationDescriptions);
    for (const source of sources) {
      const size = { width: source.width, height: source.height };
      const region = inputRegion(compiled, {}, size);
      expect(region, source.label).not.toBeNull();
      const { x, y, width, height, wholeExtent } = region as InputRegion;
      expect(width * height, source.label).toBeLessThan(size.width * size.height);
      // A crop first keeps its own rectangle: what follows it never sees the image's extent.
      expect(wholeExtent).toBe(nodes[0]?.op !== "gegl:crop");
      const whole = await render(compiled, size, source.pixels);
      const cut = await render(
        compiled,
        { x, y, width, height, ...(wholeExtent ? { extent: size } : {}) },
        regionPixels(source, region as InputRegion),
      );
      expect(whole.header, source.label).toMatchObject({ ok: true });
      expect(cut.header, source.label).toMatchObject({
        ok: true,
        width: whole.header.width,
        height: whole.header.height,
      });
      expect(cut.payload.equals(whole.payload), source.label).toBe(true);
    }
  });

  it("refuses an extent that does not hold the region", async () => {
    const compiled = chainGraph("bad", [crop("crop", 0, 0, 10, 10)], {});
    const reply = await render(
      compiled,
      { x: 5, y: 0, width: 10, height: 10, extent: { width: 12, height: 10 } },
      Buffer.alloc(400),
    );
    expect(reply.header).toMatchObject({ ok: false, kind: "bad-request" });
    expect(String(reply.header.error)).toMatch(/not inside its 12x10 extent/);
  });
});
