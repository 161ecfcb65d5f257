import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_OPTIONS, type Fit } from "../../shared/image-options.ts";
import { planGeometry, wholeGeometry } from "./geometry.ts";

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
