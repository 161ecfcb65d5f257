import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runWrangler } from "../cli/wrangler.ts";

// wrangler.toml is the single truth for the bindings: the Env type must match it and it must bundle.
describe("wrangler.toml", () => {
  it("matches the committed Env type (edge/worker-configuration.d.ts)", async () => {
    await expect(
      runWrangler([
        "types",
        "--include-runtime=false",
        "--strict-vars=false",
        "edge/worker-configuration.d.ts",
        "--check",
      ]),
    ).resolves.toBeDefined();
  });

  it("bundles for deployment (wrangler deploy --dry-run)", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "imgflo-deploy-"));
    try {
      await runWrangler(["deploy", "--dry-run", "--outdir", outdir]);
      const files = await readdir(outdir);
      expect(files).toContain("index.js");
      expect(files.some((file) => file.endsWith("-gridbear.jpg"))).toBe(true);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
