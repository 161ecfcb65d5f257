import { describe, expect, it } from "vitest";
import { BLUR_GRAPH, CANVAS_FBP } from "../test/fixtures/graphs.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { AUTO_VARIANTS, acceptOf, acceptsAnyOf, autoVariantFor } from "./accept-variant.ts";
import { buildCatalogue } from "./catalogue.ts";
import type { ImgfloError } from "./errors.ts";
import { parseGraphSources } from "./graph-source.ts";

const catalogue = buildCatalogue(parseGraphSources([BLUR_GRAPH, CANVAS_FBP]));
const keyOf = async (url: string, accept: string | null) =>
  (await renderRequestFor(catalogue, url, accept)).cacheKey;

const CHROMIUM = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
const FIREFOX = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";
const SAFARI =
  "image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5";

describe("autoVariantFor", () => {
  it("folds browsers' Accept headers into avif, webp or the input's family", () => {
    for (const accept of [CHROMIUM, FIREFOX, SAFARI, "IMAGE/WEBP ; q=0.5, image/avif"]) {
      expect(autoVariantFor(accept)).toBe("avif");
    }
    expect(autoVariantFor("image/webp,*/*")).toBe("webp");
    expect(autoVariantFor("image/avif;q=0,image/webp")).toBe("webp");
    for (const accept of [
      null,
      "",
      "*/*",
      "image/*",
      "image/avif",
      "image/webp;q=0",
      "text/html",
    ]) {
      expect(autoVariantFor(accept)).toBe("input");
    }
  });

  it("is stable under the Accept the edge forwards for a variant", () => {
    for (const variant of AUTO_VARIANTS) expect(autoVariantFor(acceptOf(variant))).toBe(variant);
  });

  it("has at most three answers for any header", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const types = ["image/avif", "image/webp", "image/png", "*/*", `x/${i}`].filter(
        (_, bit) => (i >> bit) & 1,
      );
      seen.add(autoVariantFor(types.map((type) => `${type};q=0.${i % 10}`).join(",")));
    }
    expect(seen.size).toBeLessThanOrEqual(3);
  });
});

describe("acceptsAnyOf", () => {
  it("takes wildcards and a missing header as accepting", () => {
    expect(acceptsAnyOf(null, ["image/png"])).toBe(true);
    expect(acceptsAnyOf("image/*", ["image/png"])).toBe(true);
    expect(acceptsAnyOf("image/gif", ["image/png", "image/jpeg"])).toBe(false);
  });
});

describe("cache keys of .auto URLs", () => {
  const url = "/graph/blur.auto?input=files/a.png";

  it("depend on the variant only, and differ from every fixed format", async () => {
    expect(await keyOf(url, CHROMIUM)).toBe(await keyOf(url, "image/webp,image/avif"));
    expect(await keyOf(url, "*/*")).toBe(await keyOf(url, null));
    const keys = await Promise.all([
      keyOf(url, CHROMIUM),
      keyOf(url, "image/webp"),
      keyOf(url, null),
      keyOf("/graph/blur.avif?input=files/a.png", null),
      keyOf("/graph/blur.webp?input=files/a.png", null),
      keyOf("/graph/blur?input=files/a.png", null),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("ignore Accept for URLs with an extension or none", async () => {
    const fixed = "/graph/blur.png?input=files/a.png";
    expect(await keyOf(fixed, CHROMIUM)).toBe(await keyOf(fixed, null));
  });

  it("refuse a generator whose client takes none of its formats", async () => {
    const error = await renderRequestFor(catalogue, "/graph/fill.auto", "image/gif").catch(
      (thrown: ImgfloError) => thrown,
    );
    expect(error).toMatchObject({ status: 400, code: "not-acceptable" });
    expect(await keyOf("/graph/fill.auto", "image/png")).toBe(
      await keyOf("/graph/fill.auto", null),
    );
  });
});
