import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildCProgram } from "../../test/harness/c-program.ts";
import { GEGL_OPS_DIR } from "../config.ts";

/**
 * imgflo:place samples the overlay with lib/linear-sampler, which must give the floats of GEGL's
 * own linear sampler (with its box average when shrinking): tests/place-compare.c renders the
 * built op over 240 seeded random cases (1 and 2 px sides, ratios within a pixel of 1/2, 1/3, 1/4
 * and 1:1, enlarging up to 6x, every position, odd origins), whole and in small regions, and
 * compares every pixel with GEGL's sampler on the same overlay.
 */

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "place-sampling-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("imgflo:place gives GEGL's linear sampler's floats for every pixel", () => {
  const compare = buildCProgram({
    dir,
    name: "place-compare",
    sources: [join(import.meta.dirname, "tests/place-compare.c")],
    packages: ["gegl-0.4"],
  });
  const run = spawnSync(compare, [GEGL_OPS_DIR], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  const [cases, pixels, mismatches] = run.stdout.trim().split(" ").map(Number);
  expect(cases).toBe(240);
  expect(pixels).toBeGreaterThan(10_000_000);
  expect(mismatches).toBe(0);
  expect(run.status).toBe(0);
}, 120_000);
