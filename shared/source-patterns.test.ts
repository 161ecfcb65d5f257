import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isImgfloError } from "./errors.ts";
import { canonicalSourcePattern, checkSources, sourceMatches } from "./source-patterns.ts";

const CDN = canonicalSourcePattern("https://cdn.example.com/*");
const matches = (url: string, pattern = CDN) => sourceMatches(new URL(url), pattern);

describe("canonicalSourcePattern", () => {
  it("writes the origin as new URL does and keeps the path's stars", () => {
    expect(canonicalSourcePattern("HTTPS://CDN.Example.com:443/Images/*")).toBe(
      "https://cdn.example.com/Images/*",
    );
    expect(canonicalSourcePattern("http://127.0.0.1:8080/a/*/b.jpg?w=*")).toBe(
      "http://127.0.0.1:8080/a/*/b.jpg?w=*",
    );
    expect(canonicalSourcePattern("https://cdn.example.com/ä b/*")).toBe(
      "https://cdn.example.com/%C3%A4%20b/*",
    );
  });

  it.each([
    "cdn.example.com/*",
    "ftp://cdn.example.com/*",
    "https://cdn.example.com",
    "https://*.example.com/*",
    "https://cdn.example.com*",
    "https://user@cdn.example.com/*",
    "https://cdn.example.com\\@evil.com/*",
    "https://cdn.example.com/*#x",
    "https:///*",
    "*",
  ])("refuses %s", (pattern) => {
    expect(() => canonicalSourcePattern(pattern)).toThrow(/is not a source pattern/);
  });
});

describe("sourceMatches", () => {
  it("takes every path and query of the pattern's origin", () => {
    expect(matches("https://cdn.example.com/")).toBe(true);
    expect(matches("https://cdn.example.com/a/b/c.jpg?size=large&x=1")).toBe(true);
    expect(matches("https://CDN.example.com:443/a.jpg")).toBe(true);
  });

  it("refuses look-alikes of the origin", () => {
    for (const url of [
      "https://cdn.example.com.evil.com/a.jpg",
      "https://cdn.example.com@evil.com/a.jpg",
      "https://evil.com/https://cdn.example.com/a.jpg",
      "https://evil.com/?u=https://cdn.example.com/",
      "http://cdn.example.com/a.jpg",
      "https://cdn.example.com:8443/a.jpg",
      "https://xcdn.example.com/a.jpg",
      "https://sub.cdn.example.com/a.jpg",
    ]) {
      expect({ url, matches: matches(url) }).toEqual({ url, matches: false });
    }
  });

  it("matches the path after normalisation: dot segments resolved, encodings kept", () => {
    const images = canonicalSourcePattern("https://cdn.example.com/images/*");
    expect(matches("https://cdn.example.com/images/a/b.png", images)).toBe(true);
    expect(matches("https://cdn.example.com/images/../secret/a.png", images)).toBe(false);
    expect(matches("https://cdn.example.com/imag%65s/a.png", images)).toBe(false);
    expect(matches("https://cdn.example.com/images", images)).toBe(false);
  });

  it("takes * as any run of characters, none included, and everything else literally", () => {
    const jpegs = canonicalSourcePattern("https://cdn.example.com/*/photo-*.jpg");
    expect(matches("https://cdn.example.com/a/b/photo-1.jpg", jpegs)).toBe(true);
    expect(matches("https://cdn.example.com//photo-.jpg", jpegs)).toBe(true);
    expect(matches("https://cdn.example.com/a/photo-1.jpg?x", jpegs)).toBe(false);
    expect(matches("https://cdn.example.com/a/photo-1xjpg", jpegs)).toBe(false);
    const exact = canonicalSourcePattern("https://cdn.example.com/a.jpg");
    expect(matches("https://cdn.example.com/a.jpg", exact)).toBe(true);
    expect(matches("https://cdn.example.com/a.jpg?x=1", exact)).toBe(false);
  });

  it("agrees with a regular expression of the same pattern", () => {
    const chars = fc.constantFrom("a", "b", "/", "*");
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom("a", "b", "/"), maxLength: 10 }),
        (path, text) => {
          const pattern = `https://cdn.example.com/${path}`;
          const regex = new RegExp(`^/${path.replaceAll("*", ".*")}$`);
          expect(sourceMatches(new URL(`https://cdn.example.com/${text}`), pattern)).toBe(
            regex.test(`/${text}`),
          );
        },
      ),
    );
  });

  it("stays fast on a pattern of many stars against a long URL", () => {
    const pattern = canonicalSourcePattern(`https://cdn.example.com/${"*a".repeat(20)}b`);
    const start = performance.now();
    expect(matches(`https://cdn.example.com/${"a".repeat(4000)}`, pattern)).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe("checkSources", () => {
  const publicUrl = "https://img.example.com";
  const codeOf = (urls: string[], patterns: string[] | null) => {
    try {
      checkSources(urls, patterns, publicUrl);
      return "allowed";
    } catch (error) {
      return isImgfloError(error) ? `${error.status} ${error.code} ${error.details.source}` : error;
    }
  };

  it("allows anything without patterns, and nothing to check for a generator", () => {
    expect(codeOf(["https://evil.com/a.jpg"], null)).toBe("allowed");
    expect(codeOf([], [CDN])).toBe("allowed");
  });

  it("wants every URL to match one pattern", () => {
    const own = canonicalSourcePattern("https://img.example.com/files/*");
    expect(codeOf(["https://cdn.example.com/a.jpg", "files/x.png"], [CDN, own])).toBe("allowed");
    expect(codeOf(["https://cdn.example.com/a.jpg", "https://evil.com/b.jpg"], [CDN, own])).toBe(
      "403 source-not-allowed https://evil.com/b.jpg",
    );
  });

  it("checks a relative URL by what it resolves to against the public URL", () => {
    expect(codeOf(["files/gridbear.jpg"], [CDN])).toBe(
      "403 source-not-allowed https://img.example.com/files/gridbear.jpg",
    );
    const chained = "graph/passthrough.png?input=https%3A%2F%2Fcdn.example.com%2Fa.jpg";
    expect(codeOf([chained], [CDN])).toMatch(
      /^403 source-not-allowed https:\/\/img\.example\.com\/graph\//,
    );
  });
});
