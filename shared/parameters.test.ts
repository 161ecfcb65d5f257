import { describe, expect, it } from "vitest";
import { BLUR_GRAPH, CANVAS_FBP, OVERLAY_GRAPH } from "../test/fixtures/graphs.ts";
import { buildCatalogue, type CatalogueGraph } from "./catalogue.ts";
import type { ImgfloError } from "./errors.ts";
import { parseGraphSources } from "./graph-source.ts";
import { DEFAULT_IMAGE_OPTIONS } from "./image-options.ts";
import { imageUrlsOf, resolveInputUrl, validateParams } from "./parameters.ts";

const catalogue = buildCatalogue(parseGraphSources([BLUR_GRAPH, CANVAS_FBP, OVERLAY_GRAPH]));
const blur = catalogue.get("blur") as CatalogueGraph;
const fill = catalogue.get("fill") as CatalogueGraph;
const INPUT = "https://example.com/a.jpg";

function failure(raw: Record<string, string>, graph = blur): ImgfloError {
  try {
    validateParams(graph, raw);
  } catch (error) {
    return error as ImgfloError;
  }
  throw new Error("expected a validation error");
}

describe("validateParams", () => {
  it("fills defaults and canonicalises values", () => {
    const params = validateParams(blur, {
      input: INPUT,
      radius: "2.50",
      tint: "#ABC",
      srgb: "yes",
      passes: "+3",
      width: "300",
      unknown: "ignored",
    });
    expect(params).toEqual({
      input: INPUT,
      width: 300,
      height: null,
      options: DEFAULT_IMAGE_OPTIONS,
      values: { radius: "2.5", tint: "#aabbcc", srgb: "true", passes: "3", edges: "clamp" },
      images: {},
    });
  });

  it("needs an input for graphs that take one, and none for generators", () => {
    expect(failure({}).code).toBe("missing-parameter");
    expect(validateParams(fill, {}).input).toBeNull();
  });

  it("accepts http(s) and relative inputs only", () => {
    expect(validateParams(blur, { input: "files/gridbear.jpg" }).input).toBe("files/gridbear.jpg");
    for (const input of [
      "ftp://x.org/a.png",
      "file:///etc/passwd",
      "//evil.org/a.png",
      "javascript:1",
    ]) {
      expect(failure({ input }).status).toBe(400);
    }
  });

  it("answers 400 naming the parameter for malformed values", () => {
    for (const [name, value] of [
      ["radius", "abc"],
      ["passes", "1.5"],
      ["tint", "orange"],
      ["edges", "loop"],
      ["srgb", "maybe"],
      ["width", "wide"],
    ]) {
      const error = failure({ input: INPUT, [name as string]: value as string });
      expect(error.status).toBe(400);
      expect(error.details.parameter).toBe(name);
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it("answers 400 for numbers beyond floating point, which have no canonical form", () => {
    for (const value of ["1e309", "-1e309"]) {
      const error = failure({ input: INPUT, radius: value });
      expect({ status: error.status, parameter: error.details.parameter }).toEqual({
        status: 400,
        parameter: "radius",
      });
      expect(error.message).toContain("finite");
    }
  });

  it("answers 422 for values outside minimum/maximum", () => {
    expect(failure({ input: INPUT, radius: "101" }).status).toBe(422);
    expect(failure({ input: INPUT, passes: "0" }).status).toBe(422);
    expect(failure({ input: INPUT, width: "0" }).status).toBe(422);
    expect(failure({ input: INPUT, height: "100000" }).status).toBe(422);
  });
});

describe("image inports", () => {
  const stamp = catalogue.get("stamp") as CatalogueGraph;

  it("take image URLs under the rules of input, a default standing in for one not given", () => {
    const params = validateParams(stamp, { input: INPUT, overlay: "graph/canvas.png?color=red" });
    expect(params.images).toEqual({
      overlay: "graph/canvas.png?color=red",
      mask: "files/mask.png",
    });
    expect(params.values).toEqual({ opacity: "1" });
    expect(imageUrlsOf(params)).toEqual([INPUT, "graph/canvas.png?color=red", "files/mask.png"]);
    expect(imageUrlsOf(validateParams(fill, {}))).toEqual([]);
  });

  it("answer 400 naming the inport when missing or not an http(s) URL", () => {
    expect(failure({ input: INPUT }, stamp)).toMatchObject({
      status: 400,
      code: "missing-parameter",
      message: 'Parameter "overlay" is required.',
    });
    for (const overlay of ["ftp://x.org/a.png", "//evil.org/a.png", "javascript:1"]) {
      expect(failure({ input: INPUT, overlay }, stamp)).toMatchObject({
        status: 400,
        message: 'Parameter "overlay" must be an http(s) URL or a path on this server.',
      });
    }
  });
});

describe("resolveInputUrl", () => {
  it("resolves relative inputs against the server", () => {
    expect(resolveInputUrl("files/a.png", "http://127.0.0.1:8787").href).toBe(
      "http://127.0.0.1:8787/files/a.png",
    );
    expect(resolveInputUrl("/graph/crop.png?x=1", "https://img.example.com/").href).toBe(
      "https://img.example.com/graph/crop.png?x=1",
    );
    expect(resolveInputUrl(INPUT, "http://127.0.0.1:8787/").href).toBe(INPUT);
  });
});
