import type { GraphSource } from "./graph-definition.ts";

/** Small graphs for the shared modules' tests, independent of the shipped catalogue. */
export const BLUR_GRAPH: GraphSource = {
  name: "blur",
  kind: "json",
  text: JSON.stringify({
    properties: { description: "Blur it" },
    inports: {
      input: { process: "blur", port: "input" },
      radius: {
        process: "blur",
        port: "std-dev-x",
        metadata: { type: "number", description: "Radius", minimum: 0, maximum: 100, default: 2 },
      },
      passes: {
        process: "blur",
        port: "passes",
        metadata: { type: "int", minimum: 1, maximum: 5 },
      },
      tint: { process: "blur", port: "tint", metadata: { type: "color", default: "#000" } },
      edges: {
        process: "blur",
        port: "abyss-policy",
        metadata: { type: "enum", values: ["clamp", "black"], default: "clamp" },
      },
      srgb: { process: "blur", port: "srgb", metadata: { type: "boolean", default: false } },
      label: { process: "blur", port: "label", metadata: { type: "string" } },
    },
    outports: { output: { process: "blur", port: "output" } },
    processes: { blur: { component: "gegl/gaussian-blur" } },
    connections: [{ data: true, tgt: { process: "blur", port: "clip-extent" } }],
  }),
};

export const CANVAS_FBP: GraphSource = {
  name: "fill",
  kind: "fbp",
  text: [
    "# @runtime imgflo",
    "# @description Fill with a colour",
    "OUTPORT=fill.OUTPUT:OUTPUT",
    "INPORT=fill.VALUE:COLOR",
    "INPORT=fill.OPACITY:OPACITY",
    "'#336699' -> VALUE fill(gegl/color)",
    "'0.5' -> OPACITY fill",
  ].join("\n"),
};
