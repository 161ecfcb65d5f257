import { describe, expect, it } from "vitest";
import { BLUR_GRAPH } from "../test/fixtures/graphs.ts";
import { renderRequestFor } from "../test/harness/render-request.ts";
import { buildCatalogue, type CatalogueGraph } from "./catalogue.ts";
import type { ImgfloError } from "./errors.ts";
import { parseGraphSources } from "./graph-source.ts";
import { validateParams } from "./parameters.ts";

const catalogue = buildCatalogue(parseGraphSources([BLUR_GRAPH]));
const blur = catalogue.get("blur") as CatalogueGraph;
const INPUT = "https://example.com/a.jpg";
const validate = (raw: Record<string, string>) => validateParams(blur, { input: INPUT, ...raw });
const keyOf = async (query: string) =>
  (await renderRequestFor(catalogue, `/graph/blur.jpg?input=files/a.png&${query}`)).cacheKey;

function failure(raw: Record<string, string>): ImgfloError {
  try {
    validate(raw);
  } catch (error) {
    return error as ImgfloError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to fail`);
}

describe("image options", () => {
  it("are parsed into typed options", () => {
    expect(
      validate({
        width: "100",
        height: "50",
        fit: "cover",
        gravity: "attention",
        background: "#F00",
        quality: "70",
        metadata: "keep",
      }).options,
    ).toEqual({
      fit: "cover",
      gravity: "attention",
      background: "#ff0000",
      quality: 70,
      metadata: "keep",
    });
  });

  it("fold dpr into width and height", () => {
    expect(validate({ width: "100", dpr: "2.5" })).toMatchObject({ width: 250, height: null });
    expect(validate({ width: "101", height: "33", dpr: "1.5" })).toMatchObject({
      width: 152,
      height: 50,
    });
  });

  it("answer 400 or 422 naming the parameter", () => {
    for (const [raw, status, parameter] of [
      [{ fit: "banana" }, 400, "fit"],
      [{ width: "10", height: "10", gravity: "up" }, 400, "gravity"],
      [{ dpr: "0" }, 422, "dpr"],
      [{ width: "10", dpr: "4.5" }, 422, "dpr"],
      [{ width: "10000", dpr: "2" }, 422, "dpr"],
      [{ dpr: "2" }, 400, "dpr"],
      [{ quality: "101" }, 422, "quality"],
      [{ quality: "0" }, 422, "quality"],
      [{ quality: "high" }, 400, "quality"],
      [{ background: "orange" }, 400, "background"],
      [{ metadata: "all" }, 400, "metadata"],
      [{ width: "10", fit: "cover" }, 400, "fit"],
      [{ width: "10", height: "10", gravity: "north" }, 400, "gravity"],
      [{ width: "10", height: "10", fit: "fill", gravity: "north" }, 400, "gravity"],
      [{ width: "10", height: "10", fit: "contain", gravity: "entropy" }, 400, "gravity"],
    ] as const) {
      const error = failure(raw);
      expect([error.status, error.details.parameter], JSON.stringify(raw)).toEqual([
        status,
        parameter,
      ]);
      expect(error.message).toContain(`"${parameter}"`);
    }
  });

  it("leave the cache key of a URL without them, or with their defaults, unchanged", async () => {
    const today = await keyOf("width=100");
    // The key this URL has had since keys hold the graph's hash (imgflo/2), options or not.
    expect(today).toBe("361c186082a7dd0450a5b54beee015c4fdacd0dd052062801d2f727c6343f9c0");
    expect(await keyOf("width=100&fit=inside&dpr=1&metadata=strip")).toBe(today);
    expect(await keyOf("width=50&dpr=2")).toBe(today);
  });

  it("give every other value its own cache key", async () => {
    const keys = await Promise.all(
      [
        "width=100&height=100",
        "width=100&height=100&fit=cover",
        "width=100&height=100&fit=cover&gravity=north",
        "width=100&height=100&fit=contain",
        "width=100&height=100&fit=contain&background=%23fff",
        "width=100&height=100&quality=50",
        "width=100&height=100&metadata=keep",
      ].map(keyOf),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});
