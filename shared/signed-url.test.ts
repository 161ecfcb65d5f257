import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOutputFormat } from "./formats.ts";
import { parseProcessingRequest } from "./processing-request.ts";
import { verifyToken } from "./signature.ts";
import { buildProcessingUrl, type UrlParams } from "./signed-url.ts";

const imgfloUrl = createRequire(import.meta.url)("imgflo-url") as (
  config: { server: string; key: string; secret: string },
  graph: string,
  params: UrlParams,
  format?: string,
) => string;

const CONFIG = { server: "http://localhost:8787/", key: "k1", secret: "s3cr3t" };

const paramName = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const paramValue = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.integer({ min: -1000, max: 1000 }),
);
const inputUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true }),
  fc.constantFrom(
    "https://pbs.twimg.com/media/x.jpg:large",
    "http://example.com/pic.TIF",
    "http://example.com/anim.gif?x=1",
    "files/gridbear.jpg",
    "ab.png",
  ),
);
const params = fc
  .tuple(inputUrl, fc.dictionary(paramName, paramValue, { maxKeys: 5 }))
  .map(([input, rest]) => ({ ...rest, input }));
const format = fc.option(fc.constantFrom("png", "jpg", "JPEG", "webp", "tif", "gif"), {
  nil: undefined,
});

describe("buildProcessingUrl", () => {
  it("produces the contract's test vector", () => {
    const url = buildProcessingUrl(CONFIG, "gradientmap", {
      input: "https://example.com/a.jpg",
      color1: "#0A2A2F",
      color2: "#FDE7A0",
      height: 200,
    });
    expect(url).toBe(
      "http://localhost:8787/graph/k1/ad1e5aa542c6036d3f9ea6dc32d51e4d/gradientmap.jpg?color1=%230A2A2F&color2=%23FDE7A0&height=200&input=https%3A%2F%2Fexample.com%2Fa.jpg",
    );
  });

  it("produces exactly what the imgflo-url client produces", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("gradientmap", "passthrough", "crop"),
        params,
        format,
        (graph, p, f) => {
          expect(buildProcessingUrl(CONFIG, graph, p, f)).toBe(imgfloUrl(CONFIG, graph, p, f));
        },
      ),
    );
  });

  it("keeps the client's special cases: data: inputs, gif to noop, tif to png", () => {
    expect(buildProcessingUrl(CONFIG, "crop", { input: "data:image/png;base64,AA" })).toBe(
      "data:image/png;base64,AA",
    );
    expect(buildProcessingUrl(CONFIG, "crop", { input: "http://x.org/a.gif", x: 3 })).toContain(
      "/noop.gif?input=http%3A%2F%2Fx.org%2Fa.gif",
    );
    expect(buildProcessingUrl(CONFIG, "crop", { input: "http://x.org/a.tif" })).toContain(
      "/crop.png?",
    );
  });

  it("signs expires like any parameter, and a gif turned into noop keeps it", () => {
    const params = { input: "http://x.org/a.jpg", expires: 1700000000, width: 10 };
    expect(buildProcessingUrl(CONFIG, "crop", params)).toBe(imgfloUrl(CONFIG, "crop", params));
    expect(buildProcessingUrl(CONFIG, "crop", { ...params, input: "http://x.org/a.gif" })).toMatch(
      /\/noop\.gif\?expires=1700000000&input=http%3A%2F%2Fx\.org%2Fa\.gif$/,
    );
  });

  it("builds the unsigned form without key and secret, adding the server's trailing slash", () => {
    expect(
      buildProcessingUrl({ server: "https://img.example.com" }, "canvas", { color: "#fff" }, "png"),
    ).toBe("https://img.example.com/graph/canvas.png?color=%23fff");
  });

  it("round-trips through the parser: same graph, format, params, and a valid token", () => {
    fc.assert(
      fc.property(params, format, (p, f) => {
        fc.pre(!Object.keys(p).includes("debug"));
        const url = buildProcessingUrl(CONFIG, "gradientmap", p, f);
        const extension = /\/[\w-]+\.(\w+)\?/.exec(url)?.[1];
        fc.pre(
          extension === undefined ||
            isOutputFormat(extension.toLowerCase() === "jpg" ? "jpeg" : extension.toLowerCase()),
        );
        const parsed = parseProcessingRequest(url);
        expect(parsed.signature?.key).toBe("k1");
        const token = parsed.signature?.token ?? "";
        expect(verifyToken(token, parsed.graphSpec, parsed.rawSearch, CONFIG.secret)).toBe(true);
        const expected = parsed.graph === "noop" ? { input: p.input } : p;
        expect(parsed.params).toEqual(
          Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, String(v)])),
        );
      }),
    );
  });
});
