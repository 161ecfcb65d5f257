import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
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

  it("bundles only code for deployment, within the free plan's 1 MB (wrangler deploy --dry-run)", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "imgflo-deploy-"));
    try {
      const { stdout } = await runWrangler(["deploy", "--dry-run", "--outdir", outdir]);
      // The UI page and the example images are Static Assets, uploaded beside the bundle.
      expect(stdout).toMatch(/Read \d+ files from the assets directory .*build\/edge-assets/);
      expect((await readdir(outdir)).sort()).toEqual(["README.md", "index.js", "index.js.map"]);
      const bundle = await readFile(join(outdir, "index.js"));
      expect(gzipSync(bundle).length).toBeLessThan(1024 * 1024);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
