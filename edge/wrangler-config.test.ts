import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runWrangler, WRANGLER_CONFIG } from "../cli/wrangler.ts";

/**
 * A stand-in for the Docker CLI that records what it is asked (arguments, then the Dockerfile
 * wrangler pipes in) and succeeds: `wrangler deploy --dry-run` builds the fleet's image, which
 * takes minutes; the image itself is built and run for real by `npm run test:docker`.
 */
async function recordingDocker(dir: string): Promise<{ bin: string; log: string }> {
  const bin = join(dir, "docker");
  const log = join(dir, "docker.log");
  await writeFile(
    bin,
    `#!/bin/sh\necho "ARGS $*" >> "${log}"\nif [ "$1" = build ]; then cat >> "${log}"; fi\n`,
  );
  await chmod(bin, 0o755);
  return { bin, log };
}

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

  it("bundles only code, within the free plan's 1 MB, with the render fleet declared (wrangler deploy --dry-run)", async () => {
    const outdir = await mkdtemp(join(tmpdir(), "imgflo-deploy-"));
    try {
      const docker = await recordingDocker(outdir);
      process.env.WRANGLER_DOCKER_BIN = docker.bin;
      const { stdout } = await runWrangler(["deploy", "--dry-run", "--outdir", outdir]);
      // The UI page and the example images are Static Assets, uploaded beside the bundle.
      expect(stdout).toMatch(/Read \d+ files from the assets directory .*build\/edge-assets/);
      const files = (await readdir(outdir)).filter((file) => !file.startsWith("docker"));
      expect(files.sort()).toEqual(["README.md", "index.js", "index.js.map"]);
      const bundle = await readFile(join(outdir, "index.js"));
      expect(gzipSync(bundle).length).toBeLessThan(1024 * 1024);
      expect(bundle.includes("RenderContainer = class extends Container")).toBe(true);
      expect(stdout).toMatch(/env\.RENDER_FLEET \(RenderContainer\) +Durable Object/);
      expect(stdout).toMatch(/containers are available:\n- \S+ \(\S+\/docker\/Dockerfile\)/);

      // The fleet's image is the origin's Dockerfile, built from the repository root.
      const log = await readFile(docker.log, "utf8");
      const build = /^ARGS build (.*)$/m.exec(log)?.[1] ?? "";
      expect(build).toContain("--platform linux/amd64");
      expect(build.replace(/\/$/, "")).toMatch(
        new RegExp(`-f - ${PROJECT_ROOT.replace(/\/$/, "")}$`),
      );
      expect(log).toContain(await readFile(join(PROJECT_ROOT, "docker/Dockerfile"), "utf8"));
    } finally {
      delete process.env.WRANGLER_DOCKER_BIN;
      await rm(outdir, { recursive: true, force: true });
    }
  });

  it("names no more fleet instances than the containers may run", async () => {
    const toml = await readFile(WRANGLER_CONFIG, "utf8");
    const named = Number(/^FLEET_INSTANCES = "(\d+)"/m.exec(toml)?.[1]);
    const allowed = Number(/^max_instances = (\d+)/m.exec(toml)?.[1]);
    expect(named).toBeGreaterThan(0);
    expect(named).toBeLessThanOrEqual(allowed);
  });
});
