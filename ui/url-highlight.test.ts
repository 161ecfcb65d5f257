import { describe, expect, it } from "vitest";
import { urlParts } from "./url-highlight.ts";

describe("urlParts", () => {
  it("splits a signed processing URL into base, signature, graph and query", () => {
    const parts = urlParts("http://h/graph/k1/abc/gradientmap.jpg?color1=%23000&height=200");
    expect(parts.map((part) => [part.kind, part.text])).toEqual([
      ["base", "http://h/graph/"],
      ["signature", "k1/abc/"],
      ["graph", "gradientmap.jpg"],
      ["punctuation", "?"],
      ["name", "color1"],
      ["punctuation", "="],
      ["value", "%23000"],
      ["punctuation", "&"],
      ["name", "height"],
      ["punctuation", "="],
      ["value", "200"],
    ]);
  });

  it("keeps the text intact", () => {
    for (const url of [
      "http://h/graph/canvas",
      "http://h/graph/x?flag",
      "data:image/png;base64,AA",
    ]) {
      expect(
        urlParts(url)
          .map((part) => part.text)
          .join(""),
      ).toBe(url);
    }
  });
});
