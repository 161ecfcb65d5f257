import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";
import { isSrgbProfile, profileDescription } from "./icc-profile.ts";

const profileOf = async (name: string) =>
  (await sharp(readFileSync(join(FIXTURE_IMAGES_DIR, name))).metadata()).icc as Buffer;

describe("ICC profiles", () => {
  it("reads ICC v2 (desc) and v4 (mluc) descriptions", async () => {
    expect(profileDescription(await profileOf("gridbear.jpg"))).toBe("sRGB IEC61966-2.1");
    expect(profileDescription(await profileOf("grid-toastybob.jpg"))).toMatch(/^Darktable sRGB/);
    expect(profileDescription(await profileOf("cmyk-color.jpg"))).toMatch(/SWOP/);
  });

  it("recognises sRGB profiles only", async () => {
    expect(isSrgbProfile(await profileOf("gridbear.jpg"))).toBe(true);
    expect(isSrgbProfile(await profileOf("grid-toastybob.jpg"))).toBe(true);
    expect(isSrgbProfile(await profileOf("cmyk-color.jpg"))).toBe(false);
    const p3 = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#f00" } })
      .withIccProfile("p3")
      .png()
      .toBuffer();
    expect(isSrgbProfile((await sharp(p3).metadata()).icc as Buffer)).toBe(false);
  });

  it("survives truncated or garbage profiles", () => {
    expect(isSrgbProfile(Buffer.alloc(0))).toBe(false);
    expect(isSrgbProfile(Buffer.alloc(200, 0xff))).toBe(false);
  });
});
