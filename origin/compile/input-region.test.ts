import { describe, expect, it } from "vitest";
import type { CompiledGraph } from "./graph-compiler.ts";
import { inputRegion, resultRegion } from "./input-region.ts";

const SIZE = { width: 200, height: 100 };

function cropGraph(
  props: Record<string, string>,
  extra: Partial<CompiledGraph> = {},
): CompiledGraph {
  return {
    name: "cropped",
    nodes: [
      { id: "crop", op: "gegl:crop", props },
      { id: "fade", op: "gegl:opacity", props: {} },
    ],
    links: [{ from: "crop", from_pad: "output", to: "fade", to_pad: "input" }],
    input: { node: "crop", pad: "input" },
    output: { node: "fade", pad: "output" },
    parameters: { left: { node: "crop", property: "x" } },
    images: {},
    identity: false,
    pointFilters: [],
    ...extra,
  };
}

const rect = { x: "10", y: "20", width: "30", height: "40" };

describe("inputRegion", () => {
  it("is the rectangle of a crop that takes the input", () => {
    expect(inputRegion(cropGraph(rect), {}, SIZE)).toEqual({
      x: 10,
      y: 20,
      width: 30,
      height: 40,
      wholeExtent: false,
    });
  });

  it("follows the request's parameters", () => {
    expect(inputRegion(cropGraph(rect), { left: "50" }, SIZE)).toMatchObject({ x: 50 });
  });

  it("is met with the image, GEGL's truncation of fractions included", () => {
    const over = { x: "-5.5", y: "90.9", width: "20.7", height: "30" };
    expect(inputRegion(cropGraph(over), {}, SIZE)).toEqual({
      x: 0,
      y: 90,
      width: 15,
      height: 10,
      wholeExtent: false,
    });
  });

  it.each([
    ["a crop of all zeros (the input's extent)", cropGraph({})],
    ["a crop beside the image", cropGraph({ ...rect, x: "500" })],
    ["a crop of all of it", cropGraph({ x: "0", y: "0", width: "200", height: "100" })],
    [
      "a crop whose aux sets the rectangle",
      cropGraph(rect, {
        links: [{ from: "fade", from_pad: "output", to: "crop", to_pad: "aux" }],
        output: { node: "crop", pad: "output" },
      }),
    ],
    ["another first node", cropGraph(rect, { input: { node: "fade", pad: "input" } })],
    ["a generator", cropGraph(rect, { input: null })],
  ])("is the whole image for %s", (_, graph) => {
    expect(inputRegion(graph, {}, SIZE)).toBeNull();
  });
});

/** input → the nodes in a row, the last the output; `pointFilters` as the worker describes them. */
function chain(nodes: [string, Record<string, string>?][], pointFilters: string[] = []) {
  const jobNodes = nodes.map(([op, props = {}], i) => ({ id: `n${i}`, op, props }));
  return cropGraph(rect, {
    nodes: jobNodes,
    links: jobNodes
      .slice(1)
      .map((node, i) => ({ from: `n${i}`, from_pad: "output", to: node.id, to_pad: "input" })),
    input: { node: "n0", pad: "input" },
    output: { node: `n${nodes.length - 1}`, pad: "output" },
    pointFilters,
  });
}

const QUARTER_TURN = ["gegl:rotate-on-center", { degrees: "90", sampler: "nearest" }] as const;
const SMALL_CROP = ["gegl:crop", { x: "0", y: "0", width: "20", height: "10" }] as const;

describe("inputRegion through the operations before a crop", () => {
  it("maps the crop back through a rotation, with its samplers' reach, in the image's extent", () => {
    // The turn puts the image's top right corner at the result's top left: the crop's 20 x 10
    // are the input's x 190-200, y 0-20, widened by the samplers' reach (15) and met with it.
    expect(inputRegion(chain([[...QUARTER_TURN], [...SMALL_CROP]]), {}, SIZE)).toEqual({
      x: 175,
      y: 0,
      width: 25,
      height: 35,
      wholeExtent: true,
    });
  });

  it("sees through point filters and nops, and past anything after the crop", () => {
    const graph = chain(
      [["gegl:invert"], ["gegl:nop"], [...SMALL_CROP], ["gegl:gaussian-blur"]],
      ["n0"],
    );
    expect(inputRegion(graph, {}, SIZE)).toEqual({
      x: 0,
      y: 0,
      width: 20,
      height: 10,
      wholeExtent: true,
    });
  });

  it.each([
    ["an operation with no rule", chain([["gegl:gaussian-blur"], [...SMALL_CROP]])],
    ["a point filter not described as one", chain([["gegl:invert"], [...SMALL_CROP]])],
    [
      "two transforms in a row (GEGL composes them)",
      chain([[...QUARTER_TURN], ["gegl:nop"], [...QUARTER_TURN], [...SMALL_CROP]]),
    ],
    ["no crop", chain([[...QUARTER_TURN], ["gegl:invert"]], ["n1"])],
    [
      "an operation whose output also goes elsewhere",
      {
        ...chain([[...QUARTER_TURN], [...SMALL_CROP], ["svg:src-over"]]),
        links: [
          { from: "n0", from_pad: "output", to: "n1", to_pad: "input" },
          { from: "n1", from_pad: "output", to: "n2", to_pad: "input" },
          { from: "n0", from_pad: "output", to: "n2", to_pad: "aux" },
        ],
      },
    ],
  ])("is the whole image for %s", (_, graph) => {
    expect(inputRegion(graph, {}, SIZE)).toBeNull();
  });
});

/** input → crop [→ nop] → output: the region is the whole result. */
function cropOnly(props: Record<string, string>, extra: Partial<CompiledGraph> = {}) {
  return cropGraph(props, {
    nodes: [
      { id: "crop", op: "gegl:crop", props },
      { id: "out", op: "gegl:nop", props: {} },
    ],
    links: [{ from: "crop", from_pad: "output", to: "out", to_pad: "input" }],
    output: { node: "out", pad: "output" },
    ...extra,
  });
}

describe("resultRegion", () => {
  it("is the region of a crop inside the image that is all the graph does", () => {
    const region = { x: 10, y: 20, width: 30, height: 40 };
    expect(resultRegion(cropOnly(rect), {}, SIZE)).toEqual(region);
    expect(
      resultRegion(cropOnly(rect, { output: { node: "crop", pad: "output" } }), {}, SIZE),
    ).toEqual(region);
  });

  it.each([
    ["an operation after the crop", cropGraph(rect)],
    [
      "a crop over the image's edge (GEGL keeps the transparent part)",
      cropOnly({ ...rect, x: "-5" }),
    ],
    ["a crop of all zeros", cropOnly({})],
    ["an output beside the crop", cropOnly(rect, { links: [] })],
    [
      "an image besides the input",
      cropOnly(rect, { images: { overlay: { node: "out", pad: "aux" } } }),
    ],
  ])("is null for %s", (_, graph) => {
    expect(resultRegion(graph, {}, SIZE)).toBeNull();
  });
});
