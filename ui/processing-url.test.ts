import { describe, expect, it } from "vitest";
import type { FormState } from "./form-state.ts";
import { fieldFor, type GraphForm } from "./param-fields.ts";
import { processingNote, processingUrl, requestParams } from "./processing-url.ts";

const gradientmap: GraphForm = {
  name: "gradientmap",
  description: "Gradient map",
  takesInput: true,
  params: [
    fieldFor("color1", { type: "color", description: "", default: "#000000" }),
    fieldFor("color2", { type: "color", description: "", default: "#ffffff" }),
    fieldFor("opacity", { type: "number", description: "", minimum: 0, maximum: 1, default: 1 }),
    fieldFor("srgb", { type: "boolean", description: "", default: false }),
  ],
};

const canvas: GraphForm = {
  name: "canvas",
  description: "Generator",
  takesInput: false,
  params: [fieldFor("color", { type: "color", description: "", default: "#336699" })],
};

function state(overrides: Partial<FormState> = {}): FormState {
  return {
    input: "files/gridbear.jpg",
    format: "",
    width: "",
    height: "",
    params: { color1: "#000000", color2: "#ffffff", opacity: "1", srgb: "false" },
    ...overrides,
  };
}

const server = "http://localhost:8787/";

describe("requestParams", () => {
  it("sends the input and only the values that differ from the defaults", () => {
    const params = requestParams(
      gradientmap,
      state({
        width: " 300 ",
        params: { color1: "#ff0000", color2: "#FFFFFF", opacity: "0.5", srgb: "true" },
      }),
    );
    expect(params).toEqual({
      input: "files/gridbear.jpg",
      width: "300",
      color1: "#ff0000",
      opacity: "0.5",
      srgb: "true",
    });
  });

  it("sends no input for generators", () => {
    expect(requestParams(canvas, state({ params: { color: "#ff0000" } }))).toEqual({
      color: "#ff0000",
    });
  });
});

describe("processingUrl", () => {
  it("leaves the extension out for 'same as input' so the server picks the format", () => {
    expect(processingUrl({ server }, gradientmap, state())).toBe(
      "http://localhost:8787/graph/gradientmap?input=files%2Fgridbear.jpg",
    );
  });

  it("signs like the CLI: the contract's test vector", () => {
    const url = processingUrl(
      { server, key: "k1", secret: "s3cr3t" },
      gradientmap,
      state({
        input: "https://example.com/a.jpg",
        format: "jpg",
        height: "200",
        params: { color1: "#0A2A2F", color2: "#FDE7A0", opacity: "1", srgb: "false" },
      }),
    );
    expect(url).toBe(
      "http://localhost:8787/graph/k1/ad1e5aa542c6036d3f9ea6dc32d51e4d/gradientmap.jpg?color1=%230A2A2F&color2=%23FDE7A0&height=200&input=https%3A%2F%2Fexample.com%2Fa.jpg",
    );
  });

  it("stays unsigned with only a key", () => {
    expect(processingUrl({ server, key: "k1", secret: "" }, canvas, state({ params: {} }))).toBe(
      "http://localhost:8787/graph/canvas",
    );
  });
});

describe("processingNote", () => {
  it("explains what the URL cannot do", () => {
    expect(processingNote(gradientmap, state())).toBeNull();
    expect(processingNote(canvas, state({ input: "" }))).toBeNull();
    expect(processingNote(gradientmap, state({ input: " " }))).toMatch(/Choose an input/);
    expect(processingNote(gradientmap, state({ input: "data:image/png;base64,AA" }))).toMatch(
      /data:/,
    );
    expect(processingNote(gradientmap, state({ format: "gif" }))).toMatch(/noop/);
  });

  it("asks for each image inport without a default, and refuses data: URLs there too", () => {
    const watermark: GraphForm = {
      name: "watermark",
      description: "Watermark",
      takesInput: true,
      params: [fieldFor("overlay", { type: "image", description: "" })],
    };
    expect(processingNote(watermark, state({ params: {} }))).toBe(
      "Choose an image for overlay: this graph takes one.",
    );
    expect(
      processingNote(watermark, state({ params: { overlay: "files/gridbear.jpg" } })),
    ).toBeNull();
    expect(processingNote(watermark, state({ params: { overlay: "blob:x" } }))).toMatch(/blob:/);
    expect(
      requestParams(watermark, state({ params: { overlay: "files/time.gif" } })),
    ).toMatchObject({ overlay: "files/time.gif" });
  });
});
