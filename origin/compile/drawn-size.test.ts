import { describe, expect, it } from "vitest";
import { drawnSize, placedSize } from "./drawn-size.ts";
import type { CompiledGraph } from "./graph-compiler.ts";

const INPUT = { width: 300, height: 200 };
const OVERLAY = { width: 800, height: 400 };

/** input → base → place's aux; the overlay → place's input (or `pad`); place → output. */
function placeGraph(
  props: Record<string, string>,
  extra: Partial<CompiledGraph> = {},
): CompiledGraph {
  return {
    name: "placed",
    nodes: [
      { id: "base", op: "gegl:nop", props: {} },
      { id: "place", op: "imgflo:place", props },
    ],
    links: [{ from: "base", from_pad: "output", to: "place", to_pad: "aux" }],
    input: { node: "base", pad: "input" },
    output: { node: "place", pad: "output" },
    parameters: { size: { node: "place", property: "scale" } },
    images: { overlay: { node: "place", pad: "input" } },
    identity: false,
    pointFilters: [],
    ...extra,
  };
}

describe("placedSize", () => {
  it("is place.c's: whole pixels across at the scale, or the smallest cover", () => {
    expect(placedSize("width", 0.25, INPUT, OVERLAY)).toEqual({ width: 75, height: 38 });
    expect(placedSize("cover", 1, INPUT, OVERLAY)).toEqual({ width: 400, height: 200 });
    expect(placedSize("width", 0.001, INPUT, OVERLAY)).toEqual({ width: 1, height: 1 });
  });
});

describe("drawnSize", () => {
  it("is the size place draws the image at in the input's frame, its defaults and parameters included", () => {
    expect(drawnSize(placeGraph({}), {}, "overlay", OVERLAY, INPUT)).toEqual({
      width: 75,
      height: 38,
    });
    expect(drawnSize(placeGraph({ fit: "cover" }), {}, "overlay", OVERLAY, INPUT)).toEqual({
      width: 400,
      height: 200,
    });
    expect(drawnSize(placeGraph({}), { size: "0.5" }, "overlay", OVERLAY, INPUT)).toMatchObject({
      width: 150,
    });
  });

  it.each([
    [
      "another node takes the image",
      placeGraph({}, { images: { overlay: { node: "base", pad: "aux" } } }),
    ],
    [
      "the image is place's frame",
      placeGraph({}, { images: { overlay: { node: "place", pad: "aux" } } }),
    ],
    ["the frame is not the input", placeGraph({}, { input: { node: "place", pad: "input" } })],
    ["place has no frame (the overlay is its own)", placeGraph({}, { links: [] })],
  ])("is unknown when %s", (_, graph) => {
    expect(drawnSize(graph, {}, "overlay", OVERLAY, INPUT)).toBeNull();
  });
});
