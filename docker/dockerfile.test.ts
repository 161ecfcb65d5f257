import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ORIGIN_MALLOC_TUNABLES } from "../origin/malloc-tunables.ts";

// Static checks of the image's recipe, fast enough for `npm test`; `npm run test:docker`
// (docker/image.docker.test.ts) builds and runs the image in a real engine.
const ROOT = new URL("../", import.meta.url);
const dockerfile = readFileSync(new URL("docker/Dockerfile", ROOT), "utf8");
const setupScript = readFileSync(new URL("scripts/setup.sh", ROOT), "utf8");
const packageJson = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as {
  dependencies: Record<string, string>;
};

/** The Dockerfile's stages in order: the build stage, then the image itself. */
const [buildStage = "", imageStage = ""] = dockerfile.split(/^(?=FROM )/m).slice(1);

/** Repository paths a stage copies from the build context (`COPY --from` excluded). */
function copiedPaths(stage: string): string[] {
  return [...stage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) =>
    (match[1] ?? "").split(/\s+/),
  );
}

async function importGraph(entries: string[]): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: entries.map((entry) => new URL(entry, ROOT).pathname),
    absWorkingDir: new URL(".", ROOT).pathname,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
    outdir: "out",
  });
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith("node:")) {
        const [scope, name] = imported.path.split("/");
        packages.add(scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? ""));
      }
    }
  }
  return { files: Object.keys(result.metafile.inputs), packages: [...packages].sort() };
}

function uncopied(files: string[], copied: string[]): string[] {
  return files.filter(
    (file) => !copied.some((path) => file === path || file.startsWith(`${path}/`)),
  );
}

describe("docker/Dockerfile", () => {
  it("has a build stage and an image stage on the same base", () => {
    const bases = [buildStage, imageStage].map((stage) => /^FROM (\S+)/.exec(stage)?.[1]);
    expect(bases[0]).toBeDefined();
    expect(bases[1]).toBe(bases[0]);
    expect(buildStage).toMatch(/^FROM \S+ AS build$/m);
  });

  it("installs system packages and builds native code with the scripts npm test runs", () => {
    for (const script of ["docker/install-system-deps.sh", "scripts/build-native.sh"]) {
      expect(buildStage).toContain(`RUN bash ${script}`);
      expect(setupScript).toContain(`bash ${script}`);
    }
  });

  it("leaves the compilers and -dev packages in the build stage", () => {
    expect(imageStage).toContain("RUN bash docker/install-system-deps.sh --runtime");
    expect(imageStage).not.toMatch(/apt-get|build-native|-dev\b|gcc/);
    expect(imageStage).toMatch(/^COPY --from=build \/app\/build build$/m);
  });

  it("copies every file the testing UI's build imports into the build stage", async () => {
    const { files } = await importGraph(["scripts/build-ui.ts", "ui/app.ts"]);
    expect(uncopied(files, copiedPaths(buildStage))).toEqual([]);
  });

  it("copies every file the CLI and the origin import into the image", async () => {
    const copied = copiedPaths(imageStage);
    const { files } = await importGraph(["cli/main.ts"]);
    expect(uncopied(files, copied)).toEqual([]);
    for (const runtimeFolder of ["graphs", "examples"]) expect(copied).toContain(runtimeFolder);
  });

  it("needs no development dependency at run time", async () => {
    const { packages } = await importGraph(["cli/main.ts"]);
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((name) => !(name in packageJson.dependencies))).toEqual([]);
    expect(buildStage).toContain("npm prune --omit=dev");
  });

  it("starts the origin with its malloc settings", () => {
    expect(imageStage).toContain(`ENV GLIBC_TUNABLES=${ORIGIN_MALLOC_TUNABLES.join(":")}\n`);
  });

  it("runs as a non-root user with a HEALTHCHECK", () => {
    expect(imageStage).toMatch(/^USER (?!root\b)\S+$/m);
    expect(imageStage).toMatch(/^HEALTHCHECK .*\/healthz/ms);
  });
});
