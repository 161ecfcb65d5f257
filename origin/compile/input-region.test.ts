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
    ...extra,
  };
}

const rect = { x: "10", y: "20", width: "30", height: "40" };

describe("inputRegion", () => {
  it("is the rectangle of a crop that takes the input", () => {
    expect(inputRegion(cropGraph(rect), {}, SIZE)).toEqual({ x: 10, y: 20, width: 30, height: 40 });
  });

  it("follows the request's parameters", () => {
    expect(inputRegion(cropGraph(rect), { left: "50" }, SIZE)).toMatchObject({ x: 50 });
  });

  it("is met with the image, GEGL's truncation of fractions included", () => {
    const over = { x: "-5.5", y: "90.9", width: "20.7", height: "30" };
    expect(inputRegion(cropGraph(over), {}, SIZE)).toEqual({ x: 0, y: 90, width: 15, height: 10 });
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
