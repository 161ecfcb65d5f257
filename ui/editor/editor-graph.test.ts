import { describe, expect, it } from "vitest";
import { buildCatalogue } from "../../shared/catalogue.ts";
import { parseGraphSource } from "../../shared/graph-source.ts";
import { nodeIdFor, paletteMatches } from "./components.ts";
import {
  applyGraphMessage,
  type EditorGraph,
  emptyGraph,
  exportGraph,
  exposedInportOf,
  imageInport,
  layoutPositions,
  processingParams,
} from "./editor-graph.ts";

/** The graph after the runtime's echoes of these edits. */
function replay(...messages: [string, Record<string, unknown>][]): EditorGraph {
  return messages.reduce(
    (graph, [command, payload]) => applyGraphMessage(graph, { command, payload }),
    emptyGraph("blurry"),
  );
}

const blurry = () =>
  replay(
    ["addnode", { id: "in", component: "gegl/nop", metadata: { x: 0, y: 0 } }],
    ["addnode", { id: "blur", component: "gegl/gaussian-blur", metadata: {} }],
    ["addedge", { src: { node: "in", port: "output" }, tgt: { node: "blur", port: "input" } }],
    ["addinport", { public: "input", node: "in", port: "input" }],
    [
      "addinport",
      {
        public: "radius",
        node: "blur",
        port: "std-dev-x",
        metadata: { type: "number", description: "Blur radius", default: 1 },
      },
    ],
    ["addoutport", { public: "output", node: "blur", port: "output" }],
    ["addinitial", { src: { data: "files/gridbear.jpg" }, tgt: { node: "in", port: "input" } }],
    ["addinitial", { src: { data: 2 }, tgt: { node: "blur", port: "std-dev-x" } }],
    ["addinitial", { src: { data: 4 }, tgt: { node: "blur", port: "std-dev-x" } }],
  );

describe("the editor's copy of the graph", () => {
  it("follows the runtime's messages, one initial value per port", () => {
    const graph = blurry();
    expect(Object.keys(graph.nodes)).toEqual(["in", "blur"]);
    expect(graph.initials).toHaveLength(2);
    expect(processingParams(graph)).toEqual({ input: "files/gridbear.jpg", radius: 4 });
  });

  it("drops a removed node's edges only when the runtime says so, and follows renames", () => {
    let graph = applyGraphMessage(blurry(), {
      command: "renamenode",
      payload: { from: "blur", to: "soft" },
    });
    expect(graph.edges[0]?.tgt.node).toBe("soft");
    graph = applyGraphMessage(graph, {
      command: "removeedge",
      payload: { src: { node: "in", port: "output" }, tgt: { node: "soft", port: "input" } },
    });
    graph = applyGraphMessage(graph, { command: "removenode", payload: { id: "soft" } });
    expect(graph.edges).toEqual([]);
    expect(Object.keys(graph.nodes)).toEqual(["in"]);
  });

  it("exports a graph file the catalogue loads, without the preview image", () => {
    const text = JSON.stringify(exportGraph(blurry(), "A blur"));
    expect(text).not.toContain("gridbear");
    const graph = buildCatalogue([parseGraphSource({ name: "blurry", kind: "json", text })]).get(
      "blurry",
    );
    expect(graph).toMatchObject({
      description: "A blur",
      input: { process: "in", port: "input" },
      parameters: { radius: { process: "blur", metadata: { type: "number" } } },
    });
  });

  it("exposes an image pad as an image inport: a URL parameter, its preview image left out", () => {
    const stamped = replay(
      ["addnode", { id: "in", component: "gegl/nop", metadata: {} }],
      ["addnode", { id: "over", component: "svg/src-over", metadata: {} }],
      ["addedge", { src: { node: "in", port: "output" }, tgt: { node: "over", port: "input" } }],
      ["addinport", { public: "input", node: "in", port: "input" }],
      ["addoutport", { public: "output", node: "over", port: "output" }],
      ["addinitial", { src: { data: "files/gridbear.jpg" }, tgt: { node: "in", port: "input" } }],
      ["addinitial", { src: { data: "files/time.gif" }, tgt: { node: "over", port: "aux" } }],
    );
    expect(exposedInportOf(stamped, "over", "aux")).toBeNull();
    const graph = applyGraphMessage(stamped, {
      command: "addinport",
      payload: imageInport("over", "aux", "overlay"),
    });
    expect(exposedInportOf(graph, "over", "aux")).toBe("overlay");
    expect(processingParams(graph)).toEqual({
      input: "files/gridbear.jpg",
      overlay: "files/time.gif",
    });
    const text = JSON.stringify(exportGraph(graph, "Stamped"));
    expect(text).not.toContain("time.gif");
    const parsed = parseGraphSource({ name: "stamped", kind: "json", text });
    expect(buildCatalogue([parsed]).get("stamped")?.images).toEqual({
      overlay: {
        process: "over",
        port: "aux",
        metadata: { type: "image", description: "Image URL for over.aux" },
      },
    });
  });

  it("lays out graph files without positions from left to right", () => {
    const positions = layoutPositions({
      processes: { a: { component: "x" }, b: { component: "x" }, c: { component: "x" } },
      connections: [
        { src: { process: "a", port: "output" }, tgt: { process: "b", port: "input" } },
        { src: { process: "b", port: "output" }, tgt: { process: "c", port: "input" } },
        { src: { process: "a", port: "output" }, tgt: { process: "c", port: "aux" } },
      ],
    });
    expect(positions.a?.x).toBeLessThan(positions.b?.x ?? 0);
    expect(positions.b?.x).toBeLessThan(positions.c?.x ?? 0);
  });
});

describe("the palette", () => {
  const components = [
    {
      name: "gegl/gaussian-blur",
      description: "Blur",
      icon: "tint",
      subgraph: false,
      inPorts: [],
      outPorts: [],
    },
    {
      name: "gegl/crop",
      description: "Crop",
      icon: "crop",
      subgraph: false,
      inPorts: [],
      outPorts: [],
    },
    { name: "core/Repeat", description: "", icon: "", subgraph: false, inPorts: [], outPorts: [] },
  ];

  it("finds components by words of their name or description, core ones left out", () => {
    expect(paletteMatches(components, "blur").map((c) => c.name)).toEqual(["gegl/gaussian-blur"]);
    expect(paletteMatches(components, "").map((c) => c.name)).toEqual([
      "gegl/crop",
      "gegl/gaussian-blur",
    ]);
  });

  it("names new nodes after their operation, numbered when taken", () => {
    const taken = new Set(["gaussian_blur"]);
    expect(nodeIdFor("gegl/gaussian-blur", (id) => taken.has(id))).toBe("gaussian_blur_2");
    expect(nodeIdFor("gegl/crop", (id) => taken.has(id))).toBe("crop");
  });
});
