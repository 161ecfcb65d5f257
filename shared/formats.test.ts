import { describe, expect, it } from "vitest";
import {
  contentTypeOf,
  extensionOf,
  formatFromContentType,
  formatFromExtension,
  OUTPUT_EXTENSIONS,
  OUTPUT_FORMATS,
  outputFormatFor,
} from "./formats.ts";

describe("the format table", () => {
  it("names every output format by extension and content type, both ways", () => {
    for (const format of OUTPUT_FORMATS) {
      expect(formatFromExtension(extensionOf(format))).toBe(format);
      expect(formatFromContentType(`${contentTypeOf(format)}; charset=binary`)).toBe(format);
    }
    expect(formatFromExtension("JPEG")).toBe("jpeg");
    expect(formatFromExtension("svg")).toBeNull();
    expect(formatFromContentType("image/svg+xml")).toBeNull();
    expect(OUTPUT_EXTENSIONS).toEqual(["png", "jpg", "jpeg", "webp", "avif", "gif"]);
  });

  it("picks the output: the extension's, else the input's, else PNG (generators, SVG, TIFF)", () => {
    expect(outputFormatFor("webp", "jpeg")).toBe("webp");
    expect(outputFormatFor(null, "gif")).toBe("gif");
    expect(outputFormatFor(null, "svg")).toBe("png");
    expect(outputFormatFor(null, "tiff")).toBe("png");
    expect(outputFormatFor(null, null)).toBe("png");
  });
});
