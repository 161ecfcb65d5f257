import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_OPTIONS, type Fit } from "../../shared/image-options.ts";
import {
  checkPixelLimit,
  generatorSize,
  planGeometry,
  targetSize,
  wholeGeometry,
} from "./resize.ts";

const SOURCE = { width: 200, height: 100 };
const plan = (fit: Fit) => planGeometry(SOURCE, 50, 50, { ...DEFAULT_IMAGE_OPTIONS, fit });

describe("planGeometry", () => {
  it("sizes the graph's input and the final image by fit", () => {
    expect([plan("inside").size, plan("inside").output]).toEqual([
      { width: 50, height: 25 },
      { width: 50, height: 25 },
    ]);
    expect(plan("fill").size).toEqual({ width: 50, height: 50 });
    expect(plan("outside").size).toEqual({ width: 100, height: 50 });
    expect(plan("cover")).toMatchObject({
      size: { width: 50, height: 50 },
      before: { fit: "cover", position: "centre" },
      after: null,
    });
  });

  it("pads contain after the graph, or in the one resize of a pass-through", () => {
    const contain = plan("contain");
    expect([contain.size, contain.output]).toEqual([
      { width: 50, height: 25 },
      { width: 50, height: 50 },
    ]);
    expect(contain.after).toMatchObject({ width: 50, height: 50, background: null });
    expect(wholeGeometry(contain, "png", false)).toMatchObject({
      size: { width: 50, height: 50 },
      resize: { fit: "contain", background: { alpha: 0 } },
    });
    expect(wholeGeometry(contain, "jpeg", false).resize.background).toBe("#ffffff");
    expect(wholeGeometry(plan("cover"), "png", false).resize).toMatchObject({ fit: "cover" });
  });

  it("crops animations about the centre when asked for a smart crop", () => {
    const smart = planGeometry(SOURCE, 50, 50, {
      ...DEFAULT_IMAGE_OPTIONS,
      fit: "cover",
      gravity: "attention",
    });
    expect(typeof wholeGeometry(smart, "gif", false).resize.position).toBe("number");
    expect(wholeGeometry(smart, "gif", true).resize.position).toBe("centre");
  });
});

const source = { width: 768, height: 1024 };

describe("targetSize", () => {
  it("keeps the source size when neither dimension is given", () => {
    expect(targetSize(source, null, null)).toEqual(source);
  });

  it("keeps the aspect ratio from one dimension", () => {
    expect(targetSize(source, 300, null)).toEqual({ width: 300, height: 400 });
    expect(targetSize(source, null, 512)).toEqual({ width: 384, height: 512 });
    expect(targetSize(source, 1536, null)).toEqual({ width: 1536, height: 2048 });
  });

  it("fits inside the box when both are given", () => {
    expect(targetSize(source, 300, 300)).toEqual({ width: 225, height: 300 });
    expect(targetSize(source, 600, 200)).toEqual({ width: 150, height: 200 });
  });

  it("never goes below one pixel nor beyond the box", () => {
    fc.assert(
      fc.property(
        fc.record({
          width: fc.integer({ min: 1, max: 5000 }),
          height: fc.integer({ min: 1, max: 5000 }),
        }),
        fc.option(fc.integer({ min: 1, max: 5000 })),
        fc.option(fc.integer({ min: 1, max: 5000 })),
        (size, width, height) => {
          const result = targetSize(size, width, height);
          expect(result.width).toBeGreaterThanOrEqual(1);
          expect(result.height).toBeGreaterThanOrEqual(1);
          if (width !== null) expect(result.width).toBeLessThanOrEqual(width);
          if (height !== null) expect(result.height).toBeLessThanOrEqual(height);
          if (width !== null && height === null) expect(result.width).toBe(width);
        },
      ),
    );
  });
});

describe("generatorSize", () => {
  it("defaults to 512x512 and makes a square from one dimension", () => {
    expect(generatorSize(null, null)).toEqual({ width: 512, height: 512 });
    expect(generatorSize(100, null)).toEqual({ width: 100, height: 100 });
    expect(generatorSize(null, 80)).toEqual({ width: 80, height: 80 });
    expect(generatorSize(100, 50)).toEqual({ width: 100, height: 50 });
  });
});

describe("checkPixelLimit", () => {
  it("answers 422 beyond the limit", () => {
    expect(() => checkPixelLimit({ width: 100, height: 100 }, 10_000, "output")).not.toThrow();
    expect(() => checkPixelLimit({ width: 101, height: 100 }, 10_000, "output")).toThrow(
      expect.objectContaining({ status: 422, code: "too-many-pixels" }),
    );
  });
});
