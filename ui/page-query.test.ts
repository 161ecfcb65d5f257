import { describe, expect, it } from "vitest";
import { pageSearch, parsePageQuery } from "./page-query.ts";

describe("parsePageQuery", () => {
  it("reads the query a debug=1 redirect writes, with the input decoded", () => {
    const query = parsePageQuery(
      "?graph=gradientmap&format=jpg&input=https%3A%2F%2Fexample.com%2Fa%20b.jpg%3Fx%3D1&color1=%230A2A2F&height=200",
    );
    expect(query).toEqual({
      graph: "gradientmap",
      format: "jpg",
      params: { input: "https://example.com/a b.jpg?x=1", color1: "#0A2A2F", height: "200" },
    });
  });

  it("takes an empty or unknown format as the input's own, and jpeg as jpg", () => {
    expect(parsePageQuery("?graph=passthrough&format=").format).toBe("");
    expect(parsePageQuery("?graph=passthrough&format=tiff").format).toBe("");
    expect(parsePageQuery("?graph=passthrough&format=JPEG").format).toBe("jpg");
    expect(parsePageQuery("").graph).toBeNull();
  });

  it("leaves debug out of the parameters", () => {
    expect(parsePageQuery("?graph=crop&debug=1&x=4").params).toEqual({ x: "4" });
  });
});

describe("pageSearch", () => {
  it("writes a query that parses back to the same request", () => {
    const search = pageSearch("gradientmap", "webp", {
      input: "files/gridbear.jpg",
      color1: "#ff0000",
    });
    expect(parsePageQuery(search)).toEqual({
      graph: "gradientmap",
      format: "webp",
      params: { input: "files/gridbear.jpg", color1: "#ff0000" },
    });
  });
});
