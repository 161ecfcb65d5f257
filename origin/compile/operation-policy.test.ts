import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GEGL_OPS_DIR, WORKER_BINARY } from "../config.ts";
import { GeglPool } from "../worker/gegl-pool.ts";
import type { OperationDescriptions } from "../worker/operation-description.ts";
import { refusalOf } from "./operation-policy.ts";

const TIMEOUT_MS = 60_000;

// Against this machine's real GEGL: what its operations read and write is what their pads and
// properties say, so the policy is checked on the descriptions the origin really compiles with.
describe("which operations a graph may use", () => {
  let pool: GeglPool;
  let operations: OperationDescriptions;

  beforeAll(async () => {
    pool = await GeglPool.start({
      size: 1,
      binary: WORKER_BINARY,
      env: { GEGL_PATH: GEGL_OPS_DIR, PATH: process.env.PATH ?? "", IMGFLO_WORKER_WARMUP: "0" },
      startTimeoutMs: TIMEOUT_MS,
      log: () => {},
    });
    operations = (await pool.describe(undefined, TIMEOUT_MS)).operations;
  }, TIMEOUT_MS);

  afterAll(() => pool?.close());

  const refused = (operation: string) => {
    const description = operations[operation];
    return description?.exists ? refusalOf(operation, description) : "absent";
  };

  it("refuses every loader, saver, display, device and file reader GEGL has", () => {
    const outside = [
      "gegl:load",
      "gegl:save",
      "gegl:png-load",
      "gegl:png-save",
      "gegl:jpg-load",
      "gegl:jpg-save",
      "gegl:ff-load",
      "gegl:ff-save",
      "gegl:v4l",
      "gegl:display",
      "gegl:open-buffer",
      "gegl:write-buffer",
      "gegl:buffer-sink",
      "gegl:layer",
      "gegl:gegl",
      "gegl:exp-combine",
      "gegl:magick-load",
      "gegl:svg-load",
      "gegl:pdf-load",
    ].filter((operation) => operations[operation]?.exists);
    expect(outside.length).toBeGreaterThan(12);
    for (const operation of outside)
      expect(refused(operation), operation).toEqual(expect.any(String));
    for (const [operation, description] of Object.entries(operations)) {
      if (!description.exists) continue;
      if (/-(load|save)$/.test(operation) || (description.output_pads ?? []).length === 0) {
        expect(refused(operation), operation).toEqual(expect.any(String));
      }
    }
  });

  it("allows filters, compositors and generators, the catalogue's included", () => {
    for (const operation of [
      "gegl:gaussian-blur",
      "svg:src-over",
      "gegl:color",
      "gegl:text",
      "gegl:convert-space",
      "gegl:edge-sobel",
      "svg:color-dodge",
      "imgflo:gradient-map",
      "imgflo:delaunay-triangles",
    ]) {
      expect(refused(operation), operation).toBeNull();
    }
  });
});
