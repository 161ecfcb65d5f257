import { describe, expect, it } from "vitest";
import { buildCatalogue, type CatalogueGraph } from "../../shared/catalogue.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import type { OperationDescriptions } from "../worker/operation-description.ts";
import { renderJob } from "./bound-job.ts";
import { compileGraph, operationOf, operationsUsed } from "./graph-compiler.ts";

const OPERATIONS: OperationDescriptions = {
  "gegl:gaussian-blur": {
    exists: true,
    input_pads: ["input"],
    output_pads: ["output"],
    properties: {
      "std-dev-x": { type: "double", minimum: 0, maximum: 1500 },
      "std-dev-y": { type: "double", minimum: 0, maximum: 1500 },
      "abyss-policy": { type: "enum", values: ["none", "clamp", "black", "white"] },
      "clip-extent": { type: "boolean" },
    },
  },
  "gegl:over": {
    exists: true,
    input_pads: ["input", "aux"],
    output_pads: ["output"],
    properties: { srgb: { type: "boolean" } },
  },
  "gegl:color": {
    exists: true,
    input_pads: [],
    output_pads: ["output"],
    properties: { value: { type: "color" } },
  },
  "gegl:nop": { exists: true, input_pads: ["input"], output_pads: ["output"], properties: {} },
  "gegl:motion-blur-linear": {
    exists: true,
    input_pads: ["input"],
    output_pads: ["output"],
    properties: {
      length: { type: "double", minimum: 0, maximum: 1000 },
      angle: { type: "double", minimum: -180, maximum: 180 },
    },
  },
  "gegl:missing": { exists: false },
};

function graph(definition: FbpGraph, name = "g"): CatalogueGraph {
  return buildCatalogue([{ name, definition }]).get(name) as CatalogueGraph;
}

const blurOver = {
  inports: {
    input: { process: "blur", port: "input" },
    radius: {
      process: "blur",
      port: "std-dev-x",
      metadata: { type: "number", minimum: 0, maximum: 100, default: 2 },
    },
    tint: { process: "bg", port: "value", metadata: { type: "color" } },
  },
  outports: { output: { process: "over", port: "output" } },
  processes: {
    blur: { component: "gegl/gaussian-blur" },
    bg: { component: "gegl/color" },
    over: { component: "gegl/over" },
  },
  connections: [
    { src: { process: "bg", port: "output" }, tgt: { process: "over", port: "input" } },
    { src: { process: "blur", port: "output" }, tgt: { process: "over", port: "aux" } },
    { data: 3, tgt: { process: "blur", port: "std-dev-y" } },
    { data: "rgb(255, 0, 0)", tgt: { process: "bg", port: "value" } },
    { data: true, tgt: { process: "blur", port: "clip-extent" } },
  ],
};

describe("operationOf", () => {
  it("maps component libraries to GEGL namespaces", () => {
    expect(operationOf("gegl/crop")).toBe("gegl:crop");
    expect(operationOf("svg/multiply")).toBe("svg:multiply");
    expect(operationOf("imgflo/gradient-map")).toBe("imgflo:gradient-map");
    expect(operationOf("noflo/Split")).toBeNull();
    expect(operationOf("crop")).toBeNull();
  });

  it("lists the operations a catalogue uses", () => {
    expect(operationsUsed([graph(blurOver)])).toEqual([
      "gegl:color",
      "gegl:gaussian-blur",
      "gegl:over",
    ]);
  });
});

describe("compileGraph", () => {
  it("turns processes, edges and initial values into nodes, links and string properties", () => {
    const compiled = compileGraph(graph(blurOver), OPERATIONS);
    expect(compiled.nodes).toEqual([
      { id: "blur", op: "gegl:gaussian-blur", props: { "std-dev-y": "3", "clip-extent": "true" } },
      { id: "bg", op: "gegl:color", props: { value: "#ff0000" } },
      { id: "over", op: "gegl:over", props: {} },
    ]);
    expect(compiled.links).toEqual([
      { from: "bg", from_pad: "output", to: "over", to_pad: "input" },
      { from: "blur", from_pad: "output", to: "over", to_pad: "aux" },
    ]);
    expect(compiled.input).toEqual({ node: "blur", pad: "input" });
    expect(compiled.output).toEqual({ node: "over", pad: "output" });
    expect(compiled.identity).toBe(false);
  });

  it("lets request parameters override initial values", () => {
    const compiled = compileGraph(graph(blurOver), OPERATIONS);
    const job = renderJob(
      compiled,
      { radius: "7", tint: "#00ff00" },
      {
        input: { width: 10, height: 20 },
        output: null,
        maxPixels: 1000,
        operationSwaps: true,
      },
    );
    expect(job.nodes.find((n) => n.id === "blur")?.props).toMatchObject({
      "std-dev-x": "7",
      "std-dev-y": "3",
    });
    expect(job.nodes.find((n) => n.id === "bg")?.props).toEqual({ value: "#00ff00" });
    expect(job.input).toEqual({ node: "blur", pad: "input", width: 10, height: 20 });
    expect(job.size).toBeUndefined();
    expect(job.max_pixels).toBe(1000);
    expect(compiled.nodes.find((n) => n.id === "blur")?.props["std-dev-x"]).toBeUndefined();
  });

  it("swaps the operations the project has for nodes wherever they stand, when swaps are on", () => {
    const chain = {
      inports: {
        input: { process: "motion", port: "input" },
        angle: {
          process: "motion",
          port: "angle",
          metadata: { type: "number", minimum: -180, maximum: 180, default: 0 },
        },
      },
      outports: { output: { process: "blur", port: "output" } },
      processes: {
        motion: { component: "gegl/motion-blur-linear" },
        blur: { component: "gegl/gaussian-blur" },
      },
      connections: [
        { src: { process: "motion", port: "output" }, tgt: { process: "blur", port: "input" } },
        { data: 12, tgt: { process: "motion", port: "length" } },
      ],
    };
    const compiled = compileGraph(graph(chain), OPERATIONS);
    const sizes = { input: { width: 8, height: 8 }, output: null, maxPixels: 1000 };
    const ops = (operationSwaps: boolean) =>
      renderJob(compiled, { angle: "-33" }, { ...sizes, operationSwaps }).nodes.map((n) => n.op);
    expect(ops(true)).toEqual(["imgflo:motion-blur-linear", "gegl:gaussian-blur"]);
    expect(ops(false)).toEqual(["gegl:motion-blur-linear", "gegl:gaussian-blur"]);
    // The compiled graph keeps GEGL's operations: descriptions, parameters and links are theirs.
    expect(compiled.nodes.map((n) => n.op)).toEqual(ops(false));
    const job = renderJob(compiled, { angle: "-33" }, { ...sizes, operationSwaps: true });
    expect(job.nodes[0]?.props).toEqual({ length: "12", angle: "-33" });
  });

  it("recognises a graph that only passes the image through", () => {
    const nop = {
      inports: { input: { process: "n", port: "input" } },
      outports: { output: { process: "n", port: "output" } },
      processes: { n: { component: "gegl/nop" } },
    };
    expect(compileGraph(graph(nop), OPERATIONS).identity).toBe(true);
  });

  const broken = (change: (definition: typeof blurOver) => void) => {
    const definition = structuredClone(blurOver);
    change(definition);
    return () => compileGraph(graph(definition, "broken"), OPERATIONS);
  };

  type Change = (d: typeof blurOver) => void;
  const edgeTarget = (d: typeof blurOver, index: number) =>
    (d.connections[index] as { tgt: { port: string } }).tgt;
  const changes: [string, Change, RegExp][] = [
    [
      "an unknown operation",
      (d) => {
        d.processes.bg.component = "gegl/missing";
      },
      /gegl:missing/,
    ],
    [
      "an unknown component library",
      (d) => {
        d.processes.bg.component = "core/Kick";
      },
      /core\/Kick/,
    ],
    [
      "an unknown property",
      (d) => {
        edgeTarget(d, 2).port = "radius";
      },
      /no settable property "radius"/,
    ],
    [
      "an unknown pad",
      (d) => {
        edgeTarget(d, 1).port = "aux2";
      },
      /no input pad "aux2"/,
    ],
    [
      "a connection from an unknown process",
      (d) => {
        (d.connections[0] as { src: { process: string } }).src.process = "ghost";
      },
      /a connection refers to unknown process "ghost"/,
    ],
    [
      "an inport on an unknown process",
      (d) => {
        d.inports.radius.process = "ghost";
      },
      /inport "radius" refers to unknown process "ghost"/,
    ],
    [
      "an outport on an unknown process",
      (d) => {
        d.outports.output.process = "ghost";
      },
      /the output outport refers to unknown process "ghost"/,
    ],
    [
      "two connections into one input pad",
      (d) => {
        edgeTarget(d, 1).port = "input";
      },
      /input pad over.input is fed by both bg.output and blur.output/,
    ],
    [
      "a connection into the pad the input image feeds",
      (d) => {
        d.connections.push({
          src: { process: "bg", port: "output" },
          tgt: { process: "blur", port: "input" },
        } as (typeof d.connections)[number]);
      },
      /input pad blur.input is fed by both inport "input" and bg.output/,
    ],
    [
      "a cycle",
      (d) => {
        d.processes.bg.component = "gegl/nop";
        d.connections.splice(3, 1);
        d.inports.tint.process = "over";
        d.inports.tint.port = "srgb";
        d.inports.tint.metadata.type = "boolean";
        d.connections.push({
          src: { process: "over", port: "output" },
          tgt: { process: "bg", port: "input" },
        } as (typeof d.connections)[number]);
      },
      /cycle \("over" → "bg" → "over"\)/,
    ],
    [
      "an initial value beyond GEGL's range",
      (d) => {
        (d.connections[2] as { data: unknown }).data = -5;
      },
      /initial value for blur.std-dev-y is refused: .*at least 0 \(got -5\)/,
    ],
    [
      "an initial value that is not a number",
      (d) => {
        (d.connections[2] as { data: unknown }).data = "wide";
      },
      /initial value for blur.std-dev-y is refused: .*must be a number/,
    ],
    [
      "an initial colour that is no colour",
      (d) => {
        (d.connections[3] as { data: unknown }).data = "orange";
      },
      /initial value for bg.value is refused: .*must be a colour/,
    ],
    [
      "an initial value that is not a yes/no word",
      (d) => {
        (d.connections[4] as { data: unknown }).data = "maybe";
      },
      /initial value for blur.clip-extent is refused: .*true or false/,
    ],
    [
      "an initial value GEGL's enum does not have",
      (d) => {
        d.connections.push({
          data: "mirror",
          tgt: { process: "blur", port: "abyss-policy" },
        } as (typeof d.connections)[number]);
      },
      /initial value for blur.abyss-policy is refused: .*one of none, clamp, black, white/,
    ],
    [
      "a parameter of the wrong type",
      (d) => {
        d.inports.radius.metadata.type = "color";
      },
      /type color/,
    ],
    [
      "a maximum beyond GEGL's",
      (d) => {
        d.inports.radius.metadata.maximum = 5000;
      },
      /maximum of at most 1500/,
    ],
  ];

  it.each(changes)("refuses %s, naming the graph", (_, change, why) => {
    expect(broken(change)).toThrow(/Graph "broken"/);
    expect(broken(change)).toThrow(why);
  });

  it("makes initial values canonical, as request parameters are", () => {
    const definition = structuredClone(blurOver);
    (definition.connections[2] as { data: unknown }).data = " 2.50 ";
    (definition.connections[4] as { data: unknown }).data = "yes";
    const blur = compileGraph(graph(definition), OPERATIONS).nodes[0];
    expect(blur?.props).toEqual({ "std-dev-y": "2.5", "clip-extent": "true" });
  });

  it("needs declared bounds wherever GEGL's are narrower than any number (a float's)", () => {
    const operations: OperationDescriptions = {
      ...OPERATIONS,
      "gegl:gaussian-blur": {
        ...OPERATIONS["gegl:gaussian-blur"],
        exists: true,
        properties: { "std-dev-x": { type: "double", minimum: 0, maximum: 3.4e38 } },
      },
    };
    const definition = {
      inports: {
        input: { process: "blur", port: "input" },
        radius: { process: "blur", port: "std-dev-x", metadata: { type: "number", minimum: 0 } },
      },
      outports: { output: { process: "blur", port: "output" } },
      processes: { blur: { component: "gegl/gaussian-blur" } },
    };
    expect(() => compileGraph(graph(definition), operations)).toThrow(
      /maximum of at most 3.4e\+38/,
    );
    definition.inports.radius.metadata = { type: "number", minimum: 0, maximum: 1e6 } as never;
    expect(compileGraph(graph(definition), operations).parameters.radius).toEqual({
      node: "blur",
      property: "std-dev-x",
    });
  });

  it("refuses enum values GEGL does not know", () => {
    const definition = {
      inports: {
        input: { process: "blur", port: "input" },
        edges: {
          process: "blur",
          port: "abyss-policy",
          metadata: { type: "enum", values: ["clamp", "mirror"] },
        },
      },
      outports: { output: { process: "blur", port: "output" } },
      processes: { blur: { component: "gegl/gaussian-blur" } },
    };
    expect(() => compileGraph(graph(definition), OPERATIONS)).toThrow(/mirror/);
  });
});
