import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeToken, constantTimeEqual, verifyToken } from "./signature.ts";

const GRAPH_SPEC = "gradientmap.jpg";
const SEARCH =
  "?color1=%230A2A2F&color2=%23FDE7A0&height=200&input=https%3A%2F%2Fexample.com%2Fa.jpg";

describe("signatures", () => {
  it("accepts the contract's test vector", () => {
    expect(verifyToken("ad1e5aa542c6036d3f9ea6dc32d51e4d", GRAPH_SPEC, SEARCH, "s3cr3t")).toBe(
      true,
    );
  });

  it("accepts an upper-case token", () => {
    expect(verifyToken("AD1E5AA542C6036D3F9EA6DC32D51E4D", GRAPH_SPEC, SEARCH, "s3cr3t")).toBe(
      true,
    );
  });

  it("compares strings of different lengths as unequal", () => {
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });

  const mutate = (text: string, index: number, replacement: string) =>
    text.slice(0, index) + replacement + text.slice(index + 1);

  it("rejects any single-character change of path, query or secret", () => {
    const token = computeToken(GRAPH_SPEC, SEARCH, "s3cr3t");
    const part = fc.constantFrom("graphSpec", "search", "secret");
    fc.assert(
      fc.property(part, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (which, at, char) => {
        const parts = { graphSpec: GRAPH_SPEC, search: SEARCH, secret: "s3cr3t" };
        const original = parts[which];
        const index = at % original.length;
        fc.pre(original[index] !== char);
        parts[which] = mutate(original, index, char);
        expect(verifyToken(token, parts.graphSpec, parts.search, parts.secret)).toBe(false);
      }),
    );
  });
});
