import { describe, expect, it } from "vitest";
import { decodeSize } from "./images.ts";

describe("decodeSize", () => {
  const own = { width: 1000, height: 801 };

  it("is the largest of a half, a quarter and an eighth that still holds the drawn size", () => {
    expect(decodeSize(own, { width: 100, height: 80 })).toEqual({ width: 125, height: 100 });
    expect(decodeSize(own, { width: 126, height: 80 })).toEqual({ width: 250, height: 200 });
    expect(decodeSize(own, { width: 500, height: 400 })).toEqual({ width: 500, height: 400 });
  });

  it("is the image's own size when it is drawn larger than half of it, or at a size unknown", () => {
    expect(decodeSize(own, { width: 501, height: 10 })).toEqual(own);
    expect(decodeSize(own, { width: 10, height: 401 })).toEqual(own);
    expect(decodeSize(own, null)).toEqual(own);
  });
});
