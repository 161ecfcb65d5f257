import { describe, expect, it } from "vitest";
import { normaliseColor } from "./color.ts";

describe("normaliseColor", () => {
  it.each([
    ["#FFF", "#ffffff"],
    ["#0A2A2F", "#0a2a2f"],
    ["#0a2a2f80", "#0a2a2f80"],
    ["#0a2a2fff", "#0a2a2f"],
    ["#f008", "#ff000088"],
    ["rgb(255, 0, 10)", "#ff000a"],
    ["rgba(255,0,10,0.5)", "#ff000a80"],
    ["rgb(100% 0% 0% / 50%)", "#ff000080"],
    ["red", "#ff0000"],
    [" Aqua ", "#00ffff"],
    ["transparent", "#00000000"],
  ])("%s → %s", (input, expected) => {
    expect(normaliseColor(input)).toBe(expected);
  });

  it.each([
    "",
    "orange",
    "constructor",
    "#12",
    "#12345",
    "rgb(256,0,0)",
    "rgb(1,2)",
    "rgba(1,2,3,2)",
    "#ggg",
  ])("rejects %s", (input) => {
    expect(normaliseColor(input)).toBeNull();
  });
});
