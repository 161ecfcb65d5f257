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

/** Two image inports besides `input`: `overlay` (required) and `mask` (with a default). */
export const OVERLAY_GRAPH: GraphSource = {
  name: "stamp",
  kind: "json",
  text: JSON.stringify({
    inports: {
      input: { process: "base", port: "input" },
      overlay: {
        process: "place",
        port: "input",
        metadata: { type: "image", description: "Logo" },
      },
      mask: {
        process: "mask",
        port: "aux",
        metadata: { type: "image", default: "files/mask.png" },
      },
      opacity: {
        process: "over",
        port: "opacity",
        metadata: { type: "number", minimum: 0, maximum: 1, default: 1 },
      },
    },
    outports: { output: { process: "over", port: "output" } },
    processes: {
      base: { component: "gegl/nop" },
      place: { component: "imgflo/place" },
      mask: { component: "gegl/opacity" },
      over: { component: "imgflo/blend" },
    },
    connections: [
      { src: { process: "base", port: "output" }, tgt: { process: "over", port: "input" } },
      { src: { process: "base", port: "output" }, tgt: { process: "place", port: "aux" } },
      { src: { process: "place", port: "output" }, tgt: { process: "mask", port: "input" } },
      { src: { process: "mask", port: "output" }, tgt: { process: "over", port: "aux" } },
    ],
  }),
};
