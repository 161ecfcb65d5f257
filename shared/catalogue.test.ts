import { describe, expect, it } from "vitest";
import { BLUR_GRAPH, CANVAS_FBP, OVERLAY_GRAPH } from "../test/fixtures/graphs.ts";
import { buildCatalogue, CatalogueError, catalogueDocument } from "./catalogue.ts";
import { parseGraphSource, parseGraphSources } from "./graph-source.ts";

function broken(graph: Record<string, unknown>) {
  return () => buildCatalogue([{ name: "broken", definition: graph }]);
}

describe("buildCatalogue", () => {
  it("reads FBP JSON: input, output, parameters with metadata", () => {
    const blur = buildCatalogue(parseGraphSources([BLUR_GRAPH])).get("blur");
    expect(blur?.input).toEqual({ process: "blur", port: "input" });
    expect(blur?.output).toEqual({ process: "blur", port: "output" });
    expect(blur?.parameters.radius?.metadata).toMatchObject({ type: "number", maximum: 100 });
    expect(blur?.outputsInputBytes).toBe(false);
    expect(blur?.pointSampledResize).toBe(false);
  });

  it("reads how a graph wants its input scaled", () => {
    const definition = {
      properties: { imgflo: { resize: "point-sampled" } },
      inports: { input: { process: "grey", port: "input" } },
      outports: { output: { process: "grey", port: "output" } },
      processes: { grey: { component: "gegl/c2g" } },
    };
    const grey = buildCatalogue([{ name: "grey", definition }]).get("grey");
    expect(grey?.pointSampledResize).toBe(true);
  });

  it("reads the .fbp DSL and infers metadata from IIPs", () => {
    const fill = buildCatalogue(parseGraphSources([CANVAS_FBP])).get("fill");
    expect(fill?.input).toBeNull();
    expect(fill?.description).toBe("Fill with a colour");
    expect(fill?.parameters.color?.metadata).toMatchObject({ type: "color", default: "#336699" });
    expect(fill?.parameters.opacity?.metadata.type).toBe("string");
  });

  it("names the graph and the problem when a file is wrong", () => {
    const output = { output: { process: "p", port: "output" } };
    const processes = { p: { component: "gegl/nop" } };
    expect(broken({ processes })).toThrow(/"broken".*no "output"/);
    expect(
      broken({
        processes,
        outports: output,
        inports: { a: { process: "p", port: "a", metadata: { type: "float" } } },
      }),
    ).toThrow(CatalogueError);
    for (const reserved of ["width", "quality", "expires"]) {
      const inports = { [reserved]: { process: "p", port: "w" } };
      expect(broken({ processes, outports: output, inports })).toThrow(/reserved/);
    }
    expect(() => parseGraphSource({ name: "x", kind: "json", text: "{" })).toThrow(
      /cannot be parsed/,
    );
  });
});

describe("image inports", () => {
  const imageInport = (process: string) => ({ process, port: "aux", metadata: { type: "image" } });

  it("are read apart from the parameters, with the pad their image enters by", () => {
    const stamp = buildCatalogue(parseGraphSources([OVERLAY_GRAPH])).get("stamp");
    expect(stamp?.images).toEqual({
      overlay: {
        process: "place",
        port: "input",
        metadata: { type: "image", description: "Logo" },
      },
      mask: {
        process: "mask",
        port: "aux",
        metadata: { type: "image", description: "mask", default: "files/mask.png" },
      },
    });
    expect(Object.keys(stamp?.parameters ?? {})).toEqual(["opacity"]);
    const document = catalogueDocument(buildCatalogue(parseGraphSources([OVERLAY_GRAPH])));
    expect(document.graphs.stamp?.inports.overlay?.metadata).toEqual({
      type: "image",
      description: "Logo",
    });
  });

  it("are at most four besides input: a fifth stops the graph with a sentence naming it", () => {
    const inports = Object.fromEntries(
      ["a", "b", "c", "d", "e"].map((name) => [name, imageInport(name)]),
    );
    const processes = Object.fromEntries(
      ["a", "b", "c", "d", "e"].map((name) => [name, { component: "gegl/over" }]),
    );
    const graph = { processes, inports, outports: { output: { process: "a", port: "output" } } };
    expect(broken(graph)).toThrow(
      'Graph "broken": has 5 image inports (a, b, c, d, e); a graph may have at most 4 besides "input"',
    );
    const { e: _e, ...four } = inports;
    expect(broken({ ...graph, inports: four })).not.toThrow();
  });
});

describe("catalogueDocument", () => {
  it("lists every graph with its inports, the size and the image options added", () => {
    const document = catalogueDocument(buildCatalogue(parseGraphSources([BLUR_GRAPH, CANVAS_FBP])));
    expect(Object.keys(document.graphs)).toEqual(["blur", "fill"]);
    expect(Object.keys(document.graphs.blur?.inports ?? {})).toEqual([
      "input",
      "radius",
      "passes",
      "tint",
      "edges",
      "srgb",
      "label",
      "width",
      "height",
      "fit",
      "gravity",
      "background",
      "dpr",
      "quality",
      "metadata",
    ]);
    expect(document.graphs.fill?.inports.fit?.metadata.values).toContain("cover");
    expect(document.graphs.fill?.inports.input).toBeUndefined();
    expect(document.graphs.fill?.inports.width?.metadata.type).toBe("int");
    expect(document.graphs.blur?.outports).toEqual({ output: {} });
  });
});
