import { describe, expect, it } from "vitest";
import type { ImgfloError } from "./errors.ts";
import { splitInfoUrl } from "./info-request.ts";
import {
  asksForDebug,
  parseProcessingRequest,
  parseQuery,
  splitProcessingUrl,
} from "./processing-request.ts";

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return (error as ImgfloError).status;
  }
  return undefined;
}

describe("parseProcessingRequest", () => {
  it("parses the unsigned form with format and params", () => {
    const parsed = parseProcessingRequest(
      "https://img.example.com/graph/gradientmap.jpeg?input=https%3A%2F%2Fx.org%2Fa.png&color1=%23000&width=300",
    );
    expect(parsed).toMatchObject({
      graph: "gradientmap",
      format: "jpeg",
      signature: null,
      graphSpec: "gradientmap.jpeg",
      debug: false,
      params: { input: "https://x.org/a.png", color1: "#000", width: "300" },
    });
  });

  it("reads a pinned version <graph>@<version>, signed over the graphspec as sent", () => {
    expect(parseProcessingRequest("/graph/halo@12.png?input=x")).toMatchObject({
      graph: "halo",
      version: 12,
      format: "png",
    });
    expect(parseProcessingRequest("/graph/k/t/halo@0")).toMatchObject({
      graph: "halo",
      version: 0,
      format: null,
      graphSpec: "halo@0",
    });
    expect(parseProcessingRequest("/graph/halo.png").version).toBeNull();
    for (const spec of ["halo@", "halo@01", "halo@-1", "halo@1@2", "@3", "halo@1x"]) {
      expect(
        statusOf(() => parseProcessingRequest(`/graph/${spec}.png`)),
        spec,
      ).toBe(400);
    }
  });

  it("parses the signed form and keeps the raw search byte-exact", () => {
    const raw = "?b=%41&a='x'(1)*";
    const parsed = parseProcessingRequest(`/graph/k1/abc123/passthrough.png${raw}`);
    expect(parsed.signature).toEqual({ key: "k1", token: "abc123" });
    expect(parsed.rawSearch).toBe(raw);
    expect(parsed.params).toEqual({ a: "'x'(1)*", b: "A" });
  });

  it("accepts /graphs/ as an alias and no extension as 'same as input'", () => {
    const parsed = parseProcessingRequest("/graphs/passthrough?input=files/a.png");
    expect(parsed.graph).toBe("passthrough");
    expect(parsed.format).toBeNull();
  });

  it("separates the debug flag from the params", () => {
    const parsed = parseProcessingRequest("/graph/crop?debug=1&x=3");
    expect(parsed.debug).toBe(true);
    expect(parsed.params).toEqual({ x: "3" });
    expect(parseProcessingRequest("/graph/crop?debug=0").debug).toBe(false);
  });

  it("treats an empty query as no query", () => {
    expect(parseProcessingRequest("/graph/canvas.png?").rawSearch).toBe("");
    expect(parseProcessingRequest("/graph/canvas.png#frag").rawSearch).toBe("");
  });

  it("rejects malformed URLs with 400", () => {
    expect(statusOf(() => parseProcessingRequest("/graph/"))).toBe(400);
    expect(statusOf(() => parseProcessingRequest("/graph/a/b"))).toBe(400);
    expect(statusOf(() => parseProcessingRequest("/graph/bad%name.png"))).toBe(400);
    expect(statusOf(() => parseProcessingRequest("/graph/crop.bmp"))).toBe(400);
    expect(statusOf(() => parseProcessingRequest("/graph/crop.png?x=%E0%A4%A"))).toBe(400);
    expect(statusOf(() => parseProcessingRequest("/other/crop.png"))).toBe(400);
  });

  it("splits the signed parts without looking at the query", () => {
    expect(splitProcessingUrl("/graph/k%31/t0/nosuch.bmp?x=%ZZ&x=2")).toEqual({
      signature: { key: "k1", token: "t0" },
      graphSpec: "nosuch.bmp",
      rawSearch: "?x=%ZZ&x=2",
    });
    // A key that does not decode, or an empty key or token, can only be forged.
    for (const url of ["/graph/%ZZ/t0/crop.png", "/graph//t0/crop.png", "/graph/k1//crop.png"]) {
      expect(statusOf(() => splitProcessingUrl(url))).toBe(403);
    }
    expect(statusOf(() => splitProcessingUrl("/graph/a/b"))).toBe(400);
  });

  it("sees a debug flag in a query that does not parse", () => {
    expect(asksForDebug("?x=%ZZ&debug=1")).toBe(true);
    expect(asksForDebug("?debug=0&x=1")).toBe(false);
    expect(asksForDebug("?debug=%ZZ")).toBe(false);
    expect(asksForDebug("")).toBe(false);
  });

  it("names a repeated parameter", () => {
    expect(() => parseQuery("x=1&x=2")).toThrow(/"x"/);
  });

  it("refuses an /info URL's undecodable or empty key or token with 403, as a processing URL's", () => {
    for (const url of ["/info/%ZZ/t?input=x", "/info/k1/?input=x", "/info//t?input=x"]) {
      expect(statusOf(() => splitInfoUrl(url))).toBe(403);
    }
    expect(splitInfoUrl("/info/k%201/t?input=x").signature).toEqual({ key: "k 1", token: "t" });
  });
});
