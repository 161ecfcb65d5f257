import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BLUR_GRAPH, OVERLAY_GRAPH } from "../test/fixtures/graphs.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { cachePath, canonicalPath, isCacheKey, resultObjectName } from "./cache-key.ts";
import { buildCatalogue } from "./catalogue.ts";
import { parseGraphSources } from "./graph-source.ts";

const catalogue = buildCatalogue(parseGraphSources([BLUR_GRAPH, OVERLAY_GRAPH]));
const keyOf = async (url: string) => (await renderRequestFor(catalogue, url)).cacheKey;

/** Encodes a string with a random mix of raw and percent-encoded characters that decode the same. */
function encodingVariant(text: string, choices: boolean[]): string {
  return [...text]
    .map((char, i) => {
      const mustEncode = /[&=+#%?]/.test(char) || char.charCodeAt(0) > 126 || char <= " ";
      return mustEncode || choices[i % choices.length] ? encodeURIComponent(char) : char;
    })
    .join("");
}

const entries = fc.record({
  input: fc.constantFrom("https://example.com/a.jpg?x=1&y=2", "files/gridbear.jpg"),
  radius: fc.float({ min: 0, max: 100, noNaN: true }).map(String),
  tint: fc.constantFrom("#336699", "#000", "#abcdef80"),
  label: fc.string({ unit: "grapheme", maxLength: 20 }),
});

describe("cache keys", () => {
  it("are hex SHA-256 and name objects and paths", async () => {
    const key = await keyOf("/graph/blur.png?input=files/a.png");
    expect(isCacheKey(key)).toBe(true);
    expect(resultObjectName(key)).toBe(`results/${key}`);
    expect(cachePath(key, "jpeg")).toBe(`/cache/${key}.jpg`);
  });

  it("ignore parameter order and percent-encoding variants", async () => {
    await fc.assert(
      fc.asyncProperty(
        entries,
        fc.array(fc.boolean(), { minLength: 1 }),
        async (params, choices) => {
          const pairs = Object.entries(params);
          const plain = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
          const shuffled = [...pairs]
            .reverse()
            .map(([k, v]) => `${k}=${encodingVariant(v, choices)}`);
          expect(await keyOf(`/graph/blur.png?${plain}`)).toBe(
            await keyOf(`/graph/blur.png?${shuffled.join("&")}`),
          );
        },
      ),
    );
  });

  it("ignore key, token, unknown parameters, debug and spelled-out defaults", async () => {
    const base = await keyOf("/graph/blur.jpg?input=files/a.png");
    expect(
      await keyOf("/graph/k1/0123abcd/blur.jpeg?input=files/a.png&radius=2&tint=%23000000"),
    ).toBe(base);
    expect(await keyOf("/graphs/blur.jpg?zzz=1&input=files%2Fa.png")).toBe(base);
  });

  it("differ by graph output format, parameter values and size", async () => {
    const keys = await Promise.all([
      keyOf("/graph/blur.jpg?input=files/a.png"),
      keyOf("/graph/blur.png?input=files/a.png"),
      keyOf("/graph/blur?input=files/a.png"),
      keyOf("/graph/blur.jpg?input=files/b.png"),
      keyOf("/graph/blur.jpg?input=files/a.png&radius=3"),
      keyOf("/graph/blur.jpg?input=files/a.png&width=10"),
      keyOf("/graph/blur.jpg?input=files/a.png&height=10"),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("hold each image inport's URL: changing only the overlay changes the key", async () => {
    const stamp = "/graph/stamp.png?input=files/a.png";
    const keys = await Promise.all([
      keyOf(`${stamp}&overlay=files/logo.png`),
      keyOf(`${stamp}&overlay=files/other.png`),
      keyOf(`${stamp}&overlay=files/logo.png&mask=files/m2.png`),
      keyOf(`${stamp}&overlay=${encodeURIComponent("graph/canvas.png?color=red")}`),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await keyOf(`${stamp}&overlay=files/logo.png&mask=files/mask.png`)).toBe(keys[0]);
    const asked = await renderRequestFor(catalogue, `${stamp}&overlay=files/logo.png`);
    const path = canonicalPath("stamp", asked.request.format, asked.params);
    expect(path).toBe(
      "/graph/stamp.png?input=files%2Fa.png&mask=files%2Fmask.png&opacity=1&overlay=files%2Flogo.png",
    );
    expect(await keyOf(path)).toBe(asked.cacheKey);
  });

  it("are what the canonical path, the only thing forwarded to origins, parses back to", async () => {
    const formats = fc.constantFrom("", ".png", ".jpeg", ".jpg", ".webp", ".auto");
    const size = fc.option(fc.integer({ min: 1, max: 5000 }).map(String), { nil: undefined });
    // Image options travel in the canonical path too, or the origin would ignore them.
    const options = fc.constantFrom(
      "",
      "&fit=cover&gravity=north&height=50",
      "&fit=contain&background=%23ff000080&height=10",
      "&quality=70&metadata=keep",
      "&dpr=1.5",
    );
    await fc.assert(
      fc.asyncProperty(
        entries,
        formats,
        size,
        fc.string({ maxLength: 30 }),
        options,
        async (params, format, width, junk, imageOptions) => {
          const query = `${Object.entries({ ...params, width: width ?? "40", junk })
            .filter(([, value]) => value !== undefined)
            .map(([name, value]) => `${name}=${encodeURIComponent(value as string)}`)
            .join("&")}${imageOptions}`;
          const asked = await renderRequestFor(catalogue, `/graph/blur${format}?${query}`);
          const path = canonicalPath("blur", asked.request.format, asked.params);
          expect(path).not.toContain("junk");
          expect(await keyOf(path)).toBe(asked.cacheKey);
        },
      ),
    );
  });
});
