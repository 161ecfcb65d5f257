import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";
import { detectFormat } from "./detect-format.ts";

const fixture = (name: string) => readFileSync(join(FIXTURE_IMAGES_DIR, name));
const pixel = () => sharp({ create: { width: 2, height: 2, channels: 3, background: "#f00" } });

describe("detectFormat", () => {
  it.each([
    ["gridbear.jpg", "jpeg"],
    ["cmyk-color.jpg", "jpeg"],
    ["mountains.png", "png"],
    ["time.gif", "gif"],
    ["happy-kitten.svg", "svg"],
  ])("recognises %s as %s", (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });

  it("recognises WebP, AVIF and TIFF made by an encoder", async () => {
    expect(detectFormat(await pixel().webp().toBuffer())).toBe("webp");
    expect(detectFormat(await pixel().avif().toBuffer())).toBe("avif");
    expect(detectFormat(await pixel().tiff().toBuffer())).toBe("tiff");
  });

  it("finds an SVG element after a BOM, comments and a doctype", () => {
    const text =
      '\uFEFF<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg xmlns="http://www.w3.org/2000/svg"/>';
    expect(detectFormat(Buffer.from(text))).toBe("svg");
  });

  it.each([
    ["an HTML page", "<!DOCTYPE html><html><body>nope</body></html>", /HTML/],
    ["JSON", '{"error": "nope"}', /JSON/],
    ["nothing", "", /empty/],
    ["other XML", '<?xml version="1.0"?><rss></rss>', /not a known image/],
  ])("refuses %s with a 415 naming the supported types", (_, text, why) => {
    try {
      detectFormat(Buffer.from(text));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 415, code: "unsupported-input" });
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).toMatch(/jpeg, png, webp, avif, gif, svg, tiff/);
    }
  });
});
