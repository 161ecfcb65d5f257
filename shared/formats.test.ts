import { describe, expect, it } from "vitest";
import {
  contentTypeOf,
  extensionOf,
  formatFromContentType,
  formatFromExtension,
  OUTPUT_EXTENSIONS,
  OUTPUT_FORMATS,
  outputFormatFor,
  type ResultTraits,
} from "./formats.ts";

const STILL: ResultTraits = { animated: false, hasAlpha: false };

describe("the format table", () => {
  it("names every output format by extension and content type, both ways", () => {
    for (const format of OUTPUT_FORMATS) {
      expect(formatFromExtension(extensionOf(format))).toBe(format);
      expect(formatFromContentType(`${contentTypeOf(format)}; charset=binary`)).toBe(format);
    }
    expect(formatFromExtension("JPEG")).toBe("jpeg");
    expect(formatFromExtension("svg")).toBeNull();
    expect(formatFromExtension("AUTO")).toBe("auto");
    expect(formatFromContentType("image/svg+xml")).toBeNull();
    expect(OUTPUT_EXTENSIONS).toEqual(["png", "jpg", "jpeg", "webp", "avif", "gif", "auto"]);
  });

  it("picks the output: the extension's, else the input's, else PNG (generators, SVG, TIFF)", () => {
    expect(outputFormatFor("webp", "jpeg", STILL)).toBe("webp");
    expect(outputFormatFor(null, "gif", STILL)).toBe("gif");
    expect(outputFormatFor(null, "svg", STILL)).toBe("png");
    expect(outputFormatFor(null, "tiff", STILL)).toBe("png");
    expect(outputFormatFor(null, null, STILL)).toBe("png");
  });

  it("picks .auto's output by variant and result: never AVIF for animations", () => {
    const animated = { animated: true, hasAlpha: true };
    const alpha = { animated: false, hasAlpha: true };
    const cases = [
      [{ auto: "avif" }, STILL, "avif"],
      [{ auto: "avif" }, animated, "webp"],
      [{ auto: "webp" }, alpha, "webp"],
      [{ auto: "webp" }, animated, "webp"],
      [{ auto: "input" }, STILL, "jpeg"],
      [{ auto: "input" }, alpha, "png"],
      [{ auto: "input" }, animated, "gif"],
    ] as const;
    for (const [choice, traits, format] of cases) {
      expect(outputFormatFor(choice, "png", traits), JSON.stringify([choice, traits])).toBe(format);
    }
  });
});
