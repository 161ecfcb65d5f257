import { describe, expect, it } from "vitest";
import { STAND_INS, swappedOperation } from "./operation-swaps.ts";

const node = (op: string, props: Record<string, string> = {}) => ({ id: "n", op, props });

describe("swappedOperation", () => {
  it("swaps the operations the project has, for every property value they take", () => {
    expect(swappedOperation(node("gegl:motion-blur-linear"))).toBe("imgflo:motion-blur-linear");
    expect(swappedOperation(node("gegl:motion-blur-linear", { length: "40", angle: "-33" }))).toBe(
      "imgflo:motion-blur-linear",
    );
    expect(swappedOperation(node("gegl:edge-sobel", { vertical: "false" }))).toBe(
      "imgflo:edge-sobel",
    );
    expect(swappedOperation(node("gegl:c2g", { radius: "40" }))).toBe("imgflo:c2g");
  });

  it("keeps GEGL's where the node's properties do not allow the swap", () => {
    expect(swappedOperation(node("gegl:noise-reduction"))).toBe("imgflo:noise-reduction");
    expect(swappedOperation(node("gegl:noise-reduction", { iterations: "2" }))).toBe(
      "imgflo:noise-reduction",
    );
    expect(swappedOperation(node("gegl:noise-reduction", { iterations: "0" }))).toBe(
      "gegl:noise-reduction",
    );
  });

  it("keeps every other operation", () => {
    expect(swappedOperation(node("gegl:gaussian-blur"))).toBe("gegl:gaussian-blur");
    expect(swappedOperation(node("imgflo:motion-blur-linear"))).toBe("imgflo:motion-blur-linear");
  });

  it("names the stand-ins, which the editor does not list beside GEGL's", () => {
    expect([...STAND_INS].sort()).toEqual([
      "imgflo:c2g",
      "imgflo:edge-sobel",
      "imgflo:motion-blur-linear",
      "imgflo:noise-cie-lch",
      "imgflo:noise-reduction",
    ]);
  });
});
