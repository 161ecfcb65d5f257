import { describe, expect, it } from "vitest";
import { pickerColor, withPickedColor } from "./color-value.ts";

describe("colour picker values", () => {
  it("shows the colour without its alpha", () => {
    expect(pickerColor("#0A2A2F80")).toBe("#0a2a2f");
    expect(pickerColor("rgb(255, 0, 0)")).toBe("#ff0000");
    expect(pickerColor("nope")).toBeNull();
  });

  it("keeps the typed alpha when a colour is picked", () => {
    expect(withPickedColor("#00000080", "#FF8800")).toBe("#ff880080");
    expect(withPickedColor("#000000", "#ff8800")).toBe("#ff8800");
    expect(withPickedColor("", "#ff8800")).toBe("#ff8800");
  });
});
