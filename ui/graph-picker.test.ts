import { describe, expect, it } from "vitest";
import { filterGraphs } from "./graph-picker.ts";

describe("filterGraphs", () => {
  const graphs = [
    { name: "gaussianblur", description: "Gaussian blur" },
    { name: "motionblur", description: "Linear motion blur, contrast boost" },
    { name: "canvas", description: "Generator: a canvas filled with one colour" },
  ];

  it("matches every word in the name or description, ignoring case", () => {
    expect(filterGraphs(graphs, "BLUR").map((graph) => graph.name)).toEqual([
      "gaussianblur",
      "motionblur",
    ]);
    expect(filterGraphs(graphs, "blur contrast").map((graph) => graph.name)).toEqual([
      "motionblur",
    ]);
    expect(filterGraphs(graphs, "generator").map((graph) => graph.name)).toEqual(["canvas"]);
    expect(filterGraphs(graphs, "  ")).toHaveLength(3);
  });
});
