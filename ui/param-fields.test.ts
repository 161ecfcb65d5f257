import { describe, expect, it } from "vitest";
import { SIZE_PARAMETERS } from "../shared/catalogue.ts";
import { fieldFor, fieldHint, fieldValueFrom, graphForm, isDefaultValue } from "./param-fields.ts";

describe("fieldFor", () => {
  it("makes a number field with bounds and a step fine enough for the range", () => {
    expect(
      fieldFor("opacity", {
        type: "number",
        description: "Opacity",
        minimum: 0,
        maximum: 1,
        default: 1,
      }),
    ).toEqual({
      name: "opacity",
      description: "Opacity",
      kind: "number",
      integer: false,
      minimum: 0,
      maximum: 1,
      step: "0.01",
      default: "1",
    });
  });

  it("keeps the step at 1 for wide ranges and integers, finer when the default needs it", () => {
    const wide = fieldFor("std-dev-x", {
      type: "number",
      description: "",
      minimum: 0,
      maximum: 1500,
      default: 1.5,
    });
    expect(wide).toMatchObject({ step: "0.1", default: "1.5" });
    expect(
      fieldFor("seed", { type: "int", description: "", minimum: 0, maximum: 1e9 }),
    ).toMatchObject({
      kind: "number",
      integer: true,
      step: "1",
      default: "",
    });
    expect(fieldFor("angle", { type: "number", description: "", default: 0.125 })).toMatchObject({
      step: "0.001",
    });
  });

  it("normalises colour defaults so the picker can show them", () => {
    expect(
      fieldFor("color1", { type: "color", description: "", default: "#0A2A2F" }),
    ).toMatchObject({
      kind: "color",
      default: "#0a2a2f",
    });
    expect(
      fieldFor("color", { type: "color", description: "", default: "rgba(255,0,0,0.5)" }),
    ).toMatchObject({
      default: "#ff000080",
    });
  });

  it("makes checkboxes for booleans and selects for enums", () => {
    expect(fieldFor("srgb", { type: "boolean", description: "", default: true })).toMatchObject({
      kind: "boolean",
      default: "true",
    });
    expect(fieldFor("flag", { type: "boolean", description: "" })).toMatchObject({
      default: "false",
    });
    expect(
      fieldFor("preset", {
        type: "enum",
        description: "",
        values: ["none", "prog"],
        default: "prog",
      }),
    ).toMatchObject({ kind: "enum", values: ["none", "prog"], default: "prog" });
    expect(fieldFor("label", { type: "string", description: "" })).toMatchObject({ kind: "text" });
  });

  it("makes an image picker for image inports", () => {
    expect(fieldFor("overlay", { type: "image", description: "The logo" })).toEqual({
      name: "overlay",
      description: "The logo",
      default: "",
      kind: "image",
    });
  });
});

describe("graphForm", () => {
  const inports = {
    input: { metadata: { type: "string" as const, description: "URL" } },
    color1: { metadata: { type: "color" as const, description: "Stop 1", default: "#000" } },
    width: { metadata: SIZE_PARAMETERS.width },
    height: { metadata: SIZE_PARAMETERS.height },
  };

  const PUBLISHED = { version: 0, hash: "0".repeat(64), builtin: true };

  it("keeps input, width and height out of the parameters", () => {
    const form = graphForm("gradientmap", {
      ...PUBLISHED,
      description: "Gradient",
      inports,
      outports: { output: {} },
    });
    expect(form.takesInput).toBe(true);
    expect(form.params.map((field) => field.name)).toEqual(["color1"]);
  });

  it("recognises generators by their missing input", () => {
    const { input: _input, ...generatorInports } = inports;
    const form = graphForm("canvas", {
      ...PUBLISHED,
      description: "",
      inports: generatorInports,
      outports: {},
    });
    expect(form.takesInput).toBe(false);
  });
});

describe("isDefaultValue", () => {
  const opacity = fieldFor("opacity", { type: "number", description: "", default: 1 });
  const color = fieldFor("color1", { type: "color", description: "", default: "#0A2A2F" });
  const srgb = fieldFor("srgb", { type: "boolean", description: "", default: false });
  const label = fieldFor("label", { type: "string", description: "" });

  it("treats empty values and the default, however written, as nothing to send", () => {
    expect(isDefaultValue(opacity, "")).toBe(true);
    expect(isDefaultValue(opacity, "1.0")).toBe(true);
    expect(isDefaultValue(opacity, "0.5")).toBe(false);
    expect(isDefaultValue(color, "#0a2a2f")).toBe(true);
    expect(isDefaultValue(color, "#0a2a2fff")).toBe(true);
    expect(isDefaultValue(color, "#0a2a2f80")).toBe(false);
    expect(isDefaultValue(srgb, "false")).toBe(true);
    expect(isDefaultValue(srgb, "true")).toBe(false);
    expect(isDefaultValue(label, "hello")).toBe(false);
  });
});

describe("fieldValueFrom and fieldHint", () => {
  it("reads the boolean words the server accepts", () => {
    const srgb = fieldFor("srgb", { type: "boolean", description: "" });
    expect(fieldValueFrom(srgb, "yes")).toBe("true");
    expect(fieldValueFrom(srgb, "0")).toBe("false");
    const color = fieldFor("color1", { type: "color", description: "" });
    expect(fieldValueFrom(color, "#FDE7A0")).toBe("#FDE7A0");
  });

  it("describes the range and default", () => {
    const field = fieldFor("stop2", {
      type: "number",
      description: "",
      minimum: 0,
      maximum: 1,
      default: 0.25,
    });
    expect(fieldHint(field)).toBe("0 to 1 · default 0.25");
    expect(fieldHint(fieldFor("x", { type: "int", description: "", minimum: 0 }))).toBe("≥ 0");
  });
});
